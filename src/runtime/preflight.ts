/**
 * What a run checks before step 1, so that a run that cannot succeed says so
 * before any work is lost: its batches against the data, the model's memory
 * against what the backend can have, the workers against the machine and the
 * batch, and the run folder against the file system. Each failure is a
 * catalogue diagnostic; a setting that can be corrected without asking (more
 * workers than cores) is, with one warning line.
 */
import { availableParallelism, totalmem } from 'node:os';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { diagnostic, fail } from '../common/diagnostics/diagnostic.js';
import { describeFsError } from '../common/fs.js';
import type { BackendName } from './backends.js';
import { CHECKPOINT_FILE } from './checkpoint.js';
import type { ModelMemory } from './model.js';

/** A warning line, as the CLI prints diagnostics without a location. */
export function warningLine(d: ReturnType<typeof diagnostic>): string {
  return `graphc: warning ${d.code}: ${d.message}`;
}

export interface BatchPlan {
  readonly batchSize: number;
  readonly evalBatches: number;
  readonly evalBatchSize: number;
  /** The option that set the test batch size (--batch-size sets both). */
  readonly evalBatchOption: string;
}

/**
 * GC709 when a batch needs more examples than its set has; a warning (GC710)
 * when an evaluation reads the test set more than once.
 */
export function checkBatches(plan: BatchPlan, counts: { readonly train: number; readonly test: number }, warn: (line: string) => void): void {
  if (plan.batchSize > counts.train) fail('GC709', { option: '--batch-size', batchSize: plan.batchSize, split: 'train', examples: counts.train });
  if (plan.evalBatchSize > counts.test) fail('GC709', { option: plan.evalBatchOption, batchSize: plan.evalBatchSize, split: 'test', examples: counts.test });
  if (plan.evalBatches * plan.evalBatchSize > counts.test) {
    warn(warningLine(diagnostic('GC710', { batches: plan.evalBatches, batchSize: plan.evalBatchSize, examples: counts.test })));
  }
}

/**
 * The worker threads a run uses: at most one per core (each has its own
 * backend and copy of the model, so more only share the cores and add memory)
 * and one per example of a batch; a lowered count is said once.
 */
export function clampWorkers(requested: number, batchSize: number, warn: (line: string) => void, cores: number = availableParallelism()): number {
  let workers = requested;
  if (workers > cores) {
    warn(warningLine(diagnostic('GC712', { option: '--workers', requested, used: cores, limit: 'cores', count: cores })));
    workers = cores;
  }
  if (workers > batchSize) {
    warn(warningLine(diagnostic('GC712', { option: '--workers', requested, used: batchSize, limit: 'batch_rows', count: batchSize })));
    workers = batchSize;
  }
  return workers;
}

/** WebAssembly memory is 32-bit: a wasm backend cannot hold more than 4 GiB, whatever the machine has. */
const WASM_MEMORY = 4 * 1024 ** 3;

/** What a backend can allocate: WebAssembly's 4 GiB on wasm (or less memory on the machine), the machine's memory otherwise. */
export function backendMemory(backend: BackendName, machine: number = totalmem()): { available: number; limit: 'wasm_memory' | 'machine_memory' } {
  if (backend === 'wasm' && WASM_MEMORY < machine) return { available: WASM_MEMORY, limit: 'wasm_memory' };
  return { available: machine, limit: 'machine_memory' };
}

/**
 * GC711 when the estimated training memory (the model in each worker and the
 * activations of the largest batch) exceeds what the backend can have, naming
 * the change that helps most. A module without an estimate (compiled by an
 * older graphc) is not checked.
 */
export function checkMemory(
  memory: ModelMemory | undefined,
  run: { readonly backend: BackendName; readonly batchSize: number; readonly workers: number },
  machine: number = totalmem(),
): void {
  if (!memory) return;
  const { available, limit } = backendMemory(run.backend, machine);
  // Workers on the wasm backend each have a memory of their own, holding one model and a share of the batch; elsewhere they share the machine's.
  const perWorker = limit === 'wasm_memory';
  const models = perWorker ? 1 : run.workers;
  const rows = perWorker ? Math.ceil(run.batchSize / run.workers) : run.batchSize;
  const activations = memory.bytesPerExample * rows;
  const needed = memory.modelBytes * models + activations;
  if (needed <= available) return;
  const change = memory.sizedBy && memory.modelBytes * models >= activations ? { kind: 'param' as const, ...memory.sizedBy } : { kind: 'batch' as const };
  fail('GC711', {
    backend: run.backend,
    needed,
    modelBytes: memory.modelBytes,
    perExample: memory.bytesPerExample,
    rows,
    workers: run.workers,
    perWorker,
    available,
    limit,
    change,
  });
}

const PROBE_FILE = '.graphc-write-probe';

/**
 * The run folder can be written: a probe file is written and removed (the
 * folder itself exists already, made by the run's lock). GC713 otherwise.
 */
export function probeRunFolder(dir: string): void {
  const probe = join(dir, `${PROBE_FILE}.${process.pid}`);
  try {
    writeFileSync(probe, 'graphc checks that this folder can be written before training\n');
    rmSync(probe);
  } catch (error) {
    rmSync(probe, { force: true });
    fail('GC713', { dir, kind: 'not_writable', fsError: describeFsError(error) });
  }
}

/** Whether DIR holds a run that could be continued (its checkpoint), which a new run must not silently replace. */
export function holdsRun(dir: string): boolean {
  return existsSync(join(dir, CHECKPOINT_FILE));
}
