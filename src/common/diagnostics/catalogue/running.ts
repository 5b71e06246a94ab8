/** The diagnostics of running: backends, modules, checkpoints, bench, eval, export. */
import { didYouMean, entry, list, plural, shape, type TensorTypeParam } from './entry.js';
import { type CheckpointFitProblem, describeCheckpointFit } from './problems.js';
import { bytes } from '../../bytes.js';

/** Why a data set state (in a checkpoint) cannot be restored. */
export type DataSetStateProblem =
  | { readonly kind: 'order_length'; readonly entries: number | null; readonly count: number }
  | { readonly kind: 'order_not_permutation'; readonly count: number; readonly entry: string }
  | { readonly kind: 'index_in_epoch'; readonly value: string; readonly count: number }
  | { readonly kind: 'epochs_completed'; readonly value: string };

function describeDataSetState(p: DataSetStateProblem): string {
  switch (p.kind) {
    case 'order_length':
      return `order has ${p.entries ?? 'no'} entries, the data set has ${p.count} examples`;
    case 'order_not_permutation':
      return `order is not a permutation of 0..${p.count - 1} (bad or repeated entry ${p.entry})`;
    case 'index_in_epoch':
      return `indexInEpoch ${p.value} is not an integer from 0 to ${p.count}`;
    case 'epochs_completed':
      return `epochsCompleted ${p.value} is not a non-negative integer`;
  }
}

type ModuleNotFoundParams =
  | { readonly reason: 'nothing_compiled' }
  | { readonly reason: 'missing'; readonly path: string }
  /** loaderMessage: the first line of Node's error from importing the module. */
  | { readonly reason: 'load_failed'; readonly path: string; readonly loaderMessage: string }
  | { readonly reason: 'not_a_module'; readonly path: string };

function describeModuleNotFound(p: ModuleNotFoundParams): string {
  switch (p.reason) {
    case 'nothing_compiled':
      return 'no module has been compiled here yet: run `graphc compile SPEC` or `graphc run SPEC`';
    case 'missing':
      return `no module at ${p.path}; compile a spec first (graphc compile SPEC)`;
    case 'load_failed':
      return `cannot load ${p.path}: ${p.loaderMessage}`;
    case 'not_a_module':
      return `${p.path} is not a graphc module (it exports no run() and model); compile a spec to make one (graphc compile SPEC)`;
  }
}

/** What is wrong with a checkpoint file. */
export type CheckpointFileProblem =
  | { readonly kind: 'unreadable'; readonly fsError: string }
  | { readonly kind: 'bad_magic' }
  | { readonly kind: 'truncated_header' }
  | { readonly kind: 'header_not_json' }
  | { readonly kind: 'not_a_header' }
  | { readonly kind: 'version'; readonly found: string; readonly supported: number }
  | { readonly kind: 'truncated_payload' }
  | { readonly kind: 'outside_payload'; readonly entry: string };

type CheckpointFileParams = { readonly file: string } & CheckpointFileProblem;

function describeCheckpointFile(p: CheckpointFileParams): string {
  switch (p.kind) {
    case 'unreadable':
      return `cannot read it: ${p.fsError}`;
    case 'bad_magic':
      return 'not a graphc checkpoint (bad magic)';
    case 'truncated_header':
      return 'truncated header';
    case 'header_not_json':
      return 'the header is not valid JSON';
    case 'not_a_header':
      return 'the header is not a graphc checkpoint header';
    case 'version':
      return `format version ${p.found}; this graphc reads version ${p.supported}`;
    case 'truncated_payload':
      return 'truncated payload';
    case 'outside_payload':
      return `'${p.entry}' lies outside the payload (truncated file?)`;
  }
}

type WriteFailedParams = { readonly path: string; readonly reason: string } & (
  | { readonly space?: undefined }
  /** The device is full: the bytes the write needed and those free on it (when known). */
  | { readonly space: { readonly needed: number; readonly free?: number } }
);

function describeWriteFailed(p: WriteFailedParams): string {
  if (!p.space) return p.reason;
  const free = p.space.free !== undefined ? `, ${bytes(p.space.free)} free` : '';
  return `${p.reason} (it needs ${bytes(p.space.needed)}${free}); free some space, then resume the run from its last checkpoint`;
}

