// A curves chart (graphc plot's vega-lite spec, rendered by vega-embed) that takes evaluations as they arrive.
/* global vega, vegaEmbed */

/** The chart's points of one run's evaluations: as the server's curvesChart lays them out. */
export function pointsOf(label, evaluations) {
  const points = [];
  for (const e of evaluations) {
    for (const phase of ['train', 'test']) {
      for (const [metric, value] of Object.entries(e[phase] ?? {})) {
        if (typeof value === 'number' && Number.isFinite(value)) points.push({ run: label, metric, phase, step: e.step, value });
      }
    }
  }
  return points;
}

/** Embeds `spec` in `container`; returns { reset(label, evaluations), append(label, evaluations), finalize() }. */
export async function liveChart(container, spec) {
  const { view, finalize } = await vegaEmbed(container, spec, { actions: false, renderer: 'svg' });
  const dataset = spec.data.name;
  const update = (changes) => view.change(dataset, changes).runAsync();
  return {
    view,
    reset: (label, evaluations) => update(vega.changeset().remove((d) => d.run === label).insert(pointsOf(label, evaluations))),
    append: (label, evaluations) => update(vega.changeset().insert(pointsOf(label, evaluations))),
    finalize,
  };
}
