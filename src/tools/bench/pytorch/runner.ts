/**
 * `graphc bench --baseline pytorch`: the spec's model in PyTorch
 * (pytorch/baseline.py at the package's root, shipped with it), run by `python3`
 * in a child process per request and timed by the same protocol as graphc.
 * Its threads are pinned, to graphc's worker count unless asked otherwise:
 * torch.set_num_threads, and OMP/MKL/OpenBLAS thread counts in its
 * environment, so that its BLAS and OpenMP pools do not oversubscribe the cores.
 * Without python3 or torch the run answers `unavailable` and the bench prints
 * a skip line instead of a ratio.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { diagnostic, GraphcError } from '../../../common/diagnostics/diagnostic.js';
import type { BaselineRequest, BaselineResult } from '../baselines/runner.js';
import type { TimingPhase } from '../timing.js';

/** The script, at the package's root (the same path from src/ and from dist/; package.json's files ship it). */
export const PYTORCH_SCRIPT = fileURLToPath(new URL('../../../../pytorch/baseline.py', import.meta.url));

/** The interpreter graphc runs the script with (GRAPHC_PYTHON overrides). */
export const pythonCommand = (): string => process.env.GRAPHC_PYTHON ?? 'python3';

export type PytorchOutcome = { readonly ok: true; readonly result: BaselineResult } | { readonly ok: false; readonly reason: string };

type ScriptReply =
  | { readonly type: 'progress'; readonly phase: TimingPhase; readonly done: number; readonly total: number }
  | { readonly type: 'result'; readonly result: BaselineResult }
  | { readonly type: 'unavailable'; readonly reason: string }
  | { readonly type: 'failed'; readonly message: string };

/** Runs one baseline: resolves with the timings, or with why PyTorch is not there; rejects (GC743) when the script fails. */
export function runPytorchBaseline(
  request: BaselineRequest & { readonly threads: number },
  onProgress?: (phase: TimingPhase, done: number, total: number) => void,
): Promise<PytorchOutcome> {
  const threads = String(request.threads);
  const env = { ...process.env, OMP_NUM_THREADS: threads, MKL_NUM_THREADS: threads, OPENBLAS_NUM_THREADS: threads };
  return new Promise((resolveOnce, rejectOnce) => {
    let settled = false;
    const resolve = (value: PytorchOutcome): void => {
      if (!settled) resolveOnce(value);
      settled = true;
    };
    const reject = (error: Error): void => {
      if (!settled) rejectOnce(error);
      settled = true;
    };
    const child = spawn(pythonCommand(), [PYTORCH_SCRIPT], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let outcome: PytorchOutcome | undefined;
    let failure: string | undefined;
    let pending = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        if (line.trim() === '') continue;
        let reply: ScriptReply;
        try {
          reply = JSON.parse(line) as ScriptReply;
        } catch {
          failure ??= `it printed something other than JSON: ${line.slice(0, 200)}`;
          continue;
        }
        if (reply.type === 'progress') onProgress?.(reply.phase, reply.done, reply.total);
        else if (reply.type === 'result') outcome = { ok: true, result: reply.result };
        else if (reply.type === 'unavailable') outcome = { ok: false, reason: `${reply.reason}; GRAPHC_PYTHON names another interpreter` };
        else failure = reply.message;
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-2000)));
    child.on('error', (error: NodeJS.ErrnoException) => {
      // Spawning failed: no interpreter of that name.
      if (error.code === 'ENOENT') resolve({ ok: false, reason: `${pythonCommand()} is not installed (or not on PATH; GRAPHC_PYTHON names another interpreter)` });
      else reject(new GraphcError(diagnostic('GC743', { reason: error.message })));
    });
    child.on('close', (code) => {
      if (outcome && failure === undefined) return resolve(outcome);
      const lastLine = stderr.trim().split('\n').at(-1);
      reject(new GraphcError(diagnostic('GC743', { reason: failure ?? `python exited with code ${code}${lastLine ? `: ${lastLine}` : ''}` })));
    });
    child.stdin.end(JSON.stringify(request));
  });
}
