/**
 * Phase 2, analysis: a loaded spec → the IR. Checks names and references,
 * orders the graph topologically (reporting cycles), infers every node's dtype
 * and shape with its op's rule, and checks the training section against the
 * inferred types. Errors stop before code generation; warnings do not.
 */
import type { Code, ParamsOf } from '../../common/diagnostics/catalogue.js';
import { diagnostic, hasErrors, type Diagnostic } from '../../common/diagnostics/diagnostic.js';
import { findOp } from '../ops/index.js';
import { outputTypes, type InferContext, type InputInfo, type OpDefinition } from '../ops/op.js';
import { LogFormatError, logFields, parseLogTemplate, type LogPart } from '../../common/log-template.js';
import type { LoadedSpec } from '../1-spec/index.js';
import type { FeedValue, NodeSpec } from '../1-spec/types.js';
import { suggest } from '../../common/suggest.js';
import type { DatasetField } from '../types/datasets.js';
import { analyzeDataset, type DataField, type DataFields } from './dataset.js';
import type { IrGraph, IrNode, IrPlaceholder, IrTrain } from './graph.js';
import { reservedReason } from './names.js';
import { analyzeClip, analyzeEarlyStopping, analyzeMicroBatches, analyzeSchedule, analyzeWeightDecay } from './train-knobs.js';
import type { TensorType } from '../types/tensor.js';
import { parseReference } from '../types/reference.js';

export interface AnalyzeResult {
  readonly graph?: IrGraph;
  readonly diagnostics: Diagnostic[];
}

export function analyze(loaded: LoadedSpec): AnalyzeResult {
  return new Analyzer(loaded).run();
}

class Analyzer {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly spec;
  /** Placeholders' and single-output nodes' types. */
  private readonly types = new Map<string, TensorType>();
  /** Multi-output nodes' op and output types; their outputs are referenced as `name:i`. */
  private readonly multiOutputs = new Map<string, { op: string; types: readonly TensorType[] }>();
  /** Placeholder–file pairs already reported (a placeholder fed in both phases is reported once per file). */
  private readonly reportedSources = new Set<string>();

  constructor(private readonly loaded: LoadedSpec) {
    this.spec = loaded.spec;
  }

  private report<C extends Code>(code: C, params: ParamsOf<C>, path: string, prefer: 'value' | 'key' = 'value'): void {
    let note: string | undefined;
    for (let p = path; ; p = p.slice(0, p.lastIndexOf('/'))) {
      note = this.loaded.provenance.get(p);
      if (note || p === '') break;
    }
    this.diagnostics.push(diagnostic(code, params, this.loaded.sourceMap.locate(path, prefer), note));
  }

  run(): AnalyzeResult {
    this.checkNames();
    // Colliding or reserved names would make every later message about them ambiguous.
    if (hasErrors(this.diagnostics)) return { diagnostics: this.diagnostics };
    const placeholderNames = Object.keys(this.spec.placeholders);
    for (const name of placeholderNames) {
      const p = this.spec.placeholders[name]!;
      this.types.set(name, { dtype: p.dtype, shape: p.shape });
    }
    const order = this.order();
    const nodes = order ? this.infer(order) : [];
    if (hasErrors(this.diagnostics)) return { diagnostics: this.diagnostics };

    const used = new Set(nodes.flatMap((n) => [...n.inputs, ...(n.op.attributeReferences?.(n.attrs) ?? []).map((r) => r.name)].map((r) => parseReference(r).name)));
    const placeholders: IrPlaceholder[] = placeholderNames.map((name) => ({ name, type: this.types.get(name)!, used: used.has(name) }));
    const train = this.checkTrain(nodes, placeholders);
    if (!train || hasErrors(this.diagnostics)) return { diagnostics: this.diagnostics };

    return {
      diagnostics: this.diagnostics,
      graph: {
        name: this.spec.name,
        ...(this.spec.description !== undefined ? { description: this.spec.description } : {}),
        file: this.loaded.file,
        params: Object.fromEntries(this.loaded.params),
        placeholders,
        nodes,
        train,
      },
    };
  }

