/**
 * A classification report's confusion matrix as a chart: one cell per (true,
 * predicted) pair holding its count, shaded by the share of the true class's
 * examples it holds (so a small class's errors show as clearly as a large
 * one's). Drawn with the curves' stack: vega-lite, rendered to SVG in Node.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ClassificationReport } from '../eval/report.js';
import { renderChart } from './curves.js';

export const CONFUSION_FILE = 'confusion.svg';

interface Cell {
  readonly truth: string;
  readonly predicted: string;
  readonly count: number;
  /** count / the true class's support (0 for a class without examples). */
  readonly share: number;
}

/** The vega-lite chart of a report's confusion matrix. */
export function confusionChart(report: ClassificationReport, title: string): TopLevelSpec {
  const cells: Cell[] = report.matrix.flatMap((row, t) =>
    row.map((count, p) => ({ truth: report.classes[t]!, predicted: report.classes[p]!, count, share: report.perClass[t]!.support === 0 ? 0 : count / report.perClass[t]!.support })),
  );
  const order = [...report.classes];
  // About 36 px a cell for ten classes, never less than 16 (the counts would no longer fit).
  const side = Math.max(16, Math.min(48, Math.round(360 / Math.max(1, order.length)))) * order.length;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, subtitle: `${report.examples} test examples, accuracy ${report.accuracy.toFixed(4)}; rows: true class, columns: predicted` },
    background: 'white',
    data: { values: cells },
    width: side,
    height: side,
    encoding: {
      x: { field: 'predicted', type: 'ordinal', sort: order, title: 'predicted', axis: { orient: 'top', labelAngle: 0 } },
      y: { field: 'truth', type: 'ordinal', sort: order, title: 'true' },
    },
    layer: [
      {
        mark: { type: 'rect', stroke: 'white', strokeWidth: 1 },
        encoding: {
          color: { field: 'share', type: 'quantitative', scale: { scheme: 'blues', domain: [0, 1] }, title: 'share of row', legend: { format: '.0%' } },
          tooltip: [{ field: 'truth', title: 'true' }, { field: 'predicted' }, { field: 'count' }, { field: 'share', format: '.2%' }],
        },
      },
      {
        mark: { type: 'text', fontSize: order.length > 20 ? 8 : 11 },
        encoding: {
          text: { field: 'count', type: 'quantitative' },
          // Dark cells get white text.
          color: { condition: { test: 'datum.share > 0.5', value: 'white' }, value: '#222' },
        },
      },
    ],
    config: { font: 'Helvetica, Arial, sans-serif', axis: { labelFontSize: 11, titleFontSize: 12 } },
  } as TopLevelSpec;
}

/** Renders a report's confusion matrix to an SVG document. */
export function renderConfusion(report: ClassificationReport, title: string): Promise<string> {
  return renderChart(confusionChart(report, title));
}
