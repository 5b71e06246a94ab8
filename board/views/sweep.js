// A sweep: its table (rung and status under a pruner), a search's best-so-far curve, parallel coordinates of params
// against the metric, and every trial's curves; redrawn as trials report.
/* global vegaEmbed */
import { api, duration, el, idPath, listen, number, sortableTable, statusBadge } from '../lib.js';

export const sweepView = {
  name: 'sweep',
  route: /^\/sweep\/(.+)$/,
  async render(container, { match }) {
    const id = match[1].split('/').map(decodeURIComponent).join('/');
    let data = await api(`sweep/${idPath(id)}`);
    const title = el('h1');
    const info = el('p', { class: 'muted' });
    const tableBox = el('div', { id: 'sweep-table' });
    const parallelBox = el('div', { class: 'chart', id: 'parallel' });
    const curvesBox = el('div', { class: 'chart', id: 'curves' });
    const bestBox = el('div', { class: 'chart', id: 'best-so-far' });
    const bestTitle = el('h2', {}, 'Best so far');
    const notes = el('div', { class: 'notes' });
    container.append(title, info, notes, tableBox, bestTitle, bestBox, el('h2', {}, 'Params → metric'), parallelBox, el('h2', {}, 'Curves'), curvesBox);
    const embedded = [];
    const embed = async (box, spec) => {
      if (!spec) return box.replaceChildren(el('p', { class: 'muted' }, 'No trial has evaluated yet.'));
      // A fresh element each time: a chart still being drawn never lands beside its successor.
      const target = el('div');
      box.replaceChildren(target);
      embedded.push(await vegaEmbed(target, spec, { actions: false, renderer: 'svg' }));
    };
    const draw = async () => {
      title.textContent = `Sweep ${data.name}`;
      info.textContent = `${data.spec} · ${data.rows.length} trials · sorted by ${data.metric.name} (${data.metric.mode === 'max' ? 'higher' : 'lower'} is better)`;
      const columns = [
        { title: '#', cell: (r) => String(data.rows.indexOf(r) + 1), value: (r) => data.rows.indexOf(r), number: true },
        { title: 'trial', value: (r) => r.trial, cell: (r) => (r.status === 'pending' ? r.trial : el('a', { href: `#/run/${idPath(r.id)}` }, r.trial)) },
        ...data.params.map((p) => ({ title: p, value: (r) => r.params[p], cell: (r) => String(r.params[p] ?? '') })),
        { title: `final ${data.metric.name}`, value: (r) => r.final, number: true, cell: (r) => number(r.final) },
        { title: `best ${data.metric.name}`, value: (r) => r.best, number: true, cell: (r) => number(r.best) },
        // Under a pruner: the rung each trial reached (ASHA's index; the median rule's has none).
        ...(data.pruner ? [{ title: 'rung', value: (r) => r.rung, number: true, cell: (r) => (r.rung === undefined ? '' : String(r.rung)) }] : []),
        { title: 'steps', value: (r) => r.steps, number: true, cell: (r) => (r.steps === undefined ? '' : `${r.steps}${r.totalSteps ? ` / ${r.totalSteps}` : ''}`) },
        { title: 'wall', value: (r) => r.wallSeconds, number: true, cell: (r) => duration(r.wallSeconds) },
        { title: 'steps/s', value: (r) => (r.wallSeconds ? r.steps / r.wallSeconds : undefined), number: true, cell: (r) => (r.wallSeconds ? (r.steps / r.wallSeconds).toFixed(2) : '') },
        { title: 'backend', value: (r) => r.backend, cell: (r) => r.backend ?? '' },
        { title: 'host', value: (r) => r.host, cell: (r) => r.host ?? '' },
        { title: 'status', value: (r) => r.status, cell: (r) => statusBadge(r.status, r.reason) },
      ];
      const table = sortableTable(columns, { rowAttributes: (r) => ({ 'data-trial': r.trial }) });
      table.update(data.rows);
      tableBox.replaceChildren(table.node);
      for (const e of embedded.splice(0)) e.finalize();
      // Only a search has a best-so-far curve (the sweep's evaluations in the order they came).
      bestTitle.hidden = bestBox.hidden = !('bestSoFar' in data);
      if ('bestSoFar' in data) await embed(bestBox, data.bestChart);
      await embed(parallelBox, data.parallel);
      await embed(curvesBox, data.curves);
    };
    await draw();
    // One drawing at a time, and none for what is already drawn (the stream starts with the state the page has).
    let drawn = JSON.stringify(data);
    let drawing = Promise.resolve();
    const stop = listen(`sweep/${idPath(id)}`, {
      sweep: (next) => {
        const text = JSON.stringify(next);
        if (text === drawn) return;
        drawn = text;
        drawing = drawing.then(() => {
          data = next;
          return draw();
        });
      },
      gone: (e) => notes.append(el('div', { class: 'error' }, e.message)),
    });
    return () => {
      stop();
      for (const e of embedded.splice(0)) e.finalize();
    };
  },
};