type BatchTooLargeParams = { readonly option: string; readonly batchSize: number; readonly split: 'train' | 'test'; readonly examples: number };

type MemoryParams = {
  readonly backend: string;
  /** Bytes the run needs: parameters, gradients and optimizer slots (per worker), and activations for the batch. */
  readonly needed: number;
  readonly modelBytes: number;
  readonly perExample: number;
  /** Examples whose activations one backend holds: the batch, or a worker's share of it when each worker has a memory of its own. */
  readonly rows: number;
  readonly workers: number;
  /** Whether each worker has a memory of its own (wasm); otherwise they share the machine's. */
  readonly perWorker: boolean;
  /** What the backend can have, and why that much. */
  readonly available: number;
  readonly limit: 'wasm_memory' | 'machine_memory';
  /** The change that helps most: a smaller batch, or a smaller value of the param that sizes the model most. */
  readonly change: { readonly kind: 'batch' } | { readonly kind: 'param'; readonly param: string; readonly value: number };
};

function describeMemory(p: MemoryParams): string {
  const where = p.limit === 'wasm_memory' ? `the ${p.backend} backend can address ${bytes(p.available)} (WebAssembly's 32-bit memory)` : `this machine has ${bytes(p.available)} of memory`;
  const copies = p.workers > 1 && !p.perWorker ? ` × ${p.workers} workers` : '';
  const each = p.workers > 1 && p.perWorker ? ` in each of ${p.workers} workers` : '';
  const model = `${bytes(p.modelBytes)} for the model${copies} (parameters, gradients, optimizer slots)`;
  const change = p.change.kind === 'batch' ? 'lower --batch-size' : `lower the param '${p.change.param}' (now ${p.change.value}), e.g. --set ${p.change.param}=${Math.max(1, Math.floor(p.change.value / 2))}`;
  return `training needs about ${bytes(p.needed)}${each}: ${model} and ${bytes(p.perExample)} per example × ${p.rows}; ${where}; ${change}`;
}

type RunFolderParams = { readonly dir: string } & (
  | { readonly kind: 'not_a_folder' }
  | { readonly kind: 'not_writable'; readonly fsError: string }
  | { readonly kind: 'holds_run'; readonly step?: number }
);

function describeRunFolder(p: RunFolderParams): string {
  switch (p.kind) {
    case 'not_a_folder':
      return `--out ${p.dir} is a file, not a folder; choose a folder for the run`;
    case 'not_writable':
      return `cannot write in ${p.dir} (${p.fsError}); choose a folder you can write to with --out`;
    case 'holds_run':
      return `${p.dir} holds another run${p.step !== undefined ? ` (checkpoint at step ${p.step})` : ''}; continue it with: graphc run --resume ${p.dir}, or pass --overwrite to replace it, or choose another --out`;
  }
}

/** GC716: the module a spec compiles to already holds another spec's module. */
type ModuleTakenParams = { readonly module: string; readonly spec: string } & ({ readonly holder: 'spec'; readonly other: string } | { readonly holder: 'not_graphc' });

function describeModuleTaken(p: ModuleTakenParams): string {
  const held = p.holder === 'spec' ? `the module of another spec, ${p.other}` : 'a file that graphc did not generate';
  return `${p.module} holds ${held}; compiling ${p.spec} there would replace it. Write this spec's module elsewhere with --out-dir DIR, or replace that one with --overwrite`;
}

type ResumeParams =
  | { readonly kind: 'model'; readonly checkpoint: string; readonly module: string }
  | { readonly kind: 'params'; readonly differing: readonly { readonly param: string; readonly checkpoint: unknown; readonly module: unknown }[] }
  | { readonly kind: 'seed'; readonly seed: number }
  | { readonly kind: 'schedule'; readonly flag: '--batch-size' | '--eval-every' | '--eval-batches'; readonly saved: number }
  | { readonly kind: 'past_steps'; readonly step: number; readonly steps: number }
  | { readonly kind: 'variables'; readonly problem: CheckpointFitProblem }
  /** optimizerMessage: the optimizer's own error on restoring its state. */
  | { readonly kind: 'optimizer_state'; readonly optimizerMessage: string };

