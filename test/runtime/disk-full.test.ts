/**
 * A disk that really fills up: a tmpfs with room for one checkpoint and a
 * half, so the run's second checkpoint cannot be written. Mounting needs
 * root (or a user namespace); where it cannot be mounted the test is skipped
 * (preflight.test.ts makes the same failure through a write fault instead).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphcError } from '../../src/common/diagnostics/diagnostic.js';
import { checkpointPath, readCheckpoint } from '../../src/runtime/checkpoint.js';
import { loadMnist } from '../../src/runtime/data/index.js';
import { RandomStream } from '../../src/runtime/random.js';
import { tf } from '../../src/runtime/tf.js';
import { runModel, type RunOptions } from '../../src/runtime/trainer.js';
import type { AnyCompiledModel } from '../../src/runtime/model.js';
import { importVariant } from '../helpers/modules.js';

const mountPoint = mkdtempSync(join(tmpdir(), 'graphc-tmpfs-'));
let mounted = false;
let model: AnyCompiledModel;

const options = (out: string, more: Partial<RunOptions> = {}): RunOptions => {
  const random = new RandomStream(1, 'data');
  const mnist = loadMnist({ random });
  return { print: () => {}, status: () => {}, backend: 'cpu', steps: 4, evalEvery: 2, evalBatches: 1, batchSize: 10, out, data: { train: mnist.train, test: mnist.test, random }, ...more };
};

beforeAll(async () => {
  tf.env().set('PROD', true);
  model = await importVariant('graphs/bigru.yaml', ['hidden_size=16', 'layer_num=1']);
  // The size of one checkpoint of this run, written where there is room.
  const sizing = join(mkdtempSync(join(tmpdir(), 'graphc-sizing-')), 'run');
  await runModel(model, options(sizing, { steps: 2 }));
  const size = statSync(checkpointPath(sizing)).size;
  const room = Math.ceil((1.5 * size) / 4096) * 4096 + 16 * 1024;
  mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${room}`, 'tmpfs', mountPoint]).status === 0;
});

afterAll(() => {
  if (mounted) spawnSync('umount', [mountPoint]);
});

describe('a full disk', () => {
  it('stops the run at the checkpoint that does not fit with GC706 (the file, the space needed, the space free); the previous one resumes', async (context) => {
    if (!mounted) context.skip();
    const out = join(mountPoint, 'run');
    mkdirSync(out);
    let error: unknown;
    try {
      await runModel(model, options(out));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GraphcError);
    const d = (error as GraphcError).diagnostics[0]!;
    expect(d.code).toBe('GC706');
    expect(d.message).toMatch(new RegExp(`^cannot write ${checkpointPath(out)}: no space left on the device \\(it needs [\\d.]+ KiB, [\\d.]+ KiB free\\)`));
    expect(readCheckpoint(out).header.step).toBe(2);
    expect(existsSync(join(out, 'run.lock'))).toBe(false);

    // Room made (the run moved to a disk with space), --resume continues from step 2.
    const moved = join(mkdtempSync(join(tmpdir(), 'graphc-moved-')), 'run');
    spawnSync('cp', ['-r', out, moved]);
    const resumed = await runModel(model, options(moved, { resume: readCheckpoint(moved) }));
    expect(resumed.steps).toBe(4);
    expect(resumed.evaluations.map((e) => e.step)).toEqual([2, 4]);
  });
});
