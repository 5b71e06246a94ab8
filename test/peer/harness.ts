/**
 * The PyTorch peer harness: every op is checked against PyTorch, forward
 * values and gradients, on every backend.
 *
 * A case (test/peer/cases/<op>.ts) is one node of an op, named `y`, fed by
 * placeholders x0, x1, … of the shapes it gives. The harness writes a tiny spec
 * around it, compiles it with the real compiler into a module under
 * .graphc/peer/ (named by its content), imports it, gives every input and
 * variable seeded random values, and computes y and the gradients of
 * sum(y · cotangent) (a seeded random cotangent) with respect to every float
 * input and every variable. One python3 child (peer.py) computes the same
 * with the case's PyTorch expression from the same values, in float32.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compileSpecText } from '../../src/compiler/index.js';
import { formatDiagnostic } from '../../src/common/diagnostics/format.js';
import { Initializer } from '../../src/runtime/init.js';
import type { AnyCompiledModel, ForwardContext, Phase } from '../../src/runtime/model.js';
import { RandomStream } from '../../src/runtime/random.js';
import { tf } from '../../src/runtime/tf.js';

export type PeerDtype = 'float32' | 'int32' | 'bool';

/** One input of a case, fed as the placeholder x<i>. */
export interface PeerInput {
  readonly shape: readonly number[];
  /** Default float32. */
  readonly dtype?: PeerDtype;
  /** Values drawn uniformly in [lo, hi): default [-2, 2) for float32, [0, 10) for int32 (integers). */
  readonly range?: readonly [number, number];
  /** Fixed values (row-major), instead of random ones. */
  readonly values?: readonly number[];
  /** Declare the first dimension as null (a batch dimension known only at run time) rather than fixed. */
  readonly batch?: boolean;
}

export type PeerBackend = 'cpu' | 'wasm' | 'webgpu';
export const PEER_BACKENDS: readonly PeerBackend[] = ['cpu', 'wasm', 'webgpu'];

/** A value the spec's node reads through an attribute that names a placeholder (a keep probability). */
export interface PeerPlaceholder {
  readonly dtype: PeerDtype;
  readonly shape: readonly number[];
  /** A number for a scalar, row-major values otherwise. */
  readonly value: number | readonly number[];
}

export interface PeerCase {
  /** Unique within the op. */
  readonly name: string;
  /** The node's spec without `inputs` (the harness names them x0, x1, …). */
  readonly node: { readonly op: string; readonly [attribute: string]: unknown };
  readonly inputs: readonly PeerInput[];
  /**
   * A Python expression, or statements that assign `out`, over x0, x1, …
   * (torch tensors: float32 ones require grad, int32 ones are int64 as torch
   * indexes with them, bool ones bool), v (the node's variables by graph name,
   * e.g. v['y/kernel']), the extra placeholders by name (tensors), torch, F
   * (torch.nn.functional), np, and tf1 (tf1.py: TF1's NHWC convolutions,
   * SAME padding and recurrent cells written out in torch). A multi-output
   * op's `out` is a tuple or list.
   */
  readonly torch: string;
  /** Default rtol 1e-4, atol 1e-5: |graphc − torch| ≤ atol + rtol·|torch| for every value. */
  readonly tolerance?: { readonly rtol: number; readonly atol: number };
  /** Default 'train'; passed to forward as ForwardContext's `phase`. */
  readonly phase?: Phase;
  readonly extraPlaceholders?: Readonly<Record<string, PeerPlaceholder>>;
  /** For a multi-output op, which outputs to compare (indices); default all. */
  readonly outputs?: number | readonly number[];
  /** Variables' values are drawn uniformly in [lo, hi); default [-1, 1). */
  readonly variableRange?: readonly [number, number];
  /**
   * A known disagreement the test expects (vitest's it.fails), with the reason;
   * optionally only on some backends. Remove it when the op is fixed: the test
   * then fails, saying so.
   */
  readonly knownFailure?: { readonly reason: string; readonly backends?: readonly PeerBackend[] };
}

export const DEFAULT_TOLERANCE = { rtol: 1e-4, atol: 1e-5 } as const;