function describeResume(p: ResumeParams): string {
  switch (p.kind) {
    case 'model':
      return `the checkpoint is of model '${p.checkpoint}', not '${p.module}'`;
    case 'params':
      return `the checkpoint was trained with ${p.differing.map((d) => `${d.param}=${JSON.stringify(d.checkpoint)}`).join(', ')}, the module has ${p.differing.map((d) => `${d.param}=${JSON.stringify(d.module)}`).join(', ')}`;
    case 'seed':
      return `the run used --seed ${p.seed}; a resumed run keeps it`;
    case 'schedule':
      return `the run used ${p.flag} ${p.saved}; a resumed run keeps it`;
    case 'past_steps':
      return `the checkpoint is at step ${p.step}, past --steps ${p.steps}`;
    case 'variables':
      return describeCheckpointFit(p.problem);
    case 'optimizer_state':
      return `the optimizer state does not fit: ${p.optimizerMessage}`;
  }
}

type BenchArgumentsParams =
  | { readonly kind: 'profile_alone' }
  | { readonly kind: 'table_with_specs' }
  | { readonly kind: 'nothing_to_time' }
  | { readonly kind: 'table_param'; readonly param: string }
  | { readonly kind: 'cpu_clock'; readonly backend: string; readonly cpuBackends: readonly string[] };

function describeBenchArguments(p: BenchArgumentsParams): string {
  switch (p.kind) {
    case 'profile_alone':
      return '--profile takes one spec, given to it; drop the other specs and --table';
    case 'table_with_specs':
      return "--table runs its rows (the reference notebook's seven, the transformer and the convnet) from graphs/; give no specs with it";
    case 'nothing_to_time':
      return 'nothing to time: give specs, --table, or --profile SPEC';
    case 'table_param':
      return `--table sets ${p.param} per row; it cannot be overridden`;
    case 'cpu_clock':
      return `--clock cpu counts this process's CPU time, which measures single-threaded CPU backends only (${p.cpuBackends.join(', ')}), not ${p.backend}`;
  }
}

type ImageParams = { readonly file: string } & (
  /** osError: the error reading the file. */
  | { readonly reason: 'unreadable'; readonly osError: string }
  /** decoderMessage: the PNG decoder's own message. */
  | { readonly reason: 'not_png'; readonly decoderMessage: string }
  | { readonly reason: 'too_small'; readonly width: number; readonly height: number; readonly side: number });

function describeImage(p: ImageParams): string {
  switch (p.reason) {
    case 'unreadable':
      return `cannot read it (${p.osError})`;
    case 'not_png':
      return `not a PNG image (${p.decoderMessage}); convert it to PNG first`;
    case 'too_small':
      return `it is ${p.width}×${p.height}; a digit needs at least ${p.side}×${p.side} pixels (MNIST's size)`;
  }
}

type OutputNodeParams = { readonly candidates: readonly string[] } & (
  | { readonly reason: 'unknown_node'; readonly node: string; readonly suggestion?: string }
  | { readonly reason: 'not_class_scores'; readonly node: string; readonly type: TensorTypeParam; readonly classes: number }
  | { readonly reason: 'no_softmax'; readonly classes: number });

function describeOutputNode(p: OutputNodeParams): string {
  switch (p.reason) {
    case 'unknown_node':
      return `the graph has no node '${p.node}'${didYouMean(p.suggestion)}`;
    case 'not_class_scores':
      return `node '${p.node}' is ${p.type.dtype} ${shape(p.type.shape)}, not float32 [batch, ${p.classes}]`;
    case 'no_softmax':
      return `the graph has no softmax over [batch, ${p.classes}]`;
  }
}

type NotExportableParams = { readonly node: string; readonly op: string } & (
  | { readonly reason: 'missing_weight'; readonly weight: string }
  | { readonly reason: 'no_batch_dimension' }
  | { readonly reason: 'no_image_feed' }
  | { readonly reason: 'dropout_at_eval'; readonly keepAtEval: string }
  | { readonly reason: 'batch_norm_training_at_eval'; readonly flag: string }
  | { readonly reason: 'reads_variable' }
  | { readonly reason: 'reshape_batch' }
  | { readonly reason: 'mean_over_time' }
  | { readonly reason: 'matmul_form' }
  | { readonly reason: 'add_form' }
  | { readonly reason: 'concat_batch' }
  | { readonly reason: 'reset_after' }
  | { readonly reason: 'rnn_form' }
  | { readonly reason: 'take_form' }
  | { readonly reason: 'no_counterpart'; readonly output: string });

