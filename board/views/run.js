// One run: live curves, progress, its evaluation report, the command that reproduces it, summary.json, the graph and its files.
import { liveChart } from '../chart.js';
import { api, duration, el, idPath, listen, statusBadge } from '../lib.js';
import { drawEvaluation, followEvaluation } from './eval.js';

/** Steps per second over the last evaluation pass, and what remains at that pace. */
function pace(entry, evaluations) {
  const last = evaluations.at(-1);
  if (!last || !(last.elapsed > 0)) return {};
  const previous = evaluations.at(-2)?.step ?? 0;
  const rate = (last.step - previous) / last.elapsed;
  const eta = entry.totalSteps && entry.status === 'running' && rate > 0 ? (entry.totalSteps - last.step) / rate : undefined;
  return { rate, eta };
}

function flatten(value, prefix = '') {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [[prefix, Array.isArray(value) ? JSON.stringify(value) : String(value)]];
  return Object.entries(value).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
}

export const runView = {
  name: 'run',
  route: /^\/run\/(.+)$/,
  async render(container, { match }) {
    const id = match[1].split('/').map(decodeURIComponent).join('/');
    const data = await api(`run/${idPath(id)}`);
    let entry = data.entry;
    const evaluations = [...data.evaluations];
    const status = el('span');
    const progress = el('div', { class: 'progress', id: 'progress' });
    const notes = el('div', { class: 'notes', id: 'notes' }, data.notes.map((n) => el('div', {}, n)));
    const chartBox = el('div', { class: 'chart', id: 'chart' });
    const summary = el('div');
    const drawStatus = () => {
      status.replaceChildren(statusBadge(entry.status, entry.statusNote));
      const { rate, eta } = pace(entry, evaluations);
      const step = evaluations.at(-1)?.step ?? 0;
      const total = entry.totalSteps;
      progress.replaceChildren(
        el('span', { id: 'step' }, `step ${step}${total ? ` / ${total}` : ''}`),
        total ? el('div', { class: 'bar' }, el('div', { style: `width:${Math.min(100, (100 * step) / total).toFixed(1)}%` })) : '',
        el('span', { id: 'evaluations' }, `${evaluations.length} evaluations`),
        rate ? el('span', {}, `${rate.toFixed(2)} steps/s`) : '',
        eta !== undefined ? el('span', {}, `ETA ${duration(eta)}`) : '',
        entry.wallSeconds ? el('span', { class: 'muted' }, `wall ${duration(entry.wallSeconds)}`) : '',
      );
    };
    const command = el('div');
    const files = el('ul', { id: 'files' });
    const evaluation = el('div', { id: 'evaluation' });
    // What a run writes as it ends (summary.json, the final files): drawn again then.
    const drawDetails = (details) => {
      command.replaceChildren(...(details.command ? [el('h2', {}, 'Reproduce'), el('pre', { class: 'command', id: 'command' }, details.command)] : []));
      summary.replaceChildren(
        details.summary
          ? el('table', { id: 'summary' }, el('tbody', {}, flatten(details.summary).map(([k, v]) => el('tr', {}, el('th', {}, k), el('td', {}, v)))))
          : el('p', { class: 'muted' }, 'No summary.json yet: the run writes it when it ends.'),
      );
      files.replaceChildren(
        ...details.files.map((f) => el('li', {}, el('a', { href: `/files/${idPath(id)}/${encodeURIComponent(f.name)}`, target: '_blank' }, f.name), el('span', { class: 'muted' }, ` ${f.bytes} bytes`))),
      );
    };
    container.append(
      el('h1', {}, `${entry.model ?? entry.name} `, status),
      el('p', { class: 'muted' }, entry.folder, entry.sweep ? [' · trial of ', el('a', { href: `#/sweep/${idPath(entry.sweep)}` }, 'its sweep')] : ''),
      progress,
      notes,
      chartBox,
      el('section', {}, el('h2', {}, 'Evaluation'), evaluation),
      command,
      el('div', { class: 'columns' }, el('section', {}, el('h2', {}, 'summary.json'), summary), el('section', {}, el('h2', {}, 'Files'), files)),
      data.graph ? el('section', { class: 'graph' }, el('h2', {}, 'Graph'), el('img', { src: `/graph/${idPath(id)}`, alt: `the graph of ${entry.model ?? 'the model'}`, id: 'graph' })) : '',
    );
    drawStatus();
    drawDetails(data);
    drawEvaluation(evaluation, id, await api(`eval/${idPath(id)}`).catch(() => ({ evaluation: null })));
    const chart = await liveChart(chartBox, data.chart);
    const stopEvaluation = followEvaluation(evaluation, id);
    const stop = listen(`run/${idPath(id)}`, {
      reset: (e) => {
        evaluations.splice(0, evaluations.length, ...e.evaluations);
        chart.reset(data.label, e.evaluations);
        drawStatus();
      },
      append: (e) => {
        evaluations.push(...e.evaluations);
        chart.append(data.label, e.evaluations);
        drawStatus();
      },
      status: (next) => {
        const ended = entry.status === 'running' && next.status !== 'running';
        entry = next;
        drawStatus();
        if (ended) api(`run/${idPath(id)}`).then(drawDetails, () => {});
      },
      note: (e) => notes.append(el('div', {}, e.message)),
      gone: (e) => notes.append(el('div', { class: 'error' }, e.message)),
    });
    return () => {
      stop();
      stopEvaluation();
      chart.finalize();
    };
  },
};