/** The variable node the spec's loss is: the compiler requires a loss that reaches a variable; the harness's gradients never use it. */
const LOSS_NODE = 'peer_loss';
const MODULE_DIR = join('.graphc', 'peer');
const PEER_SCRIPT = fileURLToPath(new URL('./peer.py', import.meta.url));

// ---------------------------------------------------------------- the spec

function flow(value: unknown): string {
  // JSON is YAML's flow style: attributes are written exactly as the case gives them.
  return JSON.stringify(value);
}

/** The spec around one case: its inputs as placeholders, its node as `y`, and a train section the compiler accepts. */
export function specFor(c: PeerCase): string {
  const placeholders = c.inputs.map((input, i) => {
    const shape = input.batch ? [null, ...input.shape.slice(1)] : input.shape;
    return `  x${i}: ${flow({ dtype: input.dtype ?? 'float32', shape })}`;
  });
  for (const [name, p] of Object.entries(c.extraPlaceholders ?? {})) placeholders.push(`  ${name}: ${flow({ dtype: p.dtype, shape: p.shape })}`);
  const node = { ...c.node, ...(c.inputs.length > 0 ? { inputs: c.inputs.map((_, i) => `x${i}`) } : {}) };
  return [
    'name: peer',
    `description: ${flow(`peer case: ${c.node.op}, ${c.name}`)}`,
    'placeholders:',
    ...(placeholders.length > 0 ? placeholders : ['  peer_unused: {dtype: float32, shape: [], unused: true}']),
    'nodes:',
    `  y: ${flow(node)}`,
    // The loss is a variable of its own, so that y's dtype does not matter; the harness fetches y itself.
    `  ${LOSS_NODE}: {op: variable, shape: [], init: zeros}`,
    'train:',
    `  loss: ${LOSS_NODE}`,
    '  optimizer: {type: sgd, learning_rate: 1}',
    '  dataset: mnist',
    '  steps: 1',
    '  batch_size: 1',
    '  feeds: {train: {}, eval: {}}',
    '  eval: {every: 1, batches: 1}',
    `  metrics: {loss: ${LOSS_NODE}}`,
    '',
  ].join('\n');
}

/** Diagnostics the harness's own spec raises on purpose: y is fetched by the harness, not by the loss. */
const EXPECTED_WARNINGS = new Set(['GC412']);

const compiled = new Map<string, Promise<AnyCompiledModel>>();

/** Compiles a spec once per distinct text (cases on every backend share it) and imports its module. */
export function compileCase(c: PeerCase): Promise<AnyCompiledModel> {
  const text = specFor(c);
  let model = compiled.get(text);
  if (!model) {
    model = importCompiled(text, c);
    compiled.set(text, model);
  }
  return model;
}

async function importCompiled(text: string, c: PeerCase): Promise<AnyCompiledModel> {
  const file = `peer-${c.node.op}.yaml`;
  const result = compileSpecText(text, file);
  const problems = result.diagnostics.filter((d) => !(d.severity === 'warning' && EXPECTED_WARNINGS.has(d.code)));
  if (!result.code || problems.length > 0) {
    const sources = new Map([[file, text]]);
    throw new Error(`the compiler rejected the case's spec:\n${problems.map((d) => formatDiagnostic(d, { sources })).join('\n')}\n--- spec ---\n${text}`);
  }
  const hash = createHash('sha256').update(result.code).digest('hex').slice(0, 12);
  const path = resolve(MODULE_DIR, `${c.node.op}-${hash}.ts`);
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    // Written whole, then renamed: another test file compiling the same case at the same time never imports half a module.
    const partial = `${path}.${process.pid}.tmp`;
    writeFileSync(partial, result.code);
    renameSync(partial, path);
  }
  const module = (await import(pathToFileURL(path).href)) as { model: AnyCompiledModel };
  return module.model;
}

// ---------------------------------------------------------------- values

export interface TensorValues {
  readonly shape: readonly number[];
  readonly dtype: PeerDtype;
  /** Row-major; float32 values are exactly representable in float32. */
  readonly values: readonly number[];
}