function describeNotExportable(p: NotExportableParams): string {
  switch (p.reason) {
    case 'missing_weight':
      return `has no weight '${p.weight}' in the checkpoint`;
    case 'no_batch_dimension':
      return 'has no batch dimension (its shape must start with null)';
    case 'no_image_feed':
      return "depends on no placeholder fed 'batch.images' in the eval phase";
    case 'dropout_at_eval':
      return `keeps outputs with probability ${p.keepAtEval} at evaluation; an exported model applies no dropout (feed 1.0 in the eval phase)`;
    case 'batch_norm_training_at_eval':
      return `normalises with the batch statistics at evaluation ('${p.flag}' is not fed false in the eval phase); an exported model uses the moving statistics`;
    case 'reads_variable':
      return 'reads a variable or constant placeholder where a layer input is needed';
    case 'reshape_batch':
      return 'must keep the batch dimension first (shape [-1, …])';
    case 'mean_over_time':
      return 'is exportable only as the mean over time of a [batch, time, features] tensor (axis 1)';
    case 'matmul_form':
      return 'is exportable only as a [batch, n] tensor times a 2-D variable, without transposes';
    case 'add_form':
      return 'is exportable only as a bias added to a matmul, or as the sum of two computed tensors';
    case 'concat_batch':
      return 'joins along the batch axis';
    case 'reset_after':
      return "is a reset_after GRU, which tfjs-layers' GRU cannot compute (it refuses reset_after); export it with --format onnx";
    case 'rnn_form':
      return 'is exportable only as GRU or LSTM layers over whole sequences (no sequence lengths, no return_state; a bidirectional stack: GRU cells, every step returned)';
    case 'take_form':
      return 'is exportable only as the last time step of a dynamic_rnn (axis 1, index -1)';
    case 'no_counterpart':
      return `lies on the path to '${p.output}' and has no tfjs-layers counterpart that graphc exports`;
  }
}

