/**
 * Runs a compiled model's schedule as the reference notebook does: `steps` training
 * batches, and after every `every` steps an evaluation over `batches` test
 * batches, printing the reference notebook's line. With an output folder it keeps a
 * checkpoint after every evaluation, at the end and when interrupted, from
 * which `resume` continues the run exactly. Before step 1 it checks what
 * cannot work (preflight.ts) and locks the output folder (run_lock.ts).
 */
import { hostname } from 'node:os';
import { dirname, resolve as resolvePath } from 'node:path';
import { diagnostic, fail, GraphcError } from '../common/diagnostics/diagnostic.js';
import { BACKENDS, initBackend, type BackendInfo, type BackendRequest } from './backends.js';
import { writeCheckpoint, type Checkpoint, type CheckpointHeader, type PendingEvaluation } from './checkpoint.js';
import { dataSizes, digestFiles, type DataSizes, loadDataset, type DataFileRecord, type DataSet } from './data/index.js';
import { logFields, parseLogTemplate } from '../common/log-template.js';
import { specFile, type CompiledModel } from './model.js';
import { createStepper, type Stepper } from './parallel/pool.js';
import { RandomStream } from './random.js';
import { checkBatches, checkMemory, clampWorkers, holdsRun, probeRunFolder, warningLine } from './preflight.js';
import { INITIAL_EARLY_STOPPING, initialPlateau, monitoredValue, stepEarlyStopping, stepPlateau, watchesValidation, type EarlyStoppingState, type PlateauState } from './monitor.js';
import { balancedClassWeights } from './losses.js';
import { labelWidth, makeBatch } from './data/dataset.js';
import { BEST_CHECKPOINT_FILE, writeMetrics, writeSummary, type Evaluation, type RunSummary } from './run_folder.js';
import { acquireRunLock, type RunLock } from './run_lock.js';
import { TrainingSession } from './session.js';
import { initSession, toCheckpoint } from './session_checkpoint.js';
import { evaluationLine, readStepMetrics, resumeFrom } from './loop.js';
import { runtimeVersions } from './versions.js';

export interface RunOptions {
  readonly backend?: BackendRequest;
  readonly steps?: number;
  readonly batchSize?: number;
  readonly evalEvery?: number;
  readonly evalBatches?: number;
  readonly seed?: number;
  readonly dataDir?: string;
  /** The folder a spec's relative data file paths are read from (default: the spec's folder; a sweep's trial runs a copy of the spec elsewhere). */
  readonly dataBase?: string;
  /** A run folder (run_folder.ts) for metrics.jsonl, summary.json and the checkpoint; locked (run_lock.ts) while the run runs. */
  readonly out?: string;
  /** Replace the run that `out` holds (its checkpoint); without it such a folder is refused (GC713), unless this run is resumed (`resume`). */
  readonly overwrite?: boolean;
  /** Continue from this checkpoint (same model, seed and schedule; `steps` may extend it). */
  readonly resume?: Checkpoint;
  /** Start from these weights (graphc run --init FILE: an imported model's, or another run's), with a fresh optimizer and step 0. */
  readonly init?: { readonly checkpoint: Checkpoint; readonly file: string };
  /** Pre-loaded data (tests, benchmarks), with the stream that shuffles it; otherwise MNIST is loaded. */
  readonly data?: { readonly train: DataSet; readonly test: DataSet; readonly validation?: DataSet; readonly random: RandomStream };
  /** Worker threads that share each batch (data parallel, same training curve); default 1, this thread. */
  readonly workers?: number;
  /** Whether `workers` is the user's (a lowered count is then said) or a default (lowered silently). */
  readonly workersGiven?: boolean;
  /** Stops the run after the current step or test batch (with the last step's checkpoint when `out` is set). */
  readonly signal?: AbortSignal;
  /** Where the evaluation lines go (default: stdout). */
  readonly print?: (line: string) => void;
  /** Where status lines go: backend, data (default: stderr). */
  readonly status?: (line: string) => void;
  /** Called once the backend is up, before the first step (progress display). */
  readonly onStart?: (plan: RunPlan) => void;
  /** Called after every training step with its metrics when they were read back (progress display, tests). */
  readonly onStep?: (step: number, train?: Readonly<Record<string, number>>) => void;
  /** Called after each test batch of an evaluation (progress display). */
  readonly onEvalBatch?: (done: number, total: number) => void;
  /** Called after every evaluation, once its line is printed; a returned promise is awaited (e.g. redrawing curves.svg). */
  readonly onEvaluation?: (evaluation: Evaluation) => void | Promise<void>;
}

