/**
 * Every op against PyTorch (see harness.ts): each case of test/peer/cases/<op>.ts
 * on the cpu, wasm and webgpu backends, values and gradients within the case's
 * tolerance, and every op of OPS with a case file. Without torch the
 * comparisons are skipped, unless GRAPHC_REQUIRE_TORCH=1 (CI); without a WebGPU
 * adapter the webgpu ones are, unless GRAPHC_REQUIRE_WEBGPU=1.
 */
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPS } from '../../src/compiler/ops/index.js';
import { initBackend } from '../../src/runtime/backends.js';
import { webgpuForTests } from '../runtime/kernels/webgpu/helpers.js';
import {
  compareResults,
  describeInputs,
  failureMessage,
  PEER_BACKENDS,
  PeerReport,
  prepareCase,
  pythonCommand,
  runGraphc,
  runTorch,
  torchAvailable,
  type PeerBackend,
  type PeerCase,
  type PreparedCase,
  type TorchAnswer,
} from './harness.js';

const CASES_DIR = fileURLToPath(new URL('./cases/', import.meta.url));
const files = readdirSync(CASES_DIR)
  .filter((f) => f.endsWith('.ts'))
  .sort();
const caseFiles = await Promise.all(
  files.map(async (file) => ({ op: basename(file, '.ts'), cases: ((await import(pathToFileURL(join(CASES_DIR, file)).href)) as { cases: readonly PeerCase[] }).cases })),
);

describe('the peer cases', () => {
  it('every op in OPS has a case file with at least one case', () => {
    const missing = OPS.map((op) => op.name).filter((name) => !caseFiles.some((f) => f.op === name && f.cases.length > 0));
    expect(missing, `ops without a peer case in test/peer/cases/<op>.ts: ${missing.join(', ')}`).toEqual([]);
  });

  it('every case file is an op, its cases are of that op and their names are unique', () => {
    const names = new Set(OPS.map((op) => op.name));
    for (const { op, cases } of caseFiles) {
      expect(names.has(op), `test/peer/cases/${op}.ts names no op`).toBe(true);
      for (const c of cases) expect(c.node.op, `${op}: '${c.name}'`).toBe(op);
      const seen = cases.map((c) => c.name);
      expect(seen.filter((n, i) => seen.indexOf(n) !== i), `${op}: repeated case names`).toEqual([]);
    }
  });
});

const torch = torchAvailable();
const gpu = await webgpuForTests();

// CI sets GRAPHC_REQUIRE_TORCH=1: there a python3 without torch is a failure, not a skip.
it.runIf(!torch.ok && process.env['GRAPHC_REQUIRE_TORCH'] === '1')('has an interpreter with torch (GRAPHC_REQUIRE_TORCH=1)', () => {
  expect.fail(`GRAPHC_REQUIRE_TORCH=1 but ${torch.reason}`);
});

// GRAPHC_PEER_OPS=relu,dense and GRAPHC_PEER_BACKENDS=cpu narrow a run while a case is being written.
const list = (name: string): string[] | undefined => process.env[name]?.split(',').map((s) => s.trim()).filter((s) => s !== '');
const onlyOps = list('GRAPHC_PEER_OPS');
const backends = PEER_BACKENDS.filter((b) => list('GRAPHC_PEER_BACKENDS')?.includes(b) ?? true);
const all = caseFiles.filter(({ op }) => onlyOps?.includes(op) ?? true).flatMap(({ op, cases }) => cases.map((c) => ({ op, c })));

describe.skipIf(!torch.ok)(`graphc against PyTorch${torch.ok ? '' : ` (skipped: ${torch.reason})`}`, () => {
  const prepared = new Map<PeerCase, PreparedCase | Error>();
  const answers = new Map<PeerCase, TorchAnswer | Error>();
  const report = new PeerReport();
  const ran: PeerBackend[] = [];
  let version = '';
  /** Seconds spent: compiling and preparing, PyTorch's child, and each backend's cases. */
  const seconds: Record<string, number> = {};
  const since = (start: number): number => Math.round((performance.now() - start) / 100) / 10;
  /** Settles (never rejects) once PyTorch's answers, or its failure, are in `answers`. */
  let answered: Promise<void> = Promise.resolve();

  beforeAll(async () => {
    let start = performance.now();
    await initBackend('cpu');
    for (const { op, c } of all) {
      try {
        prepared.set(c, await prepareCase(op, c));
      } catch (error) {
        prepared.set(c, error instanceof Error ? error : new Error(String(error)));
      }
    }
    const ready = all.map(({ c }) => prepared.get(c)).filter((p): p is PreparedCase => !(p instanceof Error) && p !== undefined);
    seconds['compile and prepare'] = since(start);
    // PyTorch's child works on a core of its own while the first backend's cases run here; each case waits for its answers.
    const torchStart = performance.now();
    answered = (async () => {
      try {
        const reply = await runTorch(ready);
        version = reply.version;
        ready.forEach((p, i) => answers.set(p.case, reply.answers[i]!));
      } catch (error) {
        for (const p of ready) answers.set(p.case, error instanceof Error ? error : new Error(String(error)));
      }
      seconds['PyTorch'] = since(torchStart);
    })();
  });

  afterAll(() => {
    if (ran.length === 0) return;
    const path = join('.graphc', 'peer', 'report.json');
    report.write(path, { torch: version, python: pythonCommand(), backends: ran, cases: all.length, seconds });
    const time = Object.entries(seconds).map(([what, s]) => `${what} ${s} s`).join(', ');
    console.log(`PyTorch ${version} against graphc, ${all.length} cases; the largest differences per op (abs / rel / share of the tolerance; written to ${path}):\n${report.table(ran)}\ntime: ${time}`);
  });

  for (const backend of backends) {
    const skip = backend === 'webgpu' && !gpu.available;
    describe.skipIf(skip)(`on ${backend}${backend === 'webgpu' ? gpu.titleSuffix : ''}`, () => {
      let start = 0;
      beforeAll(async () => {
        start = performance.now();
        await initBackend(backend);
        ran.push(backend);
      });
      afterAll(() => {
        seconds[backend] = since(start);
      });

      for (const { op, c } of all) {
        const known = c.knownFailure && (!c.knownFailure.backends || c.knownFailure.backends.includes(backend)) ? c.knownFailure : undefined;
        const title = `${op}: ${c.name}${known ? ` (KNOWN FAILURE: ${known.reason})` : ''}`;
        (known ? it.fails : it)(title, async () => {
          const p = prepared.get(c);
          if (p instanceof Error || p === undefined) throw new Error(`${op} '${c.name}': ${p?.message ?? 'not prepared'}`);
          // graphc's side runs while PyTorch may still be answering; PyTorch's failure is still reported first.
          const ours = runGraphc(p).then((result) => ({ result }), (error: unknown) => ({ error }));
          await answered;
          const settled = await ours;
          const answer = answers.get(c);
          if (answer instanceof Error || answer === undefined) throw new Error(`${op} '${c.name}': PyTorch's side failed: ${answer?.message ?? 'no answer'}`);
          if ('error' in answer) throw new Error(`${op} '${c.name}' (${describeInputs(p)}): the torch code failed:\n${answer.error}`);
          if ('error' in settled) throw settled.error;
          const compared = compareResults(p, settled.result, answer);
          if (known) report.addKnown(op, backend, c.name, known.reason, compared);
          else report.add(op, backend, compared);
          const message = failureMessage(p, backend, compared);
          if (message) expect.fail(message);
        });
      }
    });
  }
});
