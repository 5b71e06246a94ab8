// Ticked runs in one chart: graphc plot's overlay, each run named by what sets it apart; live while they train.
import { liveChart } from '../chart.js';
import { api, el, idPath, listen } from '../lib.js';

export const compareView = {
  name: 'compare',
  route: /^\/compare$/,
  async render(container, { query }) {
    const ids = query.getAll('run');
    const search = ids.map((id) => `run=${encodeURIComponent(id)}`).join('&');
    const data = await api(`compare?${search}`);
    const chartBox = el('div', { class: 'chart', id: 'chart' });
    const notes = el('div', { class: 'notes' });
    container.append(
      el('h1', {}, `Compare ${data.runs.length} runs`),
      el('ul', { id: 'compared' }, data.runs.map((r) => el('li', {}, el('a', { href: `#/run/${idPath(r.id)}` }, r.label), el('span', { class: 'muted' }, ` ${r.folder}`)))),
      notes,
      chartBox,
    );
    const chart = await liveChart(chartBox, data.chart);
    // Each run keeps the name the chart gave it, whatever a reconnected stream would call it.
    const labels = new Map(data.runs.map((r) => [r.id, r.label]));
    const stop = listen(`compare?${search}`, {
      reset: (e) => chart.reset(labels.get(e.id), e.evaluations),
      append: (e) => chart.append(labels.get(e.id), e.evaluations),
      note: (e) => notes.append(el('div', {}, e.message)),
    });
    return () => {
      stop();
      chart.finalize();
    };
  },
};