  private checkNames(): void {
    const seen = new Map<string, string>();
    const sections = [
      ['params', 'a param'],
      ['placeholders', 'a placeholder'],
      ['nodes', 'a node'],
    ] as const;
    for (const [section, kind] of sections) {
      for (const name of Object.keys((this.spec[section] ?? {}) as object)) {
        const path = `/${section}/${name}`;
        const reason = reservedReason(name);
        if (reason) this.report('GC208', { name, reason }, path, 'key');
        // Params live in their own namespace ($name); placeholders and nodes share one.
        if (section === 'params') continue;
        const other = seen.get(name);
        if (other) this.report('GC403', { name, other }, path, 'key');
        else seen.set(name, kind);
      }
    }
  }

  private referenceable(): string[] {
    return [...Object.keys(this.spec.placeholders), ...Object.keys(this.spec.nodes)];
  }

  /** Node names in topological order (stable in spec order), or undefined after reporting. */
  private order(): string[] | undefined {
    const nodes = this.spec.nodes;
    const names = Object.keys(nodes);
    const known = new Set(this.referenceable());
    const deps = new Map<string, string[]>();
    let ok = true;
    for (const name of names) {
      const node = nodes[name]!;
      const op = findOp(node.op);
      if (!op) {
        this.report('GC206', { op: node.op }, `/nodes/${name}/op`);
        ok = false;
        continue;
      }
      const refs = this.references(name, node, op);
      for (const ref of refs) {
        const target = parseReference(ref.name).name;
        if (!known.has(target)) {
          this.report('GC401', { name: target, kind: 'node or placeholder', suggestion: suggest(target, this.referenceable()) }, ref.path);
          ok = false;
        }
      }
      deps.set(name, refs.map((r) => parseReference(r.name).name).filter((r) => r in nodes));
    }
    if (!ok) return undefined;

    const indegree = new Map(names.map((n) => [n, deps.get(n)!.length]));
    const dependents = new Map<string, string[]>(names.map((n) => [n, []]));
    for (const n of names) for (const d of deps.get(n)!) dependents.get(d)!.push(n);
    const index = new Map(names.map((n, i) => [n, i]));
    const ready = names.filter((n) => indegree.get(n) === 0);
    const order: string[] = [];
    while (ready.length > 0) {
      ready.sort((a, b) => index.get(a)! - index.get(b)!);
      const n = ready.shift()!;
      order.push(n);
      for (const m of dependents.get(n)!) {
        const left = indegree.get(m)! - 1;
        indegree.set(m, left);
        if (left === 0) ready.push(m);
      }
    }
    if (order.length < names.length) {
      const cycle = findCycle(names.filter((n) => !order.includes(n)), deps);
      this.report('GC402', { cycle }, `/nodes/${cycle[0]}`, 'key');
      return undefined;
    }
    return order;
  }

  private references(name: string, node: NodeSpec, op: OpDefinition): { name: string; path: string }[] {
    const inputs = (node.inputs ?? []).map((input, i) => ({ name: input, path: `/nodes/${name}/inputs/${i}` }));
    const attrs = (op.attributeReferences?.(node) ?? []).map((r) => ({ name: r.name, path: `/nodes/${name}/${r.path}` }));
    return [...inputs, ...attrs];
  }

  private infer(order: readonly string[]): IrNode[] {
    const out: IrNode[] = [];
    for (const name of order) {
      const node = this.spec.nodes[name]!;
      const op = findOp(node.op)!;
      // The schema has checked the number of inputs.
      const inputNames = node.inputs ?? [];
      const inputs: InputInfo[] = [];
      for (const [i, input] of inputNames.entries()) {
        const type = this.resolve(input, `/nodes/${name}/inputs/${i}`);
        if (type) inputs.push({ name: input, type });
      }
      const { op: _op, inputs: _inputs, ...attrs } = node;
      const attributeRefs = op.attributeReferences?.(attrs) ?? [];
      const resolved = attributeRefs.filter((r) => this.resolve(r.name, `/nodes/${name}/${r.path}`));
      // An input whose own inference failed was already reported; don't cascade.
      if (inputs.length < inputNames.length || resolved.length < attributeRefs.length) continue;
      const ctx: InferContext = {
        node: name,
        attrs,
        inputs,
        typeOf: (n) => this.resolve(n),
        error: (code, params, attrPath) => {
          this.report(code, params, attrPath ? `/nodes/${name}/${attrPath}` : `/nodes/${name}`, attrPath ? 'value' : 'key');
          return undefined;
        },
      };
      const result = op.infer(ctx);
      if (!result) continue;
      const types = outputTypes(result);
      const type = types[0]!;
      const outputs = 'outputs' in result ? { outputs: types } : {};
      if ('outputs' in result) this.multiOutputs.set(name, { op: op.name, types });
      else this.types.set(name, type);
      const inputTypes = inputs.map((i) => i.type);
      const variables = op.variables?.({ node: name, attrs, inputTypes, type });
      out.push({ name, op, attrs, inputs: inputNames, inputTypes, type, ...outputs, ...(variables ? { variables } : {}) });
    }
    return out;
  }

