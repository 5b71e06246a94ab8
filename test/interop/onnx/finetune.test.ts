/**
 * Fine-tuning an imported model: `graphc run --init` (RunOptions.init) starts
 * an imported MNIST MLP from the weights graphc import wrote, and a few Adam
 * steps lower its test loss; a checkpoint that does not fit the spec is GC805.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkpointLine, openTrainedRun } from '../../../src/cli/trained-run.js';
import { importOnnx } from '../../../src/interop/onnx/index.js';
import { initBackend } from '../../../src/runtime/backends.js';
import { readCheckpointFile } from '../../../src/runtime/checkpoint.js';
import { runModel } from '../../../src/runtime/trainer.js';
import { compileModule, runImported } from './helpers.js';
import { mnistMlp } from './models.js';

const dir = mkdtempSync(join(tmpdir(), 'graphc-onnx-finetune-'));

function imported(name: string, hidden: number): { spec: string; checkpoint: string } {
  const file = join(dir, `${name}.onnx`);
  writeFileSync(file, mnistMlp(hidden));
  const result = importOnnx(file, { out: join(dir, `${name}.yaml`) });
  return { spec: result.specPath, checkpoint: result.checkpointPath };
}

describe('graphc eval and predict on an imported checkpoint', () => {
  it('open the NAME.gck graphc import wrote, with its spec, and predict what the imported model does', async () => {
    await initBackend('cpu');
    const { spec, checkpoint } = imported('direct', 16);
    // What graphc eval and graphc predict do first with their argument: here a checkpoint file instead of a run folder.
    const run = await openTrainedRun(checkpoint, join(dir, 'generated'));
    try {
      expect(checkpointLine(run)).toBe(`graphc: checkpoint ${checkpoint} (step 0, imported from direct.onnx; spec ${spec})`);
      expect(run.checkpointFile).toBe(true);
      const features = Float32Array.from({ length: 3 * 784 }, (_, i) => ((i * 37) % 101) / 100);
      const [logits] = run.trained.run(features, new Float32Array(3 * 10), 3, ['fc2']) as [Float32Array];
      const result = importOnnx(join(dir, 'direct.onnx'), { out: join(dir, 'direct_again.yaml') });
      const expected = await runImported(await compileModule(result.specPath), result, [...features], 3);
      expect(Array.from(logits!)).toEqual(Array.from(expected));
    } finally {
      run.trained.dispose();
    }
  }, 120_000);
});

describe('graphc run --init on an imported MLP', () => {
  it('starts from the imported weights and lowers the MNIST test loss in a few steps', async () => {
    const { spec, checkpoint } = imported('mlp', 16);
    const model = await compileModule(spec);
    const status: string[] = [];
    const options = { backend: 'cpu', evalBatches: 5, print: () => {}, status: (line: string) => status.push(line), init: { checkpoint: readCheckpointFile(checkpoint), file: checkpoint } } as const;
    // One step of Adam at 1e-3 barely moves the weights: its test cost is the imported model's.
    const first = (await runModel(model, { ...options, steps: 1, evalEvery: 1 })).evaluations[0]!.test['cost']!;
    const tuned = (await runModel(model, { ...options, steps: 40, evalEvery: 40 })).evaluations[0]!.test['cost']!;
    process.stdout.write(`imported MLP, MNIST test cost (5 batches): ${first.toFixed(4)} after 1 step, ${tuned.toFixed(4)} after 40 steps\n`);
    expect(status).toContain(`graphc: started mlp from the weights in ${checkpoint}`);
    expect(tuned).toBeLessThan(first * 0.8);
  }, 120_000);

  it('refuses a checkpoint whose weights do not fit the spec (GC805)', async () => {
    const { spec } = imported('wide', 16);
    const narrow = imported('narrow', 8);
    const model = await compileModule(spec);
    await expect(
      runModel(model, { backend: 'cpu', steps: 1, evalEvery: 1, evalBatches: 1, print: () => {}, status: () => {}, init: { checkpoint: readCheckpointFile(narrow.checkpoint), file: narrow.checkpoint } }),
    ).rejects.toThrow(/GC805: --init .*narrow\.gck does not fit .*wide\.yaml: variable 'fc1\/kernel' is \[784, 8\] in the checkpoint but \[784, 16\] in the model/);
  }, 120_000);
});
