/**
 * Every diagnostic graphc can raise, in one place: its code, its severity and
 * its English. Code that raises one passes the code and typed parameters;
 * nothing else in the project writes a diagnostic's message.
 *
 * Ranges: GC1xx reading the file, GC2xx schema, GC3xx params and expressions,
 * GC4xx graph structure and training section, GC5xx dtypes and shapes,
 * GC6xx data files, GC7xx running (backends, modules, training faults).
 */

export type Severity = 'error' | 'warning';

interface Entry<P> {
  readonly severity: Severity;
  /** A short snake_case name, stable like the code. */
  readonly name: string;
  readonly message: (params: P) => string;
}

function entry<P = Record<string, never>>(severity: Severity, name: string, message: (params: P) => string): Entry<P> {
  return { severity, name, message };
}

const didYouMean = (suggestion: string | undefined): string => (suggestion ? ` (did you mean '${suggestion}'?)` : '');
const list = (items: readonly string[]): string => items.map((i) => `'${i}'`).join(', ');
const shape = (dims: readonly (number | null)[]): string => `[${dims.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;

export const catalogue = {
  // GC1xx: reading the spec file
  GC100: entry<{ reason: string }>('error', 'file_unreadable', (p) => `cannot read the spec: ${p.reason}`),
  GC101: entry<{ size: number; limit: number }>('error', 'file_too_large', (p) => `the spec is ${p.size} bytes; specs are limited to ${p.limit} bytes`),
  GC102: entry<{ offset: number }>('error', 'not_utf8', (p) => `the spec is not valid UTF-8 (first bad byte at offset ${p.offset})`),
  GC103: entry<{ detail: string }>('error', 'yaml_syntax', (p) => `YAML syntax error: ${p.detail}`),
  GC104: entry<{ key: string }>('error', 'duplicate_key', (p) => `duplicate key '${p.key}'`),
  GC105: entry<{ limit: number }>('error', 'alias_limit', (p) => `too many YAML alias expansions (more than ${p.limit}): the spec expands into an excessive amount of data`),
  GC106: entry('error', 'empty_file', () => 'the spec is empty; it needs at least `name`, `placeholders`, `nodes` and `train`'),
  GC107: entry<{ found: string }>('error', 'top_level_not_mapping', (p) => `the top level of a spec must be a mapping of keys (name, params, placeholders, nodes, train), not ${p.found}`),
  GC108: entry<{ tag: string }>('error', 'yaml_tag', (p) => `YAML tag '${p.tag}' is not allowed in specs`),

  // GC2xx: structure (JSON Schema)
  GC201: entry<{ key: string; suggestion?: string; allowed: readonly string[] }>('error', 'unknown_key', (p) =>
    `unknown key '${p.key}'${didYouMean(p.suggestion)}; allowed here: ${list(p.allowed)}`),
  GC202: entry<{ key: string }>('error', 'missing_key', (p) => `missing required key '${p.key}'`),
  GC203: entry<{ expected: string; found: string }>('error', 'wrong_type', (p) => `expected ${p.expected}, found ${p.found}`),
  GC204: entry<{ value: string; allowed: readonly string[]; suggestion?: string }>('error', 'not_allowed_value', (p) =>
    `'${p.value}' is not allowed here${didYouMean(p.suggestion)}; expected one of ${list(p.allowed)}`),
  GC205: entry<{ value: number; bound: string }>('error', 'out_of_range', (p) => `${p.value} is out of range: must be ${p.bound}`),
  GC206: entry<{ op: string; suggestion?: string }>('error', 'unknown_op', (p) => `unknown op '${p.op}'${didYouMean(p.suggestion)}`),
  GC207: entry<{ cell: string; suggestion?: string; allowed: readonly string[] }>('error', 'unknown_cell', (p) =>
    `unknown cell type '${p.cell}'${didYouMean(p.suggestion)}; expected one of ${list(p.allowed)}`),
  GC208: entry<{ name: string; reason: string }>('error', 'invalid_name', (p) => `'${p.name}' cannot be used as a name: ${p.reason}`),
  GC209: entry<{ detail: string }>('error', 'invalid_value', (p) => p.detail),
  GC210: entry<{ count: number; min?: number; max?: number }>('error', 'wrong_item_count', (p) =>
    `has ${p.count} item${p.count === 1 ? '' : 's'}; expected ${p.min === p.max ? p.min : p.max === undefined ? `at least ${p.min}` : p.min === undefined ? `at most ${p.max}` : `${p.min} to ${p.max}`}`),

  // GC3xx: params and expressions
  GC301: entry<{ param: string; suggestion?: string }>('error', 'unknown_param', (p) => `unknown param '$${p.param}'${didYouMean(p.suggestion)}`),
  GC302: entry<{ detail: string }>('error', 'expression_syntax', (p) => `bad expression: ${p.detail}`),
  GC303: entry<{ detail: string }>('error', 'expression_type', (p) => `expression error: ${p.detail}`),
  GC304: entry<{ param: string; suggestion?: string; known: readonly string[] }>('error', 'set_unknown_param', (p) =>
    `--set names no param '${p.param}'${didYouMean(p.suggestion)}; the spec's params are ${list(p.known)}`),
  GC305: entry<{ param: string; value: string; expected: string }>('error', 'set_bad_value', (p) =>
    `--set ${p.param}=${p.value}: expected ${p.expected}`),
  GC306: entry<{ arg: string }>('error', 'set_syntax', (p) => `--set expects NAME=VALUE, got '${p.arg}'`),

  // GC4xx: graph structure and the training section
  GC401: entry<{ name: string; suggestion?: string; kind: string }>('error', 'unknown_reference', (p) =>
    `'${p.name}' is not a ${p.kind}${didYouMean(p.suggestion)}`),
  GC402: entry<{ cycle: readonly string[] }>('error', 'cycle', (p) => `the graph has a cycle: ${p.cycle.join(' -> ')}`),
  GC403: entry<{ name: string; other: string }>('error', 'duplicate_name', (p) => `'${p.name}' is already declared as ${p.other}`),
  GC404: entry<{ op: string; count: number; expected: string }>('error', 'wrong_input_count', (p) =>
    `op '${p.op}' takes ${p.expected} input${p.expected === '1' ? '' : 's'}, got ${p.count}`),
  GC405: entry<{ placeholder: string }>('warning', 'unused_placeholder', (p) => `placeholder '${p.placeholder}' is fed but no node uses it (add \`unused: true\` to it if that is intended)`),
  GC406: entry<{ node: string; detail: string }>('error', 'bad_loss', (p) => `loss '${p.node}' ${p.detail}`),
  GC407: entry<{ placeholder: string; phase: string }>('error', 'placeholder_not_fed', (p) =>
    `placeholder '${p.placeholder}' is used by the graph but not fed in the '${p.phase}' phase`),
  GC408: entry<{ placeholder: string; detail: string }>('error', 'bad_feed', (p) => `cannot feed '${p.placeholder}': ${p.detail}`),
  GC409: entry<{ metric: string; node: string; detail: string }>('error', 'bad_metric', (p) => `metric '${p.metric}' (node '${p.node}') ${p.detail}`),
  GC410: entry<{ field: string; suggestion?: string; allowed: readonly string[] }>('error', 'bad_log_field', (p) =>
    `unknown field '{${p.field}}' in the log line${didYouMean(p.suggestion)}; available: ${list(p.allowed)}`),
  GC411: entry<{ detail: string }>('error', 'bad_log_format', (p) => `bad log line: ${p.detail}`),
  GC412: entry<{ node: string }>('warning', 'unused_node', (p) => `node '${p.node}' is computed but neither the loss nor a metric uses it`),

  // GC5xx: dtypes and shapes
  GC501: entry<{ op: string; detail: string }>('error', 'dtype_mismatch', (p) => `${p.op}: ${p.detail}`),
  GC502: entry<{ from: readonly (number | null)[]; to: readonly number[]; detail: string }>('error', 'reshape_size', (p) =>
    `cannot reshape ${shape(p.from)} into ${shape(p.to.map((d) => d))}: ${p.detail}`),
  GC503: entry<{ op: string; input: string; rank: number; expected: string }>('error', 'rank_mismatch', (p) =>
    `${p.op}: input '${p.input}' has rank ${p.rank}; expected ${p.expected}`),
  GC504: entry<{ left: readonly (number | null)[]; right: readonly (number | null)[] }>('error', 'matmul_inner', (p) =>
    `matmul: inner dimensions differ: ${shape(p.left)} × ${shape(p.right)}`),
  GC505: entry<{ op: string; axis: number; rank: number }>('error', 'axis_out_of_range', (p) =>
    `${p.op}: axis ${p.axis} is out of range for a tensor of rank ${p.rank}`),
  GC506: entry<{ op: string; left: readonly (number | null)[]; right: readonly (number | null)[] }>('error', 'broadcast', (p) =>
    `${p.op}: shapes ${shape(p.left)} and ${shape(p.right)} cannot be broadcast together`),
  GC507: entry<{ op: string; detail: string }>('error', 'shape_mismatch', (p) => `${p.op}: ${p.detail}`),
  GC508: entry<{ value: number; what: string }>('error', 'bad_dimension', (p) => `${p.what} must be a positive integer, got ${p.value}`),
  GC509: entry<{ op: string; window: readonly number[]; input: readonly number[]; what: string }>('error', 'window_too_large', (p) =>
    `${p.op}: the ${p.window.join('×')} ${p.what} does not fit the ${p.input.join('×')} input with VALID padding; use padding SAME or a smaller ${p.what}`),
  GC510: entry<{ op: string; input: string; channels: number; filter: string; expected: number }>('error', 'channels_mismatch', (p) =>
    `${p.op}: input '${p.input}' has ${p.channels} channel${p.channels === 1 ? '' : 's'} but filter '${p.filter}' expects ${p.expected} (its third dimension)`),
  GC511: entry<{ op: string; index: number; axis: number; size: number }>('error', 'index_out_of_range', (p) =>
    `${p.op}: index ${p.index} is out of range for axis ${p.axis} of size ${p.size}; use ${-p.size} to ${p.size - 1}`),
  GC512: entry<{ op: string; attribute: string; value: readonly number[] }>('error', 'window_batch_or_channel', (p) =>
    `${p.op}: ${p.attribute} ${shape(p.value)} must be 1 on the batch and channel dimensions, as in [1, height, width, 1]`),

  // GC6xx: data files
  GC601: entry<{ file: string; detail: string }>('error', 'data_file_missing', (p) => `${p.file}: ${p.detail}`),
  GC602: entry<{ file: string; detail: string }>('error', 'data_file_corrupt', (p) => `${p.file}: ${p.detail}`),
  GC603: entry<{ images: string; labels: string; imageCount: number; labelCount: number }>('error', 'data_count_mismatch', (p) =>
    `${p.images} holds ${p.imageCount} images but ${p.labels} holds ${p.labelCount} labels`),

  // GC7xx: running
  GC701: entry<{ backend: string; reason: string }>('error', 'backend_unavailable', (p) => `backend '${p.backend}' is not available: ${p.reason}`),
  GC702: entry<{ detail: string }>('error', 'module_not_found', (p) => p.detail),
  GC703: entry<{ step: number; node: string; value: string }>('error', 'non_finite_loss', (p) =>
    `the loss '${p.node}' became ${p.value} at step ${p.step}; training stopped`),
  GC704: entry<{ option: string; value: string; expected: string }>('error', 'bad_option', (p) => `${p.option} ${p.value}: expected ${p.expected}`),
  GC705: entry<{ detail: string }>('error', 'checkpoint', (p) => `checkpoint: ${p.detail}`),
  GC706: entry<{ path: string; reason: string }>('error', 'write_failed', (p) => `cannot write ${p.path}: ${p.reason}`),
  GC707: entry<{ file: string; detail: string }>('error', 'checkpoint_unreadable', (p) => `${p.file}: ${p.detail}`),
  GC708: entry<{ detail: string }>('error', 'resume_mismatch', (p) => `cannot resume: ${p.detail}`),
  GC720: entry<{ spec: string; model: string; known: readonly string[] }>('warning', 'bench_no_baseline', (p) =>
    `${p.spec}: no hand-written tfjs-layers baseline for a model named '${p.model}' (there are baselines for ${list(p.known)}); its row has no ratio`),
  GC721: entry<{ model: string; param: string; expected: string }>('error', 'bench_baseline_param', (p) =>
    `the tfjs-layers baseline for '${p.model}' needs the param '${p.param}' to be ${p.expected}`),
  GC722: entry<{ detail: string }>('error', 'bench_arguments', (p) => `graphc bench: ${p.detail}`),
  GC723: entry<{ param: string; specs: readonly string[] }>('error', 'bench_set_unused', (p) =>
    `--set ${p.param} applies to no spec of the table (${list(p.specs)}); check the param's name`),
  GC730: entry<{ worker: number; reason: string }>('error', 'worker_failed', (p) => `training worker ${p.worker} failed: ${p.reason}`),
  GC731: entry<{ detail: string }>('error', 'workers_unavailable', (p) => `cannot train with --workers: ${p.detail}`),
  GC732: entry<{ reason: string }>('error', 'baseline_failed', (p) => `the tfjs-layers baseline (in a process of its own, on stock tfjs kernels) failed: ${p.reason}`),
  GC740: entry<{ reason: string; help: string }>('error', 'webgpu_no_adapter', (p) => `backend 'webgpu' is not available: ${p.reason}; ${p.help}`),
  GC741: entry<{ reason: string }>('error', 'webgpu_not_installed', (p) =>
    `backend 'webgpu' is not available: ${p.reason}; install it with \`npm install webgpu @tensorflow/tfjs-backend-webgpu\` (Linux x64, Windows or macOS)`),
  GC742: entry<{ kernel: string; detail: string }>('error', 'webgpu_kernel_limit', (p) => `${p.kernel} does not fit this WebGPU device: ${p.detail}`),
  GC750: entry<{ dir: string }>('error', 'not_a_run_folder', (p) =>
    `${p.dir} has no metrics.jsonl, so it is not a run folder; give the folder that \`graphc run --out DIR\` wrote (by default runs/<spec>-<time>/)`),
  GC751: entry<{ file: string; line: number; detail: string }>('error', 'bad_metrics_line', (p) =>
    `${p.file}:${p.line}: ${p.detail}; this file is written by \`graphc run\`: remove the line or run again`),
  GC752: entry<{ path: string }>('error', 'file_exists', (p) => `${p.path} already exists; choose another name, or add --force to overwrite it`),
  GC753: entry<{ name: string; suggestion: string }>('error', 'bad_spec_name', (p) =>
    `'${p.name}' cannot name a spec: use lowercase letters, digits, '_' and '-', starting with a letter (e.g. '${p.suggestion}')`),
  GC754: entry<{ path: string; begin: string; end: string }>('error', 'no_reference_markers', (p) =>
    `${p.path} has no place for the spec reference: put the line ${p.begin} and, below it, ${p.end} where it goes`),
  GC755: entry<{ file: string; detail: string }>('error', 'image_unusable', (p) => `${p.file}: ${p.detail}`),
  GC756: entry<{ detail: string; candidates: readonly string[] }>('error', 'no_output_node', (p) =>
    `${p.detail}; name the node that holds the class probabilities with --output NODE${p.candidates.length > 0 ? ` (float32 [batch, 10] nodes: ${list(p.candidates)})` : ''}`),
  GC757: entry<{ dir: string; spec: string; detail: string }>('error', 'checkpoint_mismatch', (p) =>
    `the checkpoint in ${p.dir} does not fit ${p.spec} as it is now: ${p.detail}; was the spec edited after training? Train it again with graphc run`),
  GC758: entry<{ node: string; op: string; detail: string }>('error', 'not_exportable', (p) =>
    `cannot export to tfjs-layers: node '${p.node}' (${p.op}) ${p.detail}`),
} as const;

export type Code = keyof typeof catalogue;
export type ParamsOf<C extends Code> = Parameters<(typeof catalogue)[C]['message']>[0];