/** A case with its values fixed: what graphc and PyTorch both compute from. */
export interface PreparedCase {
  readonly op: string;
  readonly case: PeerCase;
  readonly model: AnyCompiledModel;
  readonly inputs: readonly TensorValues[];
  /** The node's variables by graph name. */
  readonly variables: Readonly<Record<string, TensorValues>>;
  /** Which of y's outputs are compared (one unless the op has several). */
  readonly outputs: readonly number[];
  /** One per compared output: a float32 output's cotangent, undefined for int32/bool. */
  readonly cotangents: readonly (TensorValues | undefined)[];
  readonly seed: number;
}

function hashSeed(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32LE(0);
}

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function draw(random: RandomStream, shape: readonly number[], dtype: PeerDtype, range?: readonly [number, number]): number[] {
  const n = size(shape);
  const out: number[] = [];
  if (dtype === 'bool') {
    for (let i = 0; i < n; i++) out.push(random.nextInt(2));
  } else if (dtype === 'int32') {
    const [lo, hi] = range ?? [0, 10];
    for (let i = 0; i < n; i++) out.push(lo + random.nextInt(hi - lo));
  } else {
    const [lo, hi] = range ?? [-2, 2];
    for (let i = 0; i < n; i++) out.push(Math.fround(lo + (hi - lo) * random.nextFloat()));
  }
  return out;
}

function outputsOf(y: unknown): tf.Tensor[] {
  if (y instanceof tf.Tensor) return [y];
  if (Array.isArray(y) && y.every((t) => t instanceof tf.Tensor)) return y as tf.Tensor[];
  throw new Error(`node y is neither a tensor nor a list of tensors`);
}

function peerDtype(dtype: string): PeerDtype {
  if (dtype === 'float32' || dtype === 'int32' || dtype === 'bool') return dtype;
  throw new Error(`unexpected dtype ${dtype}`);
}

/**
 * Fixes a case's values: inputs, variables (their names and shapes from the
 * module's createVariables) and cotangents (shapes from one forward pass),
 * all seeded by the op and case name. Run on the cpu backend.
 */
export async function prepareCase(op: string, c: PeerCase): Promise<PreparedCase> {
  const model = await compileCase(c);
  const seed = hashSeed(`${op}\n${c.name}`);
  const random = new RandomStream(seed, 'values');
  const inputs = c.inputs.map((input): TensorValues => {
    const dtype = input.dtype ?? 'float32';
    const values = input.values ? [...input.values] : draw(random, input.shape, dtype, input.range);
    if (values.length !== size(input.shape)) throw new Error(`input has ${values.length} values for shape [${input.shape.join(', ')}]`);
    return { shape: input.shape, dtype, values: dtype === 'float32' ? values.map(Math.fround) : values };
  });
  let prepared: PreparedCase | undefined;
  tf.tidy(() => {
    const init = new Initializer(new RandomStream(seed, 'init'));
    const vars = model.createVariables(init);
    const variables: Record<string, TensorValues> = {};
    for (const { name, variable } of init.variables()) {
      if (name === LOSS_NODE) continue;
      variables[name] = { shape: variable.shape, dtype: 'float32', values: draw(random, variable.shape, 'float32', c.variableRange ?? [-1, 1]) };
    }
    const nodes = model.forward(vars, feedsFor(c, inputs.map((i) => tensorOf(i))), contextFor(c, seed));
    const all = outputsOf(nodes['y']);
    const outputs = c.outputs === undefined ? all.map((_, i) => i) : typeof c.outputs === 'number' ? [c.outputs] : [...c.outputs];
    const cotangents = outputs.map((i) => {
      const out = all[i];
      if (!out) throw new Error(`y has ${all.length} outputs; the case compares output ${i}`);
      return out.dtype === 'float32' ? { shape: out.shape, dtype: 'float32' as const, values: draw(random, out.shape, 'float32', [-1, 1]) } : undefined;
    });
    for (const { variable } of init.variables()) variable.dispose();
    prepared = { op, case: c, model, inputs, variables, outputs, cotangents, seed };
  });
  return prepared!;
}

function tensorOf(t: TensorValues): tf.Tensor {
  return tf.tensor(t.values as number[], [...t.shape], t.dtype);
}

