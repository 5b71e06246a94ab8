/**
 * Data files from the command line: `graphc data iris` (cars, seattle)
 * reproduces the CSVs in data/iris/ (data/cars/, data/seattle/), a regression
 * run is evaluated and predicts values, `graphc check` points a wrong column count at the placeholder
 * and the file, and a run on Iris is followed by eval, predict (a CSV row, a
 * CSV file, an NPY file) and export, with summary.json naming its data files.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump } from 'npyjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ClassificationReport, RegressionReport } from '../../src/tools/eval/report.js';
import { formatReport } from '../../src/tools/eval/report.js';
import { graphc } from '../helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'graphc-cli-data-'));
const run = join(root, 'iris-run');
const gen = join(root, 'generated');

describe('graphc with data files', () => {
  beforeAll(() => {
    const r = graphc('run', 'graphs/iris.yaml', '--backend', 'cpu', '--workers', '1', '--out', run, '--out-dir', gen, '--no-progress');
    expect(r.status, r.stderr).toBe(0);
  });

  it('graphc data iris writes exactly the CSVs graphs/iris.yaml reads', () => {
    const out = join(root, 'iris');
    expect(graphc('data', 'iris', '--out', out).status).toBe(0);
    for (const name of ['train.csv', 'test.csv']) expect(readFileSync(join(out, name), 'utf8')).toBe(readFileSync(join('data', 'iris', name), 'utf8'));
    expect(readFileSync(join(out, 'test.csv'), 'utf8').trim().split('\n')).toHaveLength(31);
  });

  it('graphc data cars and graphc data seattle write exactly the CSVs graphs/regression.yaml and graphs/forecast.yaml read', () => {
    for (const [name, rows] of [['cars', [315, 79]], ['seattle', [1097, 366]]] as const) {
      const out = join(root, name);
      const r = graphc('data', name, '--out', out);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/standardised with the training mean/);
      ['train.csv', 'test.csv'].forEach((file, i) => {
        const text = readFileSync(join(out, file), 'utf8');
        expect(text).toBe(readFileSync(join('data', name, file), 'utf8'));
        expect(text.trim().split('\n')).toHaveLength(rows[i]!);
      });
    }
    // Split by time: every training day is before every test day.
    const dates = (file: string): string[] => readFileSync(join('data', 'seattle', file), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]!);
    expect([dates('train.csv').at(-1), dates('test.csv')[0]]).toEqual(['2014-12-31', '2015-01-01']);
  });

  it('a regression run: eval reports its MAE, predict prints predicted values (a CSV row, a CSV file), not classes', () => {
    const dir = join(root, 'cars-run');
    const r = graphc('run', 'graphs/regression.yaml', '--backend', 'cpu', '--workers', '1', '--steps', '200', '--eval-every', '200', '--out', dir, '--out-dir', gen, '--no-progress');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('314 train, 0 validation, 78 test examples of [9], one target');
    const evaluated = graphc('eval', dir, '--backend', 'cpu', '--format', 'json', '--out-dir', gen, '--no-progress');
    expect(evaluated.status, evaluated.stderr).toBe(0);
    const metrics = JSON.parse(evaluated.stdout) as { examples: number; test: { mae: number; mse: number } };
    expect(metrics.examples).toBe(78);
    expect(metrics.test.mae).toBeGreaterThan(0);
    expect(metrics.test.mse).toBeGreaterThan(metrics.test.mae);

    const firstCar = readFileSync('data/cars/test.csv', 'utf8').split('\n')[1]!.split(',').slice(0, 9).join(',');
    const row = graphc('predict', dir, firstCar, '--backend', 'cpu', '--out-dir', gen);
    expect(row.status, row.stderr).toBe(0);
    expect(row.stdout).toMatch(/^\S+ \(1 example, node 'predicted_mpg'\):\nmpg \d+\.\d{4}\n$/);
    const file = graphc('predict', dir, 'data/cars/test.csv', '--backend', 'cpu', '--out-dir', gen, '--format', 'json');
    const predicted = JSON.parse(file.stdout) as { node: string; targets: string[]; predictions: number[] };
    expect([predicted.node, predicted.targets, predicted.predictions.length]).toEqual(['predicted_mpg', ['mpg'], 78]);
    // The file's MAE from predict's values is eval's.
    const truth = readFileSync('data/cars/test.csv', 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[9]));
    const mae = predicted.predictions.reduce((sum, p, i) => sum + Math.abs(p - truth[i]!), 0) / truth.length;
    expect(mae).toBeCloseTo(metrics.test.mae, 4);
    // eval's report: MAE as the spec's metric, RMSE and R² of the same predictions.
    const report = (JSON.parse(evaluated.stdout) as { node: string; report: RegressionReport }).report;
    expect(report.targets.map((t) => t.name)).toEqual(['mpg']);
    expect(report.overall.mae).toBeCloseTo(mae, 4);
    expect(report.overall.rmse).toBeCloseTo(Math.sqrt(predicted.predictions.reduce((sum, p, i) => sum + (p - truth[i]!) ** 2, 0) / truth.length), 4);
    const mean = truth.reduce((a, b) => a + b, 0) / truth.length;
    const r2 = 1 - predicted.predictions.reduce((sum, p, i) => sum + (p - truth[i]!) ** 2, 0) / truth.reduce((sum, t) => sum + (t - mean) ** 2, 0);
    expect(report.overall.r2!).toBeCloseTo(r2, 4);
    expect(readFileSync(join(dir, 'eval.json'), 'utf8')).toBe(`${evaluated.stdout}`);
    expect(existsSync(join(dir, 'confusion.svg'))).toBe(false);

    const misnamed = graphc('predict', dir, firstCar, '--backend', 'cpu', '--out-dir', gen, '--output', 'predicted_mp');
    expect(misnamed.status).toBe(1);
    expect(misnamed.stderr).toContain("error GC618: the graph has no node 'predicted_mp' (did you mean 'predicted_mpg'?); name the node that holds the predictions with --output NODE");
  });

  it('graphc check points a CSV with the wrong column count at the placeholder and names the file', () => {
    const dir = join(root, 'wrong-columns');
    mkdirSync(join(dir, 'data'), { recursive: true });
    cpSync('data/iris/train.csv', join(dir, 'data', 'train.csv'));
    cpSync('data/iris/test.csv', join(dir, 'data', 'test.csv'));
    // Every column but the label is a feature: 4, where the placeholder takes 3.
    const spec = readFileSync('graphs/iris.yaml', 'utf8')
      .replace('shape: [null, 4]', 'shape: [null, 3]')
      .replaceAll('../data/iris/', 'data/')
      .replace(/\n {4}features: \{columns: [^\n]*/, '');
    writeFileSync(join(dir, 'iris.yaml'), spec);
    const r = graphc('check', join(dir, 'iris.yaml'));
    expect(r.status).toBe(1);
    const line = spec.split('\n').findIndex((l) => l.includes('measurements: {dtype')) + 1;
    expect(r.stderr).toContain(`iris.yaml:${line}:`);
    expect(r.stderr).toMatch(/error GC605: .*wrong-columns\/data\/train\.csv has 4 feature columns, measurements takes 3 \(fed batch\.features\)/);
  });

  it('summary.json records the data files with their sizes and SHA-256', () => {
    const summary = JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8')) as { data: { files: Array<{ path: string; bytes: number; sha256: string; split: string }> } };
    expect(summary.data.files.map((f) => [f.split, f.path, f.bytes])).toEqual([
      ['train', 'data/iris/train.csv', readFileSync('data/iris/train.csv').length],
      ['test', 'data/iris/test.csv', readFileSync('data/iris/test.csv').length],
    ]);
    expect(summary.data.files.every((f) => /^[0-9a-f]{64}$/.test(f.sha256))).toBe(true);
  });

  it('graphc eval evaluates on the spec’s test file', () => {
    const r = graphc('eval', run, '--backend', 'cpu', '--format', 'json', '--out-dir', gen, '--no-progress');
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as { examples: number; test: { acc: number }; report: ClassificationReport };
    expect(result.examples).toBe(30);
    expect(result.test.acc).toBeGreaterThanOrEqual(0.9);
    // The report names the classes as the spec does; its rows hold the test file's 10 of each.
    expect(result.report.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(result.report.matrix.map((row) => row.reduce((a, b) => a + b, 0))).toEqual([10, 10, 10]);
    expect(result.report.accuracy).toBeCloseTo(result.test.acc, 6);
    const text = { stdout: `\n${formatReport(result.report)}\n` };
    expect(text.stdout).toMatch(/\n {2}true \\ predicted +setosa +versicolor +virginica\n {2}setosa +\d+ +\d+ +\d+\n/);
    expect(text.stdout).toMatch(/\n {2}virginica +\d\.\d{4} +\d\.\d{4} +\d\.\d{4} +10\n/);
  });

  it('graphc predict classifies a CSV row, a CSV file and an NPY file by class name', () => {
    const row = graphc('predict', run, '5.1,3.5,1.4,0.2', '--backend', 'cpu', '--out-dir', gen);
    expect(row.status, row.stderr).toBe(0);
    expect(row.stdout).toMatch(/^5\.1,3\.5,1\.4,0\.2 \(1 example, node 'probabilities'\):\nsetosa with probability/);

    const file = graphc('predict', run, 'data/iris/test.csv', '--backend', 'cpu', '--out-dir', gen, '--format', 'json');
    const predictions = (JSON.parse(file.stdout) as { predictions: Array<{ prediction: string }> }).predictions;
    const truth = readFileSync('data/iris/test.csv', 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[4]);
    expect(predictions).toHaveLength(30);
    expect(predictions.filter((p, i) => p.prediction === truth[i]).length).toBeGreaterThanOrEqual(27);

    const npy = join(root, 'flowers.npy');
    writeFileSync(npy, new Uint8Array(dump(new Float32Array([5.1, 3.5, 1.4, 0.2, 6.7, 3.0, 5.2, 2.3]), [2, 4])));
    const stacked = graphc('predict', run, npy, '--backend', 'cpu', '--out-dir', gen, '--format', 'json');
    expect((JSON.parse(stacked.stdout) as { predictions: Array<{ prediction: string }> }).predictions.map((p) => p.prediction)).toEqual(['setosa', 'virginica']);

    const short = graphc('predict', run, '1,2,3', '--backend', 'cpu', '--out-dir', gen);
    expect(short.status).toBe(1);
    expect(short.stderr).toContain('error GC612: 1,2,3: an example has 3 values, the model takes [4]');
  });

  it('graphc export writes a Layers model whose input is the features placeholder', () => {
    const out = join(root, 'export');
    const r = graphc('export', run, '--out', out, '--out-dir', gen);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain("(input 'measurements' [batch, 4] → 'probabilities' [batch, 3])");
    const model = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')) as { userDefinedMetadata?: { input?: string } };
    expect(JSON.stringify(model)).toContain('features of the csv data');
  });
});