/** The schedule a run follows, after command-line overrides. */
export interface RunPlan {
  readonly firstStep: number;
  readonly steps: number;
  readonly batchSize: number;
  readonly evalEvery: number;
  readonly evalBatches: number;
  /** The metric that reports the loss, if one does. */
  readonly lossMetric?: string;
  /** The dataset's sizes: examples per split, one example's shape, the class count. */
  readonly data?: DataSizes;
}

export interface RunResult {
  readonly model: string;
  readonly backend: BackendInfo;
  readonly seed: number;
  /** Steps completed (fewer than scheduled when interrupted). */
  readonly steps: number;
  readonly evaluations: readonly Evaluation[];
  readonly wallSeconds: number;
  /** True when `signal` stopped the run early. */
  readonly interrupted: boolean;
  /** With early stopping: the best evaluation (its checkpoint is best.gck with an output folder). */
  readonly best?: { readonly step: number; readonly monitor: string; readonly value: number };
  /** The step early stopping ended the run at, when it did. */
  readonly stoppedEarly?: number;
}

export const DEFAULT_SEED = 1;

type Schedule = CheckpointHeader['schedule'];

export async function runModel<F, V, N>(model: CompiledModel<F, V, N>, options: RunOptions = {}): Promise<RunResult> {
  const status = options.status ?? ((line: string) => process.stderr.write(`${line}\n`));
  const resume = options.resume?.header;
  const seed = resume?.seed ?? options.seed ?? DEFAULT_SEED;
  const schedule = resolveSchedule(model, options, resume?.schedule);
  if (resume) checkResumable(model, resume, seed, options);
  // Resumed, the run keeps the worker count it had (each count sums a batch's gradients in its own order), unless one is given.
  const resumedWorkers = options.workersGiven === false ? resume?.computed?.workers : undefined;
  const requestedWorkers = resumedWorkers ?? (options.workersGiven === false && smallModel(model, schedule.batchSize) ? 1 : (options.workers ?? 1));
  if (!Number.isInteger(requestedWorkers) || requestedWorkers < 1) fail('GC704', { option: '--workers', value: String(requestedWorkers), expected: 'a positive integer' });
  const workers = clampWorkers(requestedWorkers, schedule.batchSize, options.workersGiven === false ? () => {} : status);

  // The run folder first: a folder that cannot be written, or that another run holds, is refused before anything is computed.
  let lock: RunLock | undefined;
  if (options.out !== undefined) {
    lock = acquireRunLock(options.out, status);
    try {
      // A resumed run continues the run its folder holds.
      if (!options.overwrite && !options.resume && holdsRun(options.out)) fail('GC713', { dir: options.out, kind: 'holds_run' });
      probeRunFolder(options.out);
    } catch (error) {
      lock.release();
      throw error;
    }
  }
  try {
    return await train(model, options, { seed, schedule, workers, status });
  } finally {
    lock?.release();
  }
}