function feedsFor(c: PeerCase, inputs: readonly tf.Tensor[]): Record<string, tf.Tensor | number> {
  const feeds: Record<string, tf.Tensor | number> = {};
  inputs.forEach((t, i) => (feeds[`x${i}`] = t));
  for (const [name, p] of Object.entries(c.extraPlaceholders ?? {})) {
    feeds[name] = typeof p.value === 'number' && p.shape.length === 0 ? p.value : tf.tensor(p.value as number[] | number, [...p.shape], p.dtype);
  }
  return feeds;
}

function contextFor(c: PeerCase, seed: number): ForwardContext & { readonly phase: Phase } {
  return { random: new RandomStream(seed, 'dropout'), exampleOffset: 0, phase: c.phase ?? 'train' };
}

// ---------------------------------------------------------------- graphc's side

/** What one side computed: the compared outputs, and the gradients by input index and variable name. */
export interface PeerResult {
  readonly outputs: readonly TensorValues[];
  readonly inputGrads: Readonly<Record<string, readonly number[]>>;
  readonly variableGrads: Readonly<Record<string, readonly number[]>>;
}

/** Runs a prepared case on the current backend. */
export async function runGraphc(p: PreparedCase): Promise<PeerResult> {
  const created: tf.Tensor[] = [];
  try {
    const init = new Initializer(new RandomStream(p.seed, 'init'));
    const vars = p.model.createVariables(init);
    const named = init.variables();
    created.push(...named.map((n) => n.variable));
    const trainable: { name: string; variable: tf.Variable }[] = [];
    for (const { name, variable } of named) {
      const values = p.variables[name];
      if (!values) continue;
      tf.tidy(() => variable.assign(tensorOf(values)));
      trainable.push({ name, variable });
    }
    // Float inputs are variables too, so that one variableGrads gives every gradient.
    const inputs = p.inputs.map((input) => (input.dtype === 'float32' ? tf.variable(tensorOf(input) as tf.Tensor, true) : tensorOf(input)));
    created.push(...inputs);
    const inputLeaves = inputs.flatMap((t, i) => (t instanceof tf.Variable ? [{ index: i, variable: t }] : []));
    const leaves = [...inputLeaves.map((l) => l.variable), ...trainable.map((t) => t.variable)];
    const feeds = feedsFor(p.case, inputs);
    created.push(...Object.values(feeds).filter((f): f is tf.Tensor => f instanceof tf.Tensor && !inputs.includes(f)));
    const context = contextFor(p.case, p.seed);
    const differentiable = p.cotangents.some((c) => c !== undefined) && leaves.length > 0;

    // Kept out of the tidy and read asynchronously: webgpu reads back only with data().
    const { outputs, grads } = tf.tidy(() => {
      const fetch = (): tf.Tensor[] => {
        const all = outputsOf(p.model.forward(vars, feeds, context)['y']);
        return p.outputs.map((i) => all[i]!);
      };
      if (!differentiable) return { outputs: fetch().map((t) => tf.keep(t)), grads: {} as Record<string, tf.Tensor> };
      let ys: tf.Tensor[] = [];
      const result = tf.variableGrads(() => {
        ys = fetch().map((t) => tf.keep(t));
        const terms = ys.flatMap((y, i) => {
          const cot = p.cotangents[i];
          return cot ? [tf.sum(tf.mul(y, tensorOf(cot)))] : [];
        });
        // Zero times every leaf: each gets a gradient (zeros where y does not depend on it) without changing any value.
        for (const leaf of leaves) terms.push(tf.mul(tf.scalar(0), tf.sum(leaf)));
        // Added in pairs: webgpu's AddN binds every input at once and has a small per-shader limit.
        return terms.reduce((a, b) => tf.add(a, b)) as tf.Scalar;
      }, leaves);
      return { outputs: ys, grads: result.grads };
    });
    created.push(...outputs, ...Object.values(grads));
    // One read at a time, in order.
    const read = async (t: tf.Tensor): Promise<number[]> => Array.from(await t.data());
    const result: { outputs: TensorValues[]; inputGrads: Record<string, number[]>; variableGrads: Record<string, number[]> } = { outputs: [], inputGrads: {}, variableGrads: {} };
    for (const t of outputs) result.outputs.push({ shape: t.shape, dtype: peerDtype(t.dtype), values: await read(t) });
    if (!differentiable) return result;
    const gradOf = async (v: tf.Variable): Promise<number[]> => {
      const g = grads[v.name];
      if (!g) throw new Error(`no gradient for a variable of shape [${v.shape.join(', ')}]`);
      return read(g);
    };
    for (const l of inputLeaves) result.inputGrads[`x${l.index}`] = await gradOf(l.variable);
    for (const t of trainable) result.variableGrads[t.name] = await gradOf(t.variable);
    return result;
  } finally {
    for (const t of created) if (!t.isDisposed) t.dispose();
  }
}