export const runningDiagnostics = {
  // GC7xx: running
  GC701: entry<{ backend: string; reason: string }>('error', 'backend_unavailable', (p) => `backend '${p.backend}' is not available: ${p.reason}`),
  GC702: entry<ModuleNotFoundParams>('error', 'module_not_found', (p) => describeModuleNotFound(p)),
  GC703: entry<{ step: number; node: string; value: string }>('error', 'non_finite_loss', (p) =>
    `the loss '${p.node}' became ${p.value} at step ${p.step}; training stopped`),
  GC704: entry<{ option: string; value: string; expected: string }>('error', 'bad_option', (p) => `${p.option} ${p.value}: expected ${p.expected}`),
  GC705: entry<{ problem: DataSetStateProblem }>('error', 'checkpoint', (p) => `checkpoint: data set state: ${describeDataSetState(p.problem)}`),
  GC706: entry<WriteFailedParams>('error', 'write_failed', (p) => `cannot write ${p.path}: ${describeWriteFailed(p)}`),
  GC707: entry<CheckpointFileParams>('error', 'checkpoint_unreadable', (p) => `${p.file}: ${describeCheckpointFile(p)}`),
  GC708: entry<ResumeParams>('error', 'resume_mismatch', (p) => `cannot resume: ${describeResume(p)}`),
  GC709: entry<BatchTooLargeParams>('error', 'batch_larger_than_data', (p) =>
    `${p.option} ${p.batchSize}: the ${p.split} set has only ${p.examples} example${p.examples === 1 ? '' : 's'}; ${p.option} takes at most ${p.examples}`),
  GC710: entry<{ batches: number; batchSize: number; examples: number }>('warning', 'evaluation_cycles_test_set', (p) =>
    `each evaluation reads ${p.batches} test batches of ${p.batchSize} (${p.batches * p.batchSize} examples), ${(p.batches * p.batchSize / p.examples).toFixed(1)} times the ${p.examples} examples of the test set; lower --eval-batches to ${Math.max(1, Math.floor(p.examples / p.batchSize))} to see each example once`),
  GC711: entry<MemoryParams>('error', 'model_too_large', (p) => describeMemory(p)),
  GC712: entry<{ option: string; requested: number; used: number; limit: 'cores' | 'batch_rows'; count: number }>('warning', 'workers_clamped', (p) =>
    `${p.option} ${p.requested}: ${p.limit === 'cores' ? `this machine has ${p.count} core${p.count === 1 ? '' : 's'}` : `a batch has ${p.count} row${p.count === 1 ? '' : 's'} to share`}; using ${p.used} worker${p.used === 1 ? '' : 's'}`),
  GC713: entry<RunFolderParams>('error', 'run_folder_unusable', (p) => describeRunFolder(p)),
  GC714: entry<{ dir: string; pid: number; host: string; startedAt: string }>('error', 'run_folder_locked', (p) =>
    `${p.dir} is in use by another graphc run (pid ${p.pid} on ${p.host}, started ${p.startedAt}); wait for it to end, or choose another --out`),
  GC715: entry<{ commanderMessage: string }>('error', 'command_line', (p) => p.commanderMessage),
  GC716: entry<ModuleTakenParams>('error', 'module_of_another_spec', (p) => describeModuleTaken(p)),
  GC717: entry<{ what: 'backend' | 'workers' | 'device'; was: string; now: string; step: number }>('warning', 'resumed_with_other_arithmetic', (p) =>
    `resumed with ${p.what === 'workers' ? `${p.now} worker threads` : `${p.what} ${p.now}`} where the run had ${p.what === 'workers' ? p.was : p.was} until step ${p.step}: from here its metrics will differ in the last bits from an uninterrupted run's (resume with the run's --workers, --backend and GRAPHC_WASM_GEMM, on the same machine, for identical ones)`),
  GC720: entry<{ spec: string; model: string; known: readonly string[] }>('warning', 'bench_no_baseline', (p) =>
    `${p.spec}: no hand-written tfjs-layers baseline for a model named '${p.model}' (there are baselines for ${list(p.known)}); its row has no ratio`),
  GC721: entry<{ model: string; param: string; expected: string }>('error', 'bench_baseline_param', (p) =>
    `the tfjs-layers baseline for '${p.model}' needs the param '${p.param}' to be ${p.expected}`),
  GC722: entry<BenchArgumentsParams>('error', 'bench_arguments', (p) => `graphc bench: ${describeBenchArguments(p)}`),
  GC723: entry<{ param: string; specs: readonly string[] }>('error', 'bench_set_unused', (p) =>
    `--set ${p.param} applies to no spec of the table (${list(p.specs)}); check the param's name`),
  GC730: entry<{ worker: number; reason: string }>('error', 'worker_failed', (p) => `training worker ${p.worker} failed: ${p.reason}`),
  GC731: entry<{ module: string }>('error', 'workers_unavailable', (p) =>
    `cannot train with --workers: module '${p.module}' was compiled by an older graphc; compile it again`),
  GC732: entry<{ reason: string }>('error', 'baseline_failed', (p) => `the tfjs-layers baseline (in a process of its own, on stock tfjs kernels) failed: ${p.reason}`),
  GC740: entry<{ reason: string; help: string }>('error', 'webgpu_no_adapter', (p) => `backend 'webgpu' is not available: ${p.reason}; ${p.help}`),
  GC741: entry<{ reason: string }>('error', 'webgpu_not_installed', (p) =>
    `backend 'webgpu' is not available: ${p.reason}; install it with \`npm install webgpu @tensorflow/tfjs-backend-webgpu\` (Linux x64, Windows or macOS)`),
  GC742: entry<{ kernel: string; hiddenSize: number; bytes: number; limit: number }>('error', 'webgpu_kernel_limit', (p) =>
    `${p.kernel} does not fit this WebGPU device: hidden size ${p.hiddenSize} needs ${p.bytes} bytes of workgroup memory; the device has ${p.limit}`),
  GC743: entry<{ reason: string }>('error', 'pytorch_baseline_failed', (p) => `the PyTorch baseline (pytorch/baseline.py, in a python3 process) failed: ${p.reason}`),
  GC744: entry<{ spec: string; reason: string }>('warning', 'pytorch_baseline_skipped', (p) => `${p.spec}: PyTorch baseline skipped: ${p.reason}; its row has no ratio`),
  GC745: entry<{ problem: 'arguments' } | { problem: 'gemm_off'; reason: string }>('error', 'bench_gemm', (p) =>
    p.problem === 'arguments'
      ? "graphc bench --gemm times the Bi-GRU step's GEMMs on the wasm backend by itself: give it no specs, --table, --profile or --baseline"
      : `graphc bench --gemm compares graphc's GEMM with XNNPACK's, but graphc's is off here: ${p.reason}`),
  GC750: entry<{ dir: string }>('error', 'not_a_run_folder', (p) =>
    `${p.dir} has no metrics.jsonl, so it is not a run folder; give the folder that \`graphc run --out DIR\` wrote (by default runs/<spec>-<time>/)`),
  GC751: entry<{ file: string; line: number; problem: 'not_json' | 'not_evaluation' }>('error', 'bad_metrics_line', (p) =>
    `${p.file}:${p.line}: ${p.problem === 'not_json' ? 'not JSON' : 'expected {"step", "train", "test", "elapsed"}'}; this file is written by \`graphc run\`: remove the line or run again`),
  GC752: entry<{ path: string }>('error', 'file_exists', (p) => `${p.path} already exists; choose another name, or add --force to overwrite it`),
  GC753: entry<{ name: string; suggestion: string }>('error', 'bad_spec_name', (p) =>
    `'${p.name}' cannot name a spec: use lowercase letters, digits, '_' and '-', starting with a letter (e.g. '${p.suggestion}')`),
  GC754: entry<{ path: string; begin: string; end: string }>('error', 'no_reference_markers', (p) =>
    `${p.path} has no place for the spec reference: put the line ${p.begin} and, below it, ${p.end} where it goes`),
  GC755: entry<ImageParams>('error', 'image_unusable', (p) => `${p.file}: ${describeImage(p)}`),
  GC756: entry<OutputNodeParams>('error', 'no_output_node', (p) =>
    `${describeOutputNode(p)}; name the node that holds the class probabilities with --output NODE${p.candidates.length > 0 ? ` (float32 [batch, 10] nodes: ${list(p.candidates)})` : ''}`),
  GC757: entry<{ dir: string; spec: string; problem: CheckpointFitProblem }>('error', 'checkpoint_mismatch', (p) =>
    `the checkpoint in ${p.dir} does not fit ${p.spec} as it is now: ${describeCheckpointFit(p.problem)}; was the spec edited after training? Train it again with graphc run`),
  GC758: entry<NotExportableParams>('error', 'not_exportable', (p) =>
    `cannot export to tfjs-layers: node '${p.node}' (${p.op}) ${describeNotExportable(p)}`),
  // Evaluation reports and graphc summary (issue 23).
  GC733: entry<{ node: string; values: number; expected: number; what: 'targets' | 'classes' }>('error', 'report_node_width', (p) =>
    `node '${p.node}' gives ${plural(p.values, 'value')} per example where the test set has ${p.expected} ${p.what === 'classes' ? (p.expected === 1 ? 'class' : 'classes') : p.expected === 1 ? 'target' : 'targets'}; ` +
    'name the node that holds the predictions with --output NODE'),
  GC724: entry<{ dir: string; which: 'best' }>('error', 'no_best_checkpoint', (p) =>
    `${p.dir} has no best.gck: only a run with train.early_stopping keeps one; use --checkpoint last`),
  GC725: entry<{ option: string; batchSize: number; microBatches: number }>('error', 'batch_size_not_micro_batches', (p) =>
    `${p.option} ${p.batchSize} is not a multiple of the spec's micro_batches ${p.microBatches}`),
  // train-loop2 at run time (GC726–GC728)
  GC726: entry<{ node: string }>('error', 'balanced_weights_unavailable', (p) =>
    `'${p.node}': class_weights: balanced needs the training split's class counts, which this run does not have (a checkpoint written before they were recorded, or a session started without the dataset)`),
} as const;