async function train<F, V, N>(
  model: CompiledModel<F, V, N>,
  options: RunOptions,
  plan: { readonly seed: number; readonly schedule: Schedule; readonly workers: number; readonly status: (line: string) => void },
): Promise<RunResult> {
  const { seed, schedule, workers, status } = plan;
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const resume = options.resume?.header;
  const stopRequested = (): boolean => options.signal?.aborted === true;

  const backend = await startBackend(options.backend ?? 'auto', resume?.computed?.backend, status);
  for (const skipped of backend.skipped) status(`graphc: skipped backend ${skipped}`);
  status(`graphc: backend ${backend.name} on ${backend.device}${backend.gemmPlan !== undefined ? `; GEMM ${backend.gemmPlan}` : ''}`);
  if (resume?.computed) {
    const was = resume.computed;
    const now = { backend: backend.name, device: backend.device, workers };
    // Bit for bit the same metrics as an uninterrupted run need the same arithmetic: say when it cannot be.
    for (const key of ['backend', 'workers', 'device'] as const) {
      if (String(was[key]) !== String(now[key])) {
        status(warningLine(diagnostic('GC717', { what: key, was: String(was[key]), now: String(now[key]), step: resume.step })));
        break;
      }
    }
  }

  const dataRandom = options.data?.random ?? new RandomStream(seed, 'data');
  // A file dataset's paths are relative to the spec the module was compiled from.
  const data = options.data ?? (await loadDataset(model.schedule.dataset, { baseDir: options.dataBase !== undefined ? resolvePath(options.dataBase) : dirname(resolvePath(specFile(model))), ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}), random: dataRandom }));
  const dataFiles: readonly DataFileRecord[] = 'files' in data ? (data.files as DataFileRecord[]) : [];
  if (!options.data) status(`graphc: data ${describeData(data)}`);
  checkBatches(
    {
      batchSize: schedule.batchSize,
      evalBatches: schedule.evalBatches,
      evalBatchSize: schedule.evalBatchSize,
      evalBatchOption: options.batchSize !== undefined || resume ? '--batch-size' : "the spec's eval batch_size",
    },
    { train: data.train.count, test: data.test.count },
    status,
  );
  // Before the session: its variables are the first large allocation.
  checkMemory(model.memory, { backend: backend.name, batchSize: Math.max(schedule.batchSize, schedule.evalBatchSize), workers });
  const logParts = parseLogTemplate(model.schedule.log);
  // class_weights: balanced weighs by the training split's class counts, counted once here (workers and checkpoints get the numbers).
  const classWeights = model.schedule.classWeights === 'balanced' ? balancedClassWeights(data.train.labels, data.train.count, data.train.shape.classes) : undefined;
  if (classWeights) status(`graphc: balanced class weights ${classWeights.map((w) => Number(w.toPrecision(4))).join(', ')} (from the training split's ${data.train.count} labels)`);
  const session = new TrainingSession(model, seed, classWeights);
  const lossIndex = session.lossMetricIndex;
  const evaluations: Evaluation[] = resume ? [...(resume.evaluations as Evaluation[])] : [];
  if (options.resume) {
    resumeFrom(session, options.resume, data, dataRandom);
    status(`graphc: resumed ${model.name} at step ${session.step}`);
  } else if (options.init) {
    initSession(session, options.init.checkpoint, options.init.file, specFile(model));
    status(`graphc: started ${model.name} from the weights in ${options.init.file}`);
  }
  const firstStep = session.step;
  /** An evaluation step whose evaluation a stop request dropped: a resumed run does it first. */
  let pending: PendingEvaluation | undefined = resume?.pendingEvaluation;
  // What the spec watches after each evaluation: a plateau of the learning rate, early stopping (monitor.ts).
  const plateauConfig = model.schedule.learningRateSchedule?.type === 'reduce_on_plateau' ? model.schedule.learningRateSchedule : undefined;
  const stopping = model.schedule.earlyStopping;
  let plateau: PlateauState | undefined = plateauConfig ? (resume?.monitors?.plateau ?? initialPlateau(model.schedule.optimizer.learningRate)) : undefined;
  let earlyStopping: EarlyStoppingState | undefined = stopping ? (resume?.monitors?.earlyStopping ?? INITIAL_EARLY_STOPPING) : undefined;
  if (plateau) session.setPlateauRate(plateau.rate);
  let stoppedEarly: number | undefined;
  // The validation split is evaluated, whole and in order, when a monitor watches it or the log line prints it.
  const validation = watchesValidation(plateauConfig) || watchesValidation(stopping) || logFields(logParts).some((f) => f.startsWith('validation.')) ? validationSplit(data) : undefined;

  /** Writes checkpoint.gck and, for the best evaluation so far, the same checkpoint as best.gck. */
  const save = async (best = false): Promise<void> => {
    if (!options.out) return;
    const state = await session.readState();
    const monitors = { ...(plateau ? { plateau } : {}), ...(earlyStopping ? { earlyStopping } : {}) };
    const checkpoint = toCheckpoint(model, specFile(model), seed, schedule, state, dataRandom, data, evaluations, pending, { backend: backend.name, device: backend.device, workers }, monitors, classWeights);
    writeCheckpoint(options.out, checkpoint);
    if (best) writeCheckpoint(options.out, checkpoint, BEST_CHECKPOINT_FILE);
  };

  options.onStart?.({
    firstStep: session.step + 1,
    steps: schedule.steps,
    batchSize: schedule.batchSize,
    evalEvery: schedule.evalEvery,
    evalBatches: schedule.evalBatches,
    data: dataSizes(data),
    ...(lossIndex >= 0 ? { lossMetric: session.metricNames[lossIndex]! } : {}),
  });
  const start = performance.now();
  let passStart = start;
  let interrupted = false;
  let stepper: Stepper | undefined;

  /** Evaluates after `step`; false when a stop request dropped the evaluation (the test set's order is then as it was before it). */
  const evaluate = async (step: number, train: Record<string, number>, elapsedBefore: number): Promise<boolean> => {
    const testState = data.test.getState();
    const evalStart = performance.now();
    const test = await session.evaluateAsync(data.test, schedule.evalBatches, schedule.evalBatchSize, options.onEvalBatch, options.signal);
    if (!test) {
      data.test.setState(testState);
      pending = { step, train, elapsed: elapsedBefore + (evalStart - passStart) / 1000 };
      return false;
    }
    const validated = validation ? await evaluateSplit(session, validation, schedule.evalBatchSize, options.signal) : undefined;
    if (validation && !validated) {
      data.test.setState(testState);
      pending = { step, train, elapsed: elapsedBefore + (evalStart - passStart) / 1000 };
      return false;
    }
    pending = undefined;
    const evaluation: Evaluation = { step, train, test, ...(validated ? { validation: validated } : {}), elapsed: elapsedBefore + (performance.now() - passStart) / 1000 };
    evaluations.push(evaluation);
    print(evaluationLine(logParts, evaluation));
    if (options.out) writeMetrics(options.out, evaluations);
    if (plateau && plateauConfig) {
      const before = plateau.rate;
      plateau = stepPlateau(plateauConfig, plateau, monitoredValue(plateauConfig, evaluation));
      session.setPlateauRate(plateau.rate);
      if (plateau.rate !== before) status(`graphc: ${plateauConfig.monitor} has not improved for ${plateauConfig.patience + 1} evaluations: learning rate ${before} → ${plateau.rate}`);
    }
    let best = false;
    if (earlyStopping && stopping) {
      const seen = stepEarlyStopping(stopping, earlyStopping, monitoredValue(stopping, evaluation), step);
      earlyStopping = seen.state;
      best = seen.best;
      if (seen.stop) {
        stoppedEarly = step;
        status(`graphc: early stopping at step ${step}: ${stopping.monitor} has not improved for ${stopping.patience} evaluations; the best, ${earlyStopping.best} at step ${earlyStopping.bestStep}, is in best.gck`);
      }
    }
    await save(best);
    await options.onEvaluation?.(evaluation);
    passStart = performance.now();
    return true;
  };

  let savedAt = firstStep;
  try {
    // Data loading, the backend and worker start-up take a while: a stop request during them ends the run before step 1.
    if (workers > 1 && !stopRequested()) status(`graphc: ${workers} worker threads, each batch split ${workers} ways`);
    if (!stopRequested()) stepper = await createStepper(session, { workers, backend: backend.name, moduleUrl: model.url });
    if (stepper && pending && !stopRequested()) {
      const { step, train, elapsed } = pending;
      if (await evaluate(step, train, elapsed)) savedAt = step;
      else interrupted = true;
    }
    for (let step = session.step + 1; stepper && !interrupted && stoppedEarly === undefined && step <= schedule.steps; step++) {
      if (stopRequested()) break;
      const metrics = await stepper.trainStep(data.train.nextBatch(schedule.batchSize));
      const logged = step % schedule.evalEvery === 0;
      const train = await readStepMetrics(session, metrics, step, { logged, backend: backend.name, lossNode: model.schedule.loss });
      if (logged) {
        if (await evaluate(step, train!, 0)) savedAt = step;
        else interrupted = true;
      }
      metrics.dispose();
      options.onStep?.(step, train);
      // Let signal handlers run between steps: in this thread the step itself is synchronous.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (session.step < schedule.steps) interrupted ||= stopRequested();
    // A completed evaluation has saved its step; otherwise save the final (or interrupted) state, if this run changed it.
    if (savedAt !== session.step || (pending !== undefined && session.step > firstStep)) await save();
  } finally {
    await stepper?.close();
    session.dispose();
  }
  const bestEvaluation = stopping && earlyStopping?.bestStep != null && earlyStopping.best !== null ? { step: earlyStopping.bestStep, monitor: stopping.monitor, value: earlyStopping.best } : undefined;
  const result: RunResult = {
    model: model.name,
    backend,
    seed,
    steps: session.step,
    evaluations,
    wallSeconds: (performance.now() - start) / 1000,
    interrupted,
    ...(bestEvaluation ? { best: bestEvaluation } : {}),
    ...(stoppedEarly !== undefined ? { stoppedEarly } : {}),
  };
  // A run stopped before its first step leaves no summary: there is nothing to sum up.
  if (options.out && (session.step > 0 || evaluations.length > 0)) writeSummary(options.out, { ...summaryOf(model, result), data: { files: await digestFiles(dataFiles) } });
  return result;
}