// ---------------------------------------------------------------- PyTorch's side

export const pythonCommand = (): string => process.env['GRAPHC_PYTHON'] ?? 'python3';

/** Whether the interpreter has torch, found without importing it (that is the child's first act anyway). */
export function torchAvailable(): { readonly ok: boolean; readonly reason: string } {
  const r = spawnSync(pythonCommand(), ['-c', "import importlib.util, sys; sys.exit(0 if importlib.util.find_spec('torch') else 3)"], { encoding: 'utf8' });
  if (r.error) return { ok: false, reason: `${pythonCommand()} does not run (${r.error.message}; GRAPHC_PYTHON names another interpreter)` };
  if (r.status !== 0) return { ok: false, reason: `${pythonCommand()} has no torch (Debian: apt install python3-torch; GRAPHC_PYTHON names another interpreter)` };
  return { ok: true, reason: '' };
}

export type TorchAnswer = PeerResult | { readonly error: string };

/** Every prepared case through one python3 child: its answers in the same order. */
export async function runTorch(cases: readonly PreparedCase[]): Promise<{ version: string; answers: TorchAnswer[] }> {
  const request = {
    cases: cases.map((p) => ({
      name: `${p.op}: ${p.case.name}`,
      torch: p.case.torch,
      inputs: p.inputs,
      variables: p.variables,
      extra: Object.fromEntries(Object.entries(p.case.extraPlaceholders ?? {}).map(([name, e]) => [name, { shape: e.shape, dtype: e.dtype, values: typeof e.value === 'number' ? [e.value] : e.value }])),
      outputs: p.outputs,
      cotangents: p.cotangents.map((c) => c ?? null),
    })),
  };
  const text = await new Promise<string>((resolveText, reject) => {
    const child = spawn(pythonCommand(), [PEER_SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, OMP_NUM_THREADS: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolveText(stdout) : reject(new Error(`${pythonCommand()} ${PEER_SCRIPT} exited with ${code}:\n${stderr}`))));
    child.stdin.end(JSON.stringify(request));
  });
  const reply = JSON.parse(text, (_key, value: unknown) => (value === 'NaN' ? NaN : value === 'Infinity' ? Infinity : value === '-Infinity' ? -Infinity : value)) as
    | { torch: false; reason: string }
    | { torch: true; version: string; results: TorchAnswer[] };
  if (!reply.torch) throw new Error(`${pythonCommand()} cannot import torch: ${reply.reason}`);
  return { version: reply.version, answers: reply.results };
}

// ---------------------------------------------------------------- comparing

/** The largest differences seen in one tensor (or many, merged). */
export interface Differences {
  /** max |graphc − torch| */
  maxAbs: number;
  /** max |graphc − torch| / |torch| over the values with |torch| ≥ atol (elsewhere a relative difference means little). */
  maxRel: number;
  /** max |graphc − torch| / (atol + rtol·|torch|): at most 1 passes. */
  maxRatio: number;
}

export interface Comparison extends Differences {
  readonly ok: boolean;
  /** Where the ratio is largest: the index, graphc's and torch's value. */
  readonly worst?: { readonly index: readonly number[]; readonly graphc: number; readonly torch: number };
  readonly problem?: string;
}

function unravel(flat: number, shape: readonly number[]): number[] {
  const index: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    index.unshift(flat % shape[d]!);
    flat = Math.floor(flat / shape[d]!);
  }
  return index;
}