  /**
   * The type a reference (`name` or `name:i`) names. Undefined when its node's
   * own inference failed (reported there), or after reporting, at `path`,
   * a bare reference to a multi-output node (GC530) or an output it lacks (GC531).
   */
  private resolve(reference: string, path?: string): TensorType | undefined {
    const { name, output } = parseReference(reference);
    const multi = this.multiOutputs.get(name);
    if (multi) {
      const count = multi.types.length;
      if (output === undefined) {
        if (path) this.report('GC530', { node: name, op: multi.op, count, role: 'input' }, path);
        return undefined;
      }
      if (output >= count) {
        if (path) this.report('GC531', { reference, node: name, op: multi.op, count }, path);
        return undefined;
      }
      return multi.types[output];
    }
    const type = this.types.get(name);
    if (type && output !== undefined && output > 0) {
      if (path) this.report('GC531', { reference, node: name, count: 1 }, path);
      return undefined;
    }
    return type;
  }

  private checkTrain(nodes: readonly IrNode[], placeholders: readonly IrPlaceholder[]): IrTrain | undefined {
    const t = this.spec.train;
    const byName = new Map(nodes.map((n) => [n.name, n]));
    const nodeNames = [...byName.keys()];
    let ok = true;

    const lossNode = byName.get(t.loss);
    if (!lossNode) {
      this.report('GC401', { name: t.loss, kind: 'node', suggestion: suggest(t.loss, nodeNames) }, '/train/loss');
      ok = false;
    } else if (lossNode.outputs) {
      this.report('GC530', { node: t.loss, op: lossNode.op.name, count: lossNode.outputs.length, role: 'loss' }, '/train/loss');
      ok = false;
    } else if (lossNode.type.dtype !== 'float32' || lossNode.type.shape.length !== 0) {
      this.report('GC406', { node: t.loss, problem: 'not_scalar', type: lossNode.type }, '/train/loss');
      ok = false;
    } else if (!this.dependencies(t.loss, byName).some((n) => byName.get(n)?.variables)) {
      this.report('GC406', { node: t.loss, problem: 'no_variables' }, '/train/loss');
      // Clipping or weight decay asked for on such a loss is a misunderstanding of its own: say where.
      if (analyzeClip(t.clip)) this.report('GC572', { knob: 'clip', node: t.loss }, '/train/clip', 'key');
      if (analyzeWeightDecay(t.weight_decay)) this.report('GC572', { knob: 'weight_decay', node: t.loss }, '/train/weight_decay', 'key');
      ok = false;
    }

    const metrics = Object.entries(t.metrics).map(([name, node]) => ({ name, node }));
    for (const m of metrics) {
      const node = byName.get(m.node);
      const path = `/train/metrics/${m.name}`;
      if (!node) {
        this.report('GC401', { name: m.node, kind: 'node', suggestion: suggest(m.node, nodeNames) }, path);
        ok = false;
      } else if (node.outputs) {
        this.report('GC530', { node: m.node, op: node.op.name, count: node.outputs.length, role: 'metric' }, path);
        ok = false;
      } else if (node.type.shape.length !== 0 || node.type.dtype === 'bool') {
        this.report('GC409', { metric: m.name, node: m.node, type: node.type }, path);
        ok = false;
      }
    }
    if (!ok) return undefined;

    const data = analyzeDataset(t.dataset, this.loaded.file, (code, params, path, prefer) => this.report(code, params, path, prefer));
    const evalBatch = t.eval.batch_size ?? t.batch_size;
    const fetched = [t.loss, ...metrics.map((m) => m.node)];
    const needed = new Set(fetched.flatMap((n) => this.dependencies(n, byName)));
    for (const phase of ['train', 'eval'] as const) {
      const feeds = t.feeds[phase];
      const batchSize = phase === 'train' ? t.batch_size : evalBatch;
      for (const [name, value] of Object.entries(feeds)) {
        const path = `/train/feeds/${phase}/${name}`;
        const p = placeholders.find((x) => x.name === name);
        if (!p) {
          this.report('GC401', { name, kind: 'placeholder', suggestion: suggest(name, placeholders.map((x) => x.name)) }, path, 'key');
          continue;
        }
        this.checkFeed(name, p.type, value, data, batchSize, path);
      }
      for (const p of placeholders) {
        if (needed.has(p.name) && !(p.name in feeds)) this.report('GC407', { placeholder: p.name, phase }, `/train/feeds/${phase}`, 'key');
      }
    }
    for (const p of placeholders) {
      if (!p.used && this.spec.placeholders[p.name]!.unused !== true) this.report('GC405', { placeholder: p.name }, `/placeholders/${p.name}`, 'key');
    }
    for (const n of nodes) {
      if (!needed.has(n.name)) this.report('GC412', { node: n.name }, `/nodes/${n.name}`, 'key');
    }

    const log = t.log ?? defaultLogTemplate(metrics.map((m) => m.name));
    let logParts: LogPart[];
    try {
      logParts = parseLogTemplate(log);
    } catch (error) {
      if (!(error instanceof LogFormatError)) throw error;
      this.report('GC411', { problem: error.problem }, '/train/log');
      return undefined;
    }
    // The validation split's metrics where the dataset holds one out (MNIST always does: 5000 examples).
    const validation = typeof t.dataset === 'string' || (t.dataset.validation ?? 0) > 0;
    const allowed = ['step', 'elapsed', ...metrics.flatMap((m) => [`train.${m.name}`, ...(validation ? [`validation.${m.name}`] : []), `test.${m.name}`])];
    for (const field of logFields(logParts)) {
      if (!allowed.includes(field)) {
        this.report('GC410', { field, suggestion: suggest(field, allowed), allowed }, '/train/log');
        return undefined;
      }
    }

    const knobsBefore = this.diagnostics.length;
    const report = <C extends Code>(code: C, params: ParamsOf<C>, path: string, prefer?: 'value' | 'key'): void => this.report(code, params, path, prefer);
    const monitorContext = { metrics, loss: t.loss, validation };
    // class_weights: balanced counts the training split's classes: its dataset must have them.
    const balanced = nodes.filter((n) => n.attrs['class_weights'] === 'balanced');
    if (data.label_ids.absent) {
      for (const n of balanced) report('GC574', { op: n.op.name, node: n.name }, `/nodes/${n.name}/class_weights`);
    }
    const learningRateSchedule = analyzeSchedule(t.learning_rate_schedule, t.steps, report, monitorContext);
    const earlyStopping = analyzeEarlyStopping(t.early_stopping, report, monitorContext);
    const microBatches = analyzeMicroBatches(t.micro_batches, t.batch_size, report);
    if (this.diagnostics.length > knobsBefore) return undefined;
    const clip = analyzeClip(t.clip);
    const weightDecay = analyzeWeightDecay(t.weight_decay);
    return {
      loss: t.loss,
      metrics,
      optimizer: t.optimizer,
      ...(learningRateSchedule ? { learningRateSchedule } : {}),
      ...(clip ? { clip } : {}),
      ...(weightDecay ? { weightDecay } : {}),
      ...(earlyStopping ? { earlyStopping } : {}),
      ...(microBatches ? { microBatches } : {}),
      ...(balanced.length > 0 ? { classWeights: 'balanced' as const } : {}),
      dataset: t.dataset,
      steps: t.steps,
      batchSize: t.batch_size,
      feeds: t.feeds,
      evaluation: { every: t.eval.every, batches: t.eval.batches, batchSize: evalBatch },
      log,
    };
  }