/**
 * The backend a run starts on. A resumed run asked for `auto` takes the
 * backend its checkpoint was trained on, when that one starts here (else
 * `auto` chooses, and GC717 says the arithmetic changed).
 */
async function startBackend(request: BackendRequest, resumedOn: string | undefined, status: (line: string) => void): Promise<BackendInfo> {
  if (request !== 'auto' || resumedOn === undefined || !(BACKENDS as readonly string[]).includes(resumedOn) || resumedOn === 'auto') return initBackend(request);
  try {
    return await initBackend(resumedOn as BackendRequest);
  } catch (error) {
    if (!(error instanceof GraphcError)) throw error;
    status(`graphc: the run's backend ${resumedOn} does not start here (${error.diagnostics[0]?.message ?? error.message}); choosing another`);
    return initBackend('auto');
  }
}

/**
 * Below this much activation memory per batch, a step is shorter than what
 * splitting it costs (every worker copies all weights and gradients each
 * step): Iris's MLP trains 4× faster in one thread than in two.
 */
const SMALL_BATCH_ACTIVATIONS = 1024 * 1024;

/** Whether the default worker count should give way to one thread: the estimate says a batch is tiny. */
function smallModel(model: { readonly memory?: { readonly bytesPerExample: number } }, batchSize: number): boolean {
  return model.memory !== undefined && model.memory.bytesPerExample * batchSize < SMALL_BATCH_ACTIVATIONS;
}