export function compareValues(graphc: readonly number[], torch: readonly number[], shape: readonly number[], dtype: PeerDtype, tol: { rtol: number; atol: number }): Comparison {
  const none = { maxAbs: 0, maxRel: 0, maxRatio: 0 };
  if (graphc.length !== torch.length) return { ...none, ok: false, problem: `${graphc.length} values against torch's ${torch.length}` };
  let worst = -1;
  let maxAbs = 0;
  let maxRel = 0;
  let maxRatio = 0;
  let ok = true;
  for (let i = 0; i < graphc.length; i++) {
    const a = graphc[i]!;
    const b = torch[i]!;
    if (Number.isNaN(a) && Number.isNaN(b)) continue;
    let diff = Math.abs(a - b);
    if (a === b) diff = 0; // equal infinities
    if (Number.isNaN(diff)) diff = Infinity;
    const exact = dtype !== 'float32';
    const ratio = exact ? (diff === 0 ? 0 : Infinity) : diff / (tol.atol + tol.rtol * Math.abs(b));
    if (diff > maxAbs) maxAbs = diff;
    if (Math.abs(b) >= tol.atol && diff / Math.abs(b) > maxRel) maxRel = diff / Math.abs(b);
    if (worst < 0 || ratio > maxRatio) {
      maxRatio = ratio;
      worst = i;
    }
    if (ratio > 1) ok = false;
  }
  return { ok, maxAbs, maxRel, maxRatio, ...(worst >= 0 ? { worst: { index: unravel(worst, shape), graphc: graphc[worst]!, torch: torch[worst]! } } : {}) };
}

/** One tensor's comparison, named as a failure message names it. */
export interface TensorComparison {
  /** 'output', 'output 1', 'grad of x1', "grad of v['y/kernel']" */
  readonly tensor: string;
  readonly comparison: Comparison;
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/** Compares graphc's result with torch's, tensor by tensor. */
export function compareResults(p: PreparedCase, graphc: PeerResult, torch: PeerResult): TensorComparison[] {
  const tol = p.case.tolerance ?? DEFAULT_TOLERANCE;
  const out: TensorComparison[] = [];
  const bad = (tensor: string, problem: string): void => void out.push({ tensor, comparison: { ok: false, maxAbs: 0, maxRel: 0, maxRatio: Infinity, problem } });
  graphc.outputs.forEach((g, i) => {
    const tensor = p.outputs.length === 1 && p.outputs[0] === 0 ? 'output' : `output ${p.outputs[i]}`;
    const t = torch.outputs[i];
    if (!t) return bad(tensor, 'torch gave no such output');
    if (!sameShape(g.shape, t.shape)) return bad(tensor, `graphc's shape [${g.shape.join(', ')}], torch's [${t.shape.join(', ')}]`);
    if (g.dtype !== t.dtype) return bad(tensor, `graphc's dtype ${g.dtype}, torch's ${t.dtype} (the torch code should give the same kind: float32, an integer or bool)`);
    out.push({ tensor, comparison: compareValues(g.values, t.values, g.shape, g.dtype, tol) });
  });
  if (torch.outputs.length !== graphc.outputs.length) bad('outputs', `graphc gave ${graphc.outputs.length} compared outputs, torch ${torch.outputs.length}`);
  for (const [name, g] of Object.entries(graphc.inputGrads)) {
    const t = torch.inputGrads[name];
    const shape = p.inputs[Number(name.slice(1))]!.shape;
    if (!t) bad(`grad of ${name}`, 'torch gave no gradient');
    else out.push({ tensor: `grad of ${name}`, comparison: compareValues(g, t, shape, 'float32', tol) });
  }
  for (const [name, g] of Object.entries(graphc.variableGrads)) {
    const t = torch.variableGrads[name];
    const tensor = `grad of v['${name}']`;
    if (!t) bad(tensor, 'torch gave no gradient');
    else out.push({ tensor, comparison: compareValues(g, t, p.variables[name]!.shape, 'float32', tol) });
  }
  return out;
}

const fmt = (x: number): string => (Number.isFinite(x) ? (x === 0 ? '0' : Math.abs(x) >= 1e-3 && Math.abs(x) < 1e4 ? x.toPrecision(4) : x.toExponential(2)) : String(x));

export function describeInputs(p: PreparedCase): string {
  const inputs = p.inputs.map((t, i) => `x${i}: ${t.dtype}[${t.shape.join(', ')}]`);
  return inputs.length > 0 ? inputs.join(', ') : 'no inputs';
}

/** The failure message: op, case, input shapes, backend, and each tensor that differs with its largest difference. */
export function failureMessage(p: PreparedCase, backend: string, compared: readonly TensorComparison[]): string | undefined {
  const tol = p.case.tolerance ?? DEFAULT_TOLERANCE;
  const failed = compared.filter((c) => !c.comparison.ok);
  if (failed.length === 0) return undefined;
  const lines = failed.map(({ tensor, comparison: c }) => {
    if (c.problem) return `  ${tensor}: ${c.problem}`;
    const w = c.worst!;
    return `  ${tensor}: largest difference ${fmt(Math.abs(w.graphc - w.torch))} at [${w.index.join(', ')}] (graphc ${fmt(w.graphc)}, torch ${fmt(w.torch)}; ${fmt(c.maxRatio)}× the tolerance); max abs ${fmt(c.maxAbs)}, max rel ${fmt(c.maxRel)}`;
  });
  return `${p.op} '${p.case.name}' (${describeInputs(p)}) on ${backend} differs from PyTorch beyond atol ${tol.atol} + rtol ${tol.rtol}·|torch|:\n${lines.join('\n')}`;
}

// ---------------------------------------------------------------- the report

export interface ReportRow extends Differences {
  readonly op: string;
  readonly backend: string;
  cases: number;
}

/** The largest differences per op and backend, over every case and every tensor. */
export class PeerReport {
  private readonly rows = new Map<string, ReportRow>();
  /** Cases marked knownFailure, kept out of the rows so that the rows say what passes. */
  private readonly known: { op: string; backend: string; name: string; reason: string; seen: string }[] = [];