  /** A feed's value against the placeholder: GC408 for what the spec says, GC605 for what a data file's header says. */
  private checkFeed(name: string, type: TensorType, value: FeedValue, data: DataFields, batchSize: number, path: string): void {
    const field = typeof value !== 'string' ? undefined : data[value.slice('batch.'.length) as DatasetField];
    if (field?.unavailable) {
      this.report('GC604', { problem: field.unavailable }, path);
      return;
    }
    if (field?.absent) {
      this.report('GC613', { field: value as string, reason: field.absent }, path);
      return;
    }
    const problem = feedProblem(type, value, field, batchSize);
    if (problem) {
      this.report('GC408', { placeholder: name, problem }, path);
      return;
    }
    for (const source of field?.sources ?? []) {
      const takes = type.shape.slice(1);
      const fits = takes.length === source.shape.length && takes.every((d, i) => d === null || d === source.shape[i]);
      const key = `${name} ${source.file}`;
      if (fits || this.reportedSources.has(key)) continue;
      this.reportedSources.add(key);
      this.report('GC605', { file: source.file, placeholder: name, field: value as string, have: source.have, takes }, `/placeholders/${name}/shape`);
    }
  }

  /** `name` and everything it depends on (nodes and placeholders). */
  private dependencies(name: string, byName: ReadonlyMap<string, IrNode>): string[] {
    const seen = new Set<string>();
    const visit = (n: string): void => {
      if (seen.has(n)) return;
      seen.add(n);
      const node = byName.get(n);
      if (!node) return;
      for (const i of node.inputs) visit(parseReference(i).name);
      for (const r of node.op.attributeReferences?.(node.attrs) ?? []) visit(parseReference(r.name).name);
    };
    visit(name);
    return [...seen];
  }
}