/** "55000 train, 5000 validation, 10000 test examples of [784], 10 classes" */
function describeData(data: { readonly train: DataSet; readonly test: DataSet; readonly validation?: DataSet }): string {
  const validation = data.validation ? `${data.validation.count} validation, ` : '';
  const { targets, classes } = data.train.shape;
  const label = targets ? (targets.length === 0 ? 'one target' : `${targets[0]} targets`) : `${classes} classes`;
  return `${data.train.count} train, ${validation}${data.test.count} test examples of [${data.train.shape.features.join(', ')}], ${label}`;
}

/** The validation split a monitor or the log needs; the compiler has checked the dataset holds one out (GC575), so its absence is a caller's. */
function validationSplit(data: { readonly validation?: DataSet }): DataSet {
  if (!data.validation || data.validation.count === 0) throw new Error('the spec watches validation.* but the data given to the run has no validation split');
  return data.validation;
}

/**
 * Each metric over the whole of a split, in file order, in batches of
 * `batchSize` (the last may be shorter), weighted by batch size: the arithmetic
 * of TrainedModel.evaluate, so a checkpoint evaluates to what the run logged.
 * Undefined when `signal` stopped it between batches.
 */
async function evaluateSplit<F, V, N>(session: TrainingSession<F, V, N>, split: DataSet, batchSize: number, signal?: AbortSignal): Promise<Record<string, number> | undefined> {
  const sums = new Float64Array(session.metricNames.length);
  const classes = labelWidth(split.shape);
  for (let start = 0; start < split.count; start += batchSize) {
    const size = Math.min(batchSize, split.count - start);
    const batch = makeBatch(
      split.features.subarray(start * split.width, (start + size) * split.width),
      split.labels.subarray(start * classes, (start + size) * classes),
      size,
      split.shape,
      split.lengths?.subarray(start, start + size),
    );
    (await session.measureAsync('eval', batch)).forEach((v, i) => (sums[i]! += v * size));
    if (signal?.aborted) return undefined;
  }
  return Object.fromEntries(session.metricNames.map((m, i) => [m, sums[i]! / split.count]));
}