  addKnown(op: string, backend: string, name: string, reason: string, compared: readonly TensorComparison[]): void {
    const problem = compared.find((c) => c.comparison.problem);
    const seen = problem ? `${problem.tensor}: ${problem.comparison.problem}` : `max abs ${fmt(Math.max(0, ...compared.map((c) => c.comparison.maxAbs)))}`;
    this.known.push({ op, backend, name, reason, seen });
  }

  add(op: string, backend: string, compared: readonly TensorComparison[]): void {
    const key = `${op}\n${backend}`;
    let row = this.rows.get(key);
    if (!row) {
      row = { op, backend, cases: 0, maxAbs: 0, maxRel: 0, maxRatio: 0 };
      this.rows.set(key, row);
    }
    row.cases++;
    for (const { comparison: c } of compared) {
      row.maxAbs = Math.max(row.maxAbs, c.maxAbs);
      row.maxRel = Math.max(row.maxRel, c.maxRel);
      row.maxRatio = Math.max(row.maxRatio, c.maxRatio);
    }
  }

  list(): ReportRow[] {
    return [...this.rows.values()].sort((a, b) => a.op.localeCompare(b.op) || PEER_BACKENDS.indexOf(a.backend as PeerBackend) - PEER_BACKENDS.indexOf(b.backend as PeerBackend));
  }

  /** One line per op: cases, then max abs / max rel / share of the tolerance on each backend. */
  table(backends: readonly string[]): string {
    const ops = [...new Set(this.list().map((r) => r.op))];
    const header = ['op', 'cases', ...backends.map((b) => `${b} abs / rel / tol`)];
    const body = ops.map((op) => {
      const cases = Math.max(...backends.map((b) => this.rows.get(`${op}\n${b}`)?.cases ?? 0));
      const cells = backends.map((b) => {
        const r = this.rows.get(`${op}\n${b}`);
        // A backend with fewer compared cases (the others are known failures there) says how many.
        return r ? `${fmt(r.maxAbs)} / ${fmt(r.maxRel)} / ${fmt(r.maxRatio)}${r.cases < cases ? ` (${r.cases} cases)` : ''}` : '-';
      });
      return [op, String(cases), ...cells];
    });
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
    const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
    const known = this.known.map((k) => `  ${k.op} '${k.name}' on ${k.backend}: ${k.reason} (seen: ${k.seen})`);
    return [line(header), ...body.map(line), ...(known.length > 0 ? ['known failures (it.fails, not in the rows above):', ...known] : [])].join('\n');
  }

  write(path: string, meta: Record<string, unknown>): void {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${JSON.stringify({ ...meta, rows: this.list(), knownFailures: this.known }, null, 2)}\n`);
  }
}