/** the reference notebook's line for metrics named cost and acc; the same pattern for any others. */
export function defaultLogTemplate(metrics: readonly string[]): string {
  const list = (phase: string): string => metrics.map((m) => `${m}={${phase}.${m}:.6f}`).join(', ');
  return `step {step}, train ${list('train')}; test ${list('test')}; pass {elapsed:.3f}s`;
}

function feedProblem(type: TensorType, value: FeedValue, field: DataField | undefined, batchSize: number): ParamsOf<'GC408'>['problem'] | undefined {
  if (typeof value === 'boolean') return type.dtype === 'bool' && type.shape.length === 0 ? undefined : { kind: 'bool_for_non_bool', value, type };
  if (typeof value === 'number') {
    if (type.shape.length !== 0) return { kind: 'number_for_tensor', value, type };
    if (type.dtype === 'int32' && !Number.isInteger(value)) return { kind: 'not_integer', value };
    if (type.dtype === 'bool') return { kind: 'number_for_bool' };
    return undefined;
  }
  if (field === undefined) return undefined;
  if (field.dtype !== type.dtype) return { kind: 'dtype', field: value, fieldDtype: field.dtype, dtype: type.dtype };
  // A shape known only from data files is checked against each file (GC605); here only what the spec fixes.
  if (field.shape === undefined || field.sources.length > 0) return undefined;
  const provided: TensorType = { dtype: field.dtype, shape: field.shape };
  if (provided.shape.length !== type.shape.length) return { kind: 'rank', field: value, fieldType: provided, type };
  for (let i = 0; i < type.shape.length; i++) {
    const want = type.shape[i];
    const have = provided.shape[i] ?? null;
    const actual = have === null ? batchSize : have;
    if (want !== null && want !== actual) return { kind: 'shape', field: value, fieldType: provided, type };
  }
  return undefined;
}

function findCycle(candidates: readonly string[], deps: ReadonlyMap<string, readonly string[]>): string[] {
  const inCandidates = new Set(candidates);
  const start = candidates[0]!;
  const path: string[] = [];
  const onPath = new Set<string>();
  const visit = (n: string): string[] | undefined => {
    if (onPath.has(n)) return [...path.slice(path.indexOf(n)), n];
    onPath.add(n);
    path.push(n);
    for (const d of deps.get(n) ?? []) {
      if (!inCandidates.has(d)) continue;
      const found = visit(d);
      if (found) return found;
    }
    path.pop();
    onPath.delete(n);
    return undefined;
  };
  // The walk follows dependencies (n reads d); reverse so the cycle reads in data-flow order.
  return (visit(start) ?? [start]).reverse();
}
