/**
 * Evaluation reports (tools/eval/report.ts): a small case checked by hand, the
 * same numbers as NumPy computes them from their definitions on random data,
 * the text layout with ten classes, and the confusion chart.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classificationReport, confusionMatrix, formatReport, regressionReport } from '../../../src/tools/eval/report.js';
import { renderConfusion } from '../../../src/tools/plot/confusion.js';
import { readEvaluation } from '../../../src/tools/eval/run-folder.js';

const python = process.env['GRAPHC_PYTHON'] ?? 'python3';
const numpy = spawnSync(python, ['-c', 'import numpy'], { encoding: 'utf8' });
const numpyMissing = numpy.error !== undefined || numpy.status !== 0;

/** A seeded stream of uniform numbers in [0, 1) (mulberry32), so the cases are the same every run. */
function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function numpyAnswer(script: string, input: unknown): unknown {
  const r = spawnSync(python, ['-c', script], { input: JSON.stringify(input), encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe('the classification report', () => {
  // 3 classes, 8 examples. Rows true, columns predicted:
  //        0  1  2
  //   0 [  2, 1, 0 ]   support 3
  //   1 [  0, 2, 0 ]   support 2
  //   2 [  1, 1, 1 ]   support 3
  const truth = [0, 0, 0, 1, 1, 2, 2, 2];
  const predicted = [0, 0, 1, 1, 1, 0, 1, 2];

  it('counts the confusion matrix with true classes as rows', () => {
    expect(confusionMatrix(truth, predicted, 3)).toEqual([
      [2, 1, 0],
      [0, 2, 0],
      [1, 1, 1],
    ]);
  });

  it('gives the precision, recall, F1 and averages worked out by hand', () => {
    const r = classificationReport(confusionMatrix(truth, predicted, 3), ['a', 'b', 'c']);
    // Class 0: tp 2 of 3 predicted (column 0), of 3 true. Class 1: tp 2 of 4 predicted, of 2 true. Class 2: tp 1 of 1 predicted, of 3 true.
    const p = [2 / 3, 2 / 4, 1];
    const rec = [2 / 3, 1, 1 / 3];
    const f1 = [2 / 3, 2 / 3, 0.5];
    r.perClass.forEach((s, c) => {
      expect(s.precision).toBeCloseTo(p[c]!, 12);
      expect(s.recall).toBeCloseTo(rec[c]!, 12);
      expect(s.f1).toBeCloseTo(f1[c]!, 12);
    });
    expect(r.perClass.map((s) => s.support)).toEqual([3, 2, 3]);
    expect(r.accuracy).toBeCloseTo(5 / 8, 12);
    expect(r.macro.precision).toBeCloseTo((2 / 3 + 0.5 + 1) / 3, 12);
    expect(r.macro.recall).toBeCloseTo((2 / 3 + 1 + 1 / 3) / 3, 12);
    expect(r.macro.f1).toBeCloseTo((2 / 3 + 2 / 3 + 0.5) / 3, 12);
    expect(r.weighted.precision).toBeCloseTo((3 * (2 / 3) + 2 * 0.5 + 3 * 1) / 8, 12);
    expect(r.weighted.recall).toBeCloseTo(5 / 8, 12); // weighted recall is accuracy
    expect(r.weighted.f1).toBeCloseTo((3 * (2 / 3) + 2 * (2 / 3) + 3 * 0.5) / 8, 12);
    expect(r.classes).toEqual(['a', 'b', 'c']);
  });

  it('scores a class never predicted, or without examples, as 0 (no division by zero)', () => {
    const r = classificationReport(confusionMatrix([0, 0, 1], [0, 0, 0], 3), ['0', '1', '2']);
    expect(r.perClass[1]).toEqual({ precision: 0, recall: 0, f1: 0, support: 1 });
    expect(r.perClass[2]).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(r.perClass[0]!.precision).toBeCloseTo(2 / 3, 12);
  });

  it.skipIf(numpyMissing)('equals NumPy’s computation from the definitions on 2000 random predictions of 10 classes', () => {
    const next = uniform(7);
    // Mostly right, so the matrix has a diagonal and off-diagonal counts of every size.
    const t = Array.from({ length: 2000 }, () => Math.floor(next() * 10));
    const p = t.map((c) => (next() < 0.7 ? c : Math.floor(next() * 10)));
    const r = classificationReport(confusionMatrix(t, p, 10), []);
    const script = [
      'import json, sys, numpy as np',
      'd = json.load(sys.stdin); t = np.array(d["t"]); p = np.array(d["p"])',
      'm = np.zeros((10, 10), dtype=np.int64)',
      'np.add.at(m, (t, p), 1)',
      'tp = np.diag(m).astype(np.float64); support = m.sum(axis=1); predicted = m.sum(axis=0)',
      'precision = np.where(predicted > 0, tp / np.maximum(predicted, 1), 0.0)',
      'recall = np.where(support > 0, tp / np.maximum(support, 1), 0.0)',
      'f1 = np.where(precision + recall > 0, 2 * precision * recall / np.maximum(precision + recall, 1e-300), 0.0)',
      'w = support / support.sum()',
      'print(json.dumps({"matrix": m.tolist(), "precision": precision.tolist(), "recall": recall.tolist(), "f1": f1.tolist(),',
      '  "macro": [precision.mean(), recall.mean(), f1.mean()], "weighted": [(precision * w).sum(), (recall * w).sum(), (f1 * w).sum()], "accuracy": tp.sum() / len(t)}))',
    ].join('\n');
    const n = numpyAnswer(script, { t, p }) as { matrix: number[][]; precision: number[]; recall: number[]; f1: number[]; macro: number[]; weighted: number[]; accuracy: number };
    expect(r.matrix).toEqual(n.matrix);
    r.perClass.forEach((s, c) => {
      expect(s.precision).toBeCloseTo(n.precision[c]!, 12);
      expect(s.recall).toBeCloseTo(n.recall[c]!, 12);
      expect(s.f1).toBeCloseTo(n.f1[c]!, 12);
    });
    expect([r.macro.precision, r.macro.recall, r.macro.f1].map((v, i) => v - n.macro[i]!).every((d) => Math.abs(d) < 1e-12)).toBe(true);
    expect([r.weighted.precision, r.weighted.recall, r.weighted.f1].map((v, i) => v - n.weighted[i]!).every((d) => Math.abs(d) < 1e-12)).toBe(true);
    expect(r.accuracy).toBeCloseTo(n.accuracy, 12);
  });

  it('prints ten classes as aligned columns, the averages under the table', () => {
    const t = Array.from({ length: 1000 }, (_, i) => i % 10);
    const p = t.map((c, i) => (i % 7 === 0 ? (c + 1) % 10 : c));
    const text = formatReport(classificationReport(confusionMatrix(t, p, 10), Array.from({ length: 10 }, (_, i) => String(i))));
    const lines = text.split('\n');
    expect(lines[0]).toBe('confusion matrix (1000 test examples; rows: true class, columns: predicted class)');
    // The matrix: a header and ten rows, each number right-aligned under its class.
    const matrix = lines.slice(1, 12);
    const ends = (line: string): number[] => [...line.matchAll(/\S+/g)].map((m) => m.index + m[0].length);
    const headerEnds = ends(matrix[0]!).slice(-10);
    for (const row of matrix.slice(1)) expect(ends(row).slice(-10)).toEqual(headerEnds);
    expect(text).toContain('  class         precision  recall      f1  support');
    // Accuracy sits in the f1 column.
    const accuracy = lines.find((l) => l.startsWith('  accuracy'))!;
    expect(accuracy).toMatch(/^ {2}accuracy +0\.8570 +1000$/);
    const header = lines.find((l) => l.startsWith('  class'))!;
    expect(accuracy.indexOf('0.8570') + 6).toBe(header.indexOf('f1') + 2);
    expect(text).toMatch(/\n {2}macro avg +0\.\d{4} +0\.\d{4} +0\.\d{4} +1000\n {2}weighted avg +0\.\d{4} +0\.\d{4} +0\.\d{4} +1000$/);
  });

  it('draws the matrix as an SVG: every count in its cell, the class names on the axes', async () => {
    const r = classificationReport(confusionMatrix(truth, predicted, 3), ['setosa', 'versicolor', 'virginica']);
    const svg = await renderConfusion(r, 'iris: confusion matrix');
    expect(svg.startsWith('<?xml')).toBe(true);
    for (const name of ['setosa', 'versicolor', 'virginica', 'iris: confusion matrix', 'accuracy 0.6250']) expect(svg).toContain(name);
    // Nine cells, each labelled with its count, in the matrix's places.
    const cells = [...svg.matchAll(/aria-label="predicted: (\w+); true: (\w+); share of row: [^;]*; count: (\d+);[^"]*" role="graphics-symbol" aria-roledescription="rect mark"/g)];
    expect(cells).toHaveLength(9);
    for (const [, p, t, n] of cells) expect(Number(n)).toBe(r.matrix[r.classes.indexOf(t!)]![r.classes.indexOf(p!)]);
    const texts = [...svg.matchAll(/<text aria-label="predicted: (\w+); true: (\w+); count: (\d+)"[^>]*>(\d+)<\/text>/g)];
    expect(texts).toHaveLength(9);
    for (const [, , , n, shown] of texts) expect(shown).toBe(n);
  });
});

describe('docs/usage.md', () => {
  it('shows the confusion matrix graphc eval draws from the short bigru run’s eval.json', async () => {
    const record = readEvaluation('docs/runs/bigru-short')!;
    expect(record.report.kind).toBe('classification');
    if (record.report.kind !== 'classification') return;
    // vega numbers gradients from a counter of its own, which the charts drawn before this one moved on.
    const ids = (svg: string): string => svg.replace(/gradient_\d+/g, 'gradient');
    expect(ids(readFileSync('docs/images/bigru-confusion.svg', 'utf8'))).toBe(ids(await renderConfusion(record.report, `${record.model} at step ${record.step}: confusion matrix`)));
    // And the text pasted there is the report's.
    expect(readFileSync('docs/usage.md', 'utf8')).toContain(formatReport(record.report).split('\n').map((l) => (l ? `    ${l}` : '')).join('\n'));
  });
});

describe('the regression report', () => {
  it('gives MAE, RMSE and R² worked out by hand', () => {
    // Targets 1, 2, 3, 4 (mean 2.5, SS_tot 5); predictions off by 0.5, −0.5, 0, 1.
    const r = regressionReport([1, 2, 3, 4], [1.5, 1.5, 3, 5], 4, ['y']);
    expect(r.targets).toHaveLength(1);
    const [y] = r.targets;
    expect(y!.name).toBe('y');
    expect(y!.mae).toBeCloseTo(2 / 4, 12);
    expect(y!.rmse).toBeCloseTo(Math.sqrt(1.5 / 4), 12);
    expect(y!.r2).toBeCloseTo(1 - 1.5 / 5, 12);
    expect(r.overall).toEqual({ mae: y!.mae, rmse: y!.rmse, r2: y!.r2 });
  });

  it('has no R² for a constant target, and says so', () => {
    const r = regressionReport([2, 2, 2], [1, 2, 3], 3, ['flat']);
    expect(r.targets[0]!.r2).toBeNull();
    expect(formatReport(r)).toContain('n/a');
  });

  it.skipIf(numpyMissing)('equals NumPy’s computation per target and overall for three targets', () => {
    const next = uniform(11);
    const count = 500;
    const targets = Array.from({ length: count * 3 }, (_, i) => (i % 3) * 10 + next() * 5);
    const predictions = targets.map((t) => t + (next() - 0.5) * 2);
    const r = regressionReport(targets, predictions, count, ['a', 'b', 'c']);
    const script = [
      'import json, sys, numpy as np',
      'd = json.load(sys.stdin); y = np.array(d["y"]).reshape(-1, 3); p = np.array(d["p"]).reshape(-1, 3)',
      'mae = np.abs(p - y).mean(axis=0); rmse = np.sqrt(((p - y) ** 2).mean(axis=0))',
      'r2 = 1 - ((p - y) ** 2).sum(axis=0) / ((y - y.mean(axis=0)) ** 2).sum(axis=0)',
      'print(json.dumps({"mae": mae.tolist(), "rmse": rmse.tolist(), "r2": r2.tolist(), "all": [np.abs(p - y).mean(), np.sqrt(((p - y) ** 2).mean()), r2.mean()]}))',
    ].join('\n');
    const n = numpyAnswer(script, { y: targets, p: predictions }) as { mae: number[]; rmse: number[]; r2: number[]; all: number[] };
    r.targets.forEach((t, k) => {
      expect(t.mae).toBeCloseTo(n.mae[k]!, 10);
      expect(t.rmse).toBeCloseTo(n.rmse[k]!, 10);
      expect(t.r2!).toBeCloseTo(n.r2[k]!, 10);
    });
    expect(r.overall.mae).toBeCloseTo(n.all[0]!, 10);
    expect(r.overall.rmse).toBeCloseTo(n.all[1]!, 10);
    expect(r.overall.r2!).toBeCloseTo(n.all[2]!, 10);
    const text = formatReport(r);
    expect(text.split('\n')[0]).toBe('regression (500 test examples)');
    expect(text.split('\n').slice(1).map((l) => l.trim().split(/\s+/)[0])).toEqual(['target', 'a', 'b', 'c', 'all']);
  });
});
