/**
 * Evaluation reports: what `graphc eval` says of a model beyond its metrics.
 * For classification, the confusion matrix and each class's precision,
 * recall, F1 and support with their macro and weighted averages (the
 * definitions of sklearn's classification_report); for regression, MAE, RMSE
 * and R² over the whole test set, and per target when there are several.
 * Everything is counted and summed in float64 from the predictions.
 */

export interface ClassScores {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Test examples of the class (its row of the matrix). */
  readonly support: number;
}

export interface ClassificationReport {
  readonly kind: 'classification';
  readonly examples: number;
  readonly classes: readonly string[];
  /** matrix[true][predicted]: how many test examples of class `true` the model called `predicted`. */
  readonly matrix: readonly (readonly number[])[];
  readonly perClass: readonly ClassScores[];
  /** The diagonal's share of all examples. */
  readonly accuracy: number;
  /** The unweighted mean over classes. */
  readonly macro: ClassScores;
  /** The mean over classes weighted by support. */
  readonly weighted: ClassScores;
}

export interface RegressionScores {
  readonly mae: number;
  readonly rmse: number;
  /** 1 − SS_res / SS_tot; null when the targets are all equal (SS_tot = 0), where it is undefined. */
  readonly r2: number | null;
}

export interface RegressionReport {
  readonly kind: 'regression';
  readonly examples: number;
  /** One entry per target, in the label's order. */
  readonly targets: readonly (RegressionScores & { readonly name: string })[];
  /** MAE and RMSE over every value; R² the mean of the targets' (sklearn's uniform average), null if any is. */
  readonly overall: RegressionScores;
}

export type EvaluationReport = ClassificationReport | RegressionReport;

/** The confusion matrix of class ids (rows: the true class, columns: the predicted one). */
export function confusionMatrix(truth: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): number[][] {
  const matrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < truth.length; i++) matrix[truth[i]!]![predicted[i]!]! += 1;
  return matrix;
}

/**
 * Precision, recall and F1 of each class of a confusion matrix, and their
 * averages. A ratio with nothing to divide by (a class never predicted, or
 * with no examples) is 0, as sklearn's zero_division=0 makes it.
 */
export function classificationReport(matrix: readonly (readonly number[])[], classes: readonly string[]): ClassificationReport {
  const n = matrix.length;
  const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);
  const perClass = matrix.map((row, c) => {
    const truePositives = row[c]!;
    const support = row.reduce((a, b) => a + b, 0);
    const predicted = matrix.reduce((sum, r) => sum + r[c]!, 0);
    const precision = ratio(truePositives, predicted);
    const recall = ratio(truePositives, support);
    return { precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
  });
  const examples = perClass.reduce((sum, s) => sum + s.support, 0);
  const mean = (weight: (s: ClassScores) => number): ClassScores => {
    const total = perClass.reduce((sum, s) => sum + weight(s), 0);
    const average = (key: 'precision' | 'recall' | 'f1'): number => ratio(perClass.reduce((sum, s) => sum + s[key] * weight(s), 0), total);
    return { precision: average('precision'), recall: average('recall'), f1: average('f1'), support: examples };
  };
  const correct = matrix.reduce((sum, row, c) => sum + row[c]!, 0);
  return {
    kind: 'classification',
    examples,
    classes: classes.length === n ? [...classes] : Array.from({ length: n }, (_, i) => String(i)),
    matrix: matrix.map((row) => [...row]),
    perClass,
    accuracy: ratio(correct, examples),
    macro: mean(() => 1),
    weighted: mean((s) => s.support),
  };
}

/**
 * MAE, RMSE and R² of `count` examples of `width` targets each (row-major,
 * predictions beside targets), per target and overall.
 */
export function regressionReport(targets: ArrayLike<number>, predictions: ArrayLike<number>, count: number, names: readonly string[]): RegressionReport {
  const width = count === 0 ? names.length : targets.length / count;
  const per = Array.from({ length: width }, (_, k) => {
    let sum = 0;
    for (let i = 0; i < count; i++) sum += targets[i * width + k]!;
    const mean = sum / count;
    let absolute = 0;
    let squared = 0;
    let total = 0;
    for (let i = 0; i < count; i++) {
      const t = targets[i * width + k]!;
      const error = predictions[i * width + k]! - t;
      absolute += Math.abs(error);
      squared += error * error;
      total += (t - mean) ** 2;
    }
    return { absolute, squared, total };
  });
  const targetsScores = per.map((p, k) => ({
    name: names[k] ?? `target ${k}`,
    mae: p.absolute / count,
    rmse: Math.sqrt(p.squared / count),
    r2: p.total === 0 ? null : 1 - p.squared / p.total,
  }));
  const r2s = targetsScores.map((t) => t.r2);
  const values = count * width;
  return {
    kind: 'regression',
    examples: count,
    targets: targetsScores,
    overall: {
      mae: per.reduce((s, p) => s + p.absolute, 0) / values,
      rmse: Math.sqrt(per.reduce((s, p) => s + p.squared, 0) / values),
      r2: r2s.some((r) => r === null) ? null : (r2s as number[]).reduce((a, b) => a + b, 0) / width,
    },
  };
}

/** The report as text: aligned columns, readable with ten classes or more. */
export function formatReport(report: EvaluationReport): string {
  return report.kind === 'classification' ? formatClassification(report) : formatRegression(report);
}

function table(rows: readonly (readonly string[])[], alignLeft: readonly number[] = [0]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (alignLeft.includes(c) ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd());
}

function formatClassification(r: ClassificationReport): string {
  const lines = [`confusion matrix (${r.examples} test examples; rows: true class, columns: predicted class)`];
  lines.push(...table([['true \\ predicted', ...r.classes], ...r.matrix.map((row, c) => [r.classes[c]!, ...row.map(String)])]).map((l) => `  ${l}`));
  lines.push('');
  const scores = (s: ClassScores): string[] => [s.precision.toFixed(4), s.recall.toFixed(4), s.f1.toFixed(4), String(s.support)];
  const rows = [['class', 'precision', 'recall', 'f1', 'support'], ...r.perClass.map((s, c) => [r.classes[c]!, ...scores(s)])];
  rows.push(['', '', '', '', ''], ['accuracy', '', '', r.accuracy.toFixed(4), String(r.examples)], ['macro avg', ...scores(r.macro)], ['weighted avg', ...scores(r.weighted)]);
  lines.push(...table(rows).map((l) => `  ${l}`.trimEnd()));
  return lines.join('\n');
}

function formatRegression(r: RegressionReport): string {
  const r2 = (v: number | null): string => (v === null ? 'n/a' : v.toFixed(4));
  const rows = [['target', 'MAE', 'RMSE', 'R²'], ...r.targets.map((t) => [t.name, t.mae.toPrecision(6), t.rmse.toPrecision(6), r2(t.r2)])];
  if (r.targets.length > 1) rows.push(['all', r.overall.mae.toPrecision(6), r.overall.rmse.toPrecision(6), r2(r.overall.r2)]);
  const notes = r.targets.some((t) => t.r2 === null) ? ['  (R² is n/a where a target is the same on every test example)'] : [];
  return [`regression (${r.examples} test examples)`, ...table(rows).map((l) => `  ${l}`), ...notes].join('\n');
}