function resolveSchedule<F, V, N>(model: CompiledModel<F, V, N>, options: RunOptions, resumed: Schedule | undefined): Schedule {
  const s = model.schedule;
  const schedule: Schedule = {
    steps: options.steps ?? resumed?.steps ?? s.steps,
    batchSize: resumed?.batchSize ?? options.batchSize ?? s.batchSize,
    evalEvery: resumed?.evalEvery ?? options.evalEvery ?? s.evaluation.every,
    evalBatches: resumed?.evalBatches ?? options.evalBatches ?? s.evaluation.batches,
    evalBatchSize: resumed?.evalBatchSize ?? options.batchSize ?? s.evaluation.batchSize,
  };
  const flags: [string, number][] = [
    ['--steps', schedule.steps],
    ['--batch-size', schedule.batchSize],
    ['--eval-every', schedule.evalEvery],
    ['--eval-batches', schedule.evalBatches],
  ];
  for (const [option, value] of flags) {
    if (!Number.isInteger(value) || value < 1) fail('GC704', { option, value: String(value), expected: 'a positive integer' });
  }
  const micro = s.microBatches ?? 1;
  if (schedule.batchSize % micro !== 0) fail('GC725', { option: '--batch-size', batchSize: schedule.batchSize, microBatches: micro });
  return schedule;
}

function checkResumable<F, V, N>(model: CompiledModel<F, V, N>, header: CheckpointHeader, seed: number, options: RunOptions): void {
  if (header.model !== model.name) fail('GC708', { kind: 'model', checkpoint: header.model, module: model.name });
  const differing = Object.keys({ ...header.params, ...model.params }).filter((k) => header.params[k] !== model.params[k]);
  if (differing.length > 0) {
    fail('GC708', { kind: 'params', differing: differing.map((k) => ({ param: k, checkpoint: header.params[k], module: model.params[k] })) });
  }
  if (options.seed !== undefined && options.seed !== seed) fail('GC708', { kind: 'seed', seed });
  for (const [flag, given, saved] of [
    ['--batch-size', options.batchSize, header.schedule.batchSize],
    ['--eval-every', options.evalEvery, header.schedule.evalEvery],
    ['--eval-batches', options.evalBatches, header.schedule.evalBatches],
  ] as const) {
    if (given !== undefined && given !== saved) fail('GC708', { kind: 'schedule', flag, saved });
  }
  const steps = options.steps ?? header.schedule.steps;
  if (steps < header.step) fail('GC708', { kind: 'past_steps', step: header.step, steps });
}

function summaryOf<F, V, N>(model: CompiledModel<F, V, N>, result: RunResult): RunSummary {
  return {
    model: model.name,
    spec: specFile(model),
    params: model.params,
    backend: result.backend.name,
    device: result.backend.device,
    host: hostname(),
    versions: runtimeVersions(),
    seed: result.seed,
    steps: result.steps,
    interrupted: result.interrupted,
    wall_seconds: result.wallSeconds,
    final: result.evaluations.at(-1) ?? null,
    ...(result.best ? { best: result.best } : {}),
    ...(result.stoppedEarly !== undefined ? { stopped_early: result.stoppedEarly } : {}),
  };
}
