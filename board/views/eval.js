// A run's evaluation report (graphc eval's eval.json): the confusion matrix as a shaded table beside
// confusion.svg, and the per-class table; or a regression's MAE, RMSE and R². The run page shows it too.
import { api, el, idPath, listen, number } from '../lib.js';

function scores(s) {
  return [number(s.precision), number(s.recall), number(s.f1), String(s.support)].map((v) => el('td', { class: 'number' }, v));
}

function classification(report) {
  const { classes, matrix, perClass } = report;
  // Each cell shaded by its share of the true class's examples, as in confusion.svg.
  const cell = (count, t) => {
    const share = perClass[t].support > 0 ? count / perClass[t].support : 0;
    return el('td', { class: 'number', style: `background: rgba(78, 121, 167, ${(0.85 * share).toFixed(3)}); color: ${share > 0.5 ? '#fff' : 'inherit'}`, title: `${(100 * share).toFixed(1)}% of ${classes[t]}` }, String(count));
  };
  const confusion = el(
    'table',
    { id: 'confusion', class: 'confusion' },
    el('thead', {}, el('tr', {}, el('th', {}, 'true \\ predicted'), classes.map((c) => el('th', { class: 'number' }, c)))),
    el('tbody', {}, matrix.map((row, t) => el('tr', {}, el('th', {}, classes[t]), row.map((count) => cell(count, t))))),
  );
  const perClassTable = el(
    'table',
    { id: 'per-class' },
    el('thead', {}, el('tr', {}, ['class', 'precision', 'recall', 'f1', 'support'].map((h) => el('th', {}, h)))),
    el(
      'tbody',
      {},
      perClass.map((s, c) => el('tr', {}, el('th', {}, classes[c]), scores(s))),
      el('tr', {}, el('th', {}, 'accuracy'), el('td'), el('td'), el('td', { class: 'number' }, number(report.accuracy)), el('td', { class: 'number' }, String(report.examples))),
      el('tr', {}, el('th', {}, 'macro avg'), scores(report.macro)),
      el('tr', {}, el('th', {}, 'weighted avg'), scores(report.weighted)),
    ),
  );
  return el('div', { class: 'columns' }, el('section', {}, el('h3', {}, 'Confusion matrix'), el('p', { class: 'muted' }, 'rows: true class, columns: predicted'), confusion), el('section', {}, el('h3', {}, 'Per class'), perClassTable));
}

function regression(report) {
  const rows = report.targets.length > 1 ? [...report.targets, { name: 'all', ...report.overall }] : report.targets;
  return el(
    'table',
    { id: 'regression' },
    el('thead', {}, el('tr', {}, ['target', 'MAE', 'RMSE', 'R²'].map((h) => el('th', {}, h)))),
    el('tbody', {}, rows.map((t) => el('tr', {}, el('th', {}, t.name), [t.mae, t.rmse].map((v) => el('td', { class: 'number' }, v.toPrecision(6))), el('td', { class: 'number' }, t.r2 === null ? 'n/a' : number(t.r2))))),
  );
}

/** The report of a run, drawn into `box`: what the run page and this view's own page show. */
export function drawEvaluation(box, id, data) {
  const record = data.evaluation;
  if (!record) {
    box.replaceChildren(el('p', { class: 'muted' }, 'No evaluation report yet: ', el('code', {}, 'graphc eval <run folder>'), ' writes one.'));
    return;
  }
  const metrics = Object.entries(record.test).map(([k, v]) => `${k}=${number(v, 6)}`).join(', ');
  box.replaceChildren(
    el('p', { id: 'eval-line' }, `${record.model} at step ${record.step} on ${record.examples} test examples (node '${record.node}'): ${metrics}`),
    record.report.kind === 'classification' ? classification(record.report) : regression(record.report),
    data.chart ? el('img', { src: `/files/${idPath(id)}/${encodeURIComponent(data.chart)}`, alt: `the confusion matrix of ${record.model}`, id: 'confusion-svg', class: 'report-chart' }) : '',
  );
}

/** Follows a run's report as graphc eval (re)writes it; returns the function that stops. */
export function followEvaluation(box, id) {
  return listen(`eval/${idPath(id)}`, { report: (data) => drawEvaluation(box, id, data) });
}

export const evalView = {
  name: 'eval',
  route: /^\/eval\/(.+)$/,
  async render(container, { match }) {
    const id = match[1].split('/').map(decodeURIComponent).join('/');
    const box = el('div', { id: 'evaluation' });
    container.append(el('h1', {}, 'Evaluation of ', el('a', { href: `#/run/${idPath(id)}` }, id)), box);
    drawEvaluation(box, id, await api(`eval/${idPath(id)}`));
    return followEvaluation(box, id);
  },
};
