// The runs list and the sweeps list, newest first, live; tick runs to compare them.
import { ago, api, duration, el, idPath, listen, metrics, params, sortableTable, statusBadge, number } from '../lib.js';

export const runsView = {
  name: 'runs',
  route: /^\/(runs)?$/,
  async render(container) {
    const ticked = new Set();
    const filter = el('input', { type: 'search', placeholder: 'filter by spec or name', id: 'filter', size: 28 });
    const compare = el('button', { id: 'compare', disabled: true, onclick: () => (location.hash = `#/compare?${[...ticked].map((id) => `run=${encodeURIComponent(id)}`).join('&')}`) }, 'compare ticked runs');
    const count = el('span', { class: 'muted' });
    const runs = sortableTable(
      [
        {
          title: '',
          cell: (r) =>
            el('input', {
              type: 'checkbox',
              'aria-label': `compare ${r.name}`,
              checked: ticked.has(r.id),
              onchange: (e) => {
                if (e.target.checked) ticked.add(r.id);
                else ticked.delete(r.id);
                compare.disabled = ticked.size < 1;
              },
            }),
        },
        { title: 'run', value: (r) => r.name, cell: (r) => el('a', { href: `#/run/${idPath(r.id)}`, class: 'run-link nowrap' }, r.name) },
        { title: 'spec', value: (r) => r.spec ?? '', cell: (r) => r.spec ?? '' },
        { title: 'params changed', value: (r) => params(r.differing), cell: (r) => params(r.differing) },
        { title: 'status', value: (r) => r.status, cell: (r) => statusBadge(r.status, r.statusNote) },
        { title: 'step', value: (r) => r.step, number: true, cell: (r) => (r.step === undefined ? '' : `${r.step}${r.totalSteps ? ` / ${r.totalSteps}` : ''}`) },
        { title: 'train', value: (r) => metrics(r.last?.train), cell: (r) => metrics(r.last?.train) },
        { title: 'test', value: (r) => metrics(r.last?.test), cell: (r) => metrics(r.last?.test) },
        { title: 'backend', value: (r) => r.backend ?? '', cell: (r) => [r.backend ?? '', r.device ? el('div', { class: 'device muted' }, r.device) : ''] },
        { title: 'wall time', value: (r) => r.wallSeconds, number: true, cell: (r) => duration(r.wallSeconds) },
        { title: 'updated', value: (r) => -r.updatedAt, cell: (r) => ago(r.updatedAt) },
      ],
      { rowAttributes: (r) => ({ 'data-id': r.id, class: 'run-row' }) },
    );
    const sweeps = sortableTable([
      { title: 'sweep', value: (s) => s.name, cell: (s) => el('a', { href: `#/sweep/${idPath(s.id)}` }, s.name) },
      { title: 'spec', value: (s) => s.spec, cell: (s) => s.spec },
      { title: 'trials', value: (s) => s.trials, number: true, cell: (s) => String(s.trials) },
      { title: 'progress', cell: (s) => Object.entries(s.counts).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`).join(', ') },
      { title: 'metric', value: (s) => s.metric.name, cell: (s) => `${s.metric.name} (${s.metric.mode})` },
      { title: 'best', value: (s) => s.best, number: true, cell: (s) => number(s.best) },
      { title: 'updated', value: (s) => -s.updatedAt, cell: (s) => ago(s.updatedAt) },
    ]);
    const folders = el('p', { class: 'muted' });
    const sweepsSection = el('section', {}, el('h2', {}, 'Sweeps'), sweeps.node);
    container.append(el('h1', {}, 'Runs'), folders, el('div', { class: 'toolbar' }, filter, compare, count), runs.node, sweepsSection);
    let listing = { runs: [], sweeps: [], folders: [] };
    const draw = () => {
      const words = filter.value.trim().toLowerCase();
      const shown = listing.runs.filter((r) => words === '' || `${r.spec ?? ''} ${r.name} ${r.model ?? ''}`.toLowerCase().includes(words));
      runs.update(shown);
      sweeps.update(listing.sweeps);
      sweepsSection.hidden = listing.sweeps.length === 0;
      count.textContent = `${shown.length} of ${listing.runs.length} runs`;
      folders.textContent = `from ${listing.folders.join(', ')}`;
    };
    filter.addEventListener('input', draw);
    listing = await api('runs');
    draw();
    return listen('runs', {
      listing: (next) => {
        listing = next;
        draw();
      },
    });
  },
};
