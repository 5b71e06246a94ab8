/**
 * The peer harness itself: its spec compiles, its comparison catches what it
 * should, and its failure names the op, case, input shape, backend, tensor
 * and index; end to end, a torch expression that is not the op fails.
 */
import { describe, expect, it } from 'vitest';
import { compileSpecText } from '../../src/compiler/index.js';
import { initBackend } from '../../src/runtime/backends.js';
import {
  compareResults,
  compareValues,
  failureMessage,
  PeerReport,
  prepareCase,
  runGraphc,
  runTorch,
  specFor,
  torchAvailable,
  type PeerCase,
  type PeerResult,
} from './harness.js';

const dense: PeerCase = { name: 'relu, [3, 2] → 4', node: { op: 'dense', units: 4, activation: 'relu' }, inputs: [{ shape: [3, 2], batch: true }], torch: 'F.relu(x0 @ v["y/kernel"] + v["y/bias"])' };

describe('the spec around a case', () => {
  it('declares x0… (a batch input with a null first dimension), the extra placeholders and y, and compiles with only the expected warning', () => {
    const c: PeerCase = { ...dense, extraPlaceholders: { keep: { dtype: 'float32', shape: [], value: 1 } } };
    const text = specFor(c);
    expect(text).toContain('  x0: {"dtype":"float32","shape":[null,2]}');
    expect(text).toContain('  keep: {"dtype":"float32","shape":[]}');
    expect(text).toContain('  y: {"op":"dense","units":4,"activation":"relu","inputs":["x0"]}');
    const result = compileSpecText(text, 'peer.yaml');
    expect(result.diagnostics.map((d) => d.code).sort()).toEqual(['GC405', 'GC412']);
    expect(result.code).toContain('nn.dense(feeds.x0!, vars.y, ');
  });

  it('a node without inputs gets no inputs attribute', () => {
    expect(specFor({ name: 'v', node: { op: 'variable', shape: [2] }, inputs: [], torch: "v['y']" })).toContain('  y: {"op":"variable","shape":[2]}');
  });
});

describe('comparing values', () => {
  const tol = { rtol: 1e-4, atol: 1e-5 };
  it('passes within atol + rtol·|torch| and reports the worst index of the shape', () => {
    const ok = compareValues([1.00005, 2, -3], [1, 2, -3], [3], 'float32', tol);
    expect(ok.ok).toBe(true);
    expect(ok.maxRatio).toBeCloseTo(0.5 / 1.1, 2);
    const bad = compareValues([0, 0, 0, 0, 0, 0.5], [0, 0, 0, 0, 0, 0], [2, 3], 'float32', tol);
    expect(bad.ok).toBe(false);
    expect(bad.worst).toEqual({ index: [1, 2], graphc: 0.5, torch: 0 });
  });

  it('NaN against NaN is equal, NaN against a number is not; integers compare exactly', () => {
    expect(compareValues([NaN, 1], [NaN, 1], [2], 'float32', tol).ok).toBe(true);
    expect(compareValues([NaN], [1], [1], 'float32', tol).ok).toBe(false);
    expect(compareValues([3], [3], [1], 'int32', tol).ok).toBe(true);
    expect(compareValues([1e-9], [0], [1], 'int32', tol).ok).toBe(false);
  });

  it('the failure names the op, case, input shapes, backend, tensor and index, and the report keeps the largest differences', async () => {
    await initBackend('cpu');
    const p = await prepareCase('dense', dense);
    const graphc = await runGraphc(p);
    const kernel = [...graphc.variableGrads['y/kernel']!];
    kernel[5] = kernel[5]! + 0.25;
    const torch: PeerResult = { ...graphc, variableGrads: { ...graphc.variableGrads, 'y/kernel': kernel } };
    const compared = compareResults(p, graphc, torch);
    const message = failureMessage(p, 'wasm', compared);
    expect(message).toMatch(/^dense 'relu, \[3, 2\] → 4' \(x0: float32\[3, 2\]\) on wasm differs from PyTorch beyond atol 0\.00001 \+ rtol 0\.0001·\|torch\|:\n/);
    expect(message).toMatch(/ {2}grad of v\['y\/kernel'\]: largest difference 0\.2500 at \[1, 1\] \(graphc [-0-9.e]+, torch [-0-9.e]+; [0-9.e+]+× the tolerance\)/);
    expect(message).not.toMatch(/output|grad of x0/);
    const report = new PeerReport();
    report.add('dense', 'wasm', compared);
    expect(report.list()).toEqual([expect.objectContaining({ op: 'dense', backend: 'wasm', cases: 1, maxAbs: 0.25 })]);
    expect(report.table(['wasm'])).toMatch(/^op\s+cases\s+wasm abs \/ rel \/ tol\ndense\s+1\s+0\.2500 \//);
  });
});

const torch = torchAvailable();

describe.skipIf(!torch.ok)(`against PyTorch${torch.ok ? '' : ` (skipped: ${torch.reason})`}`, () => {
  it('a torch expression that is not the op fails, naming the tensors that differ; a broken one reports its Python error', async () => {
    await initBackend('cpu');
    const relu = await prepareCase('relu', { name: 'relu against tanh, [2, 3]', node: { op: 'relu' }, inputs: [{ shape: [2, 3] }], torch: 'torch.tanh(x0)' });
    const broken = await prepareCase('relu', { name: 'broken', node: { op: 'relu' }, inputs: [{ shape: [2] }], torch: 'out = F.not_a_function(x0)' });
    const { answers } = await runTorch([relu, broken]);
    const answer = answers[0]!;
    if ('error' in answer) throw new Error(answer.error);
    const message = failureMessage(relu, 'cpu', compareResults(relu, await runGraphc(relu), answer));
    expect(message).toMatch(/^relu 'relu against tanh, \[2, 3\]' \(x0: float32\[2, 3\]\) on cpu differs/);
    expect(message).toMatch(/\n {2}output: largest difference/);
    expect(message).toMatch(/\n {2}grad of x0: largest difference/);
    expect(answers[1]).toEqual({ error: expect.stringMatching(/AttributeError: .*not_a_function/) });
  });
});
