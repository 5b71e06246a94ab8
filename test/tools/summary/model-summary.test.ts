/**
 * graphc summary (tools/summary/model-summary.ts): its parameter counts are
 * what the compiled modules' variables hold, node by node and in total,
 * trainable and not; its memory is graphc check's estimate; the command
 * prints it and locates a bad spec's error.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { compileSpec } from '../../../src/compiler/index.js';
import { Initializer } from '../../../src/runtime/init.js';
import { RandomStream } from '../../../src/runtime/random.js';
import { tf } from '../../../src/runtime/tf.js';
import { formatSummary, summarize } from '../../../src/tools/summary/model-summary.js';
import { importVariant } from '../../helpers/modules.js';

/** The command line run in this process (spawning graphc costs seconds a call): its exit code and what it printed. */
async function graphc(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
  try {
    const status = await main(args);
    return { status, stdout: out.join(''), stderr: err.join('') };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
    process.exitCode = undefined;
  }
}

/** Values each node's variables hold in the compiled module (a node's variables are named `node` or `node/...`), trainable and state. */
async function moduleVariables(spec: string): Promise<{ byNode: (node: string) => number; trainable: number; state: number }> {
  const model = await importVariant(spec, []);
  const init = new Initializer(new RandomStream(1, 'init'));
  model.createVariables(init);
  const all = [...init.variables(), ...init.stateVariables()].map((v) => ({ name: v.name, size: v.variable.size }));
  const trainable = init.variables().reduce((n, v) => n + v.variable.size, 0);
  const state = init.stateVariables().reduce((n, v) => n + v.variable.size, 0);
  tf.dispose([...init.variables(), ...init.stateVariables()].map((v) => v.variable));
  return { byNode: (node) => all.filter((v) => v.name === node || v.name.startsWith(`${node}/`)).reduce((n, v) => n + v.size, 0), trainable, state };
}

describe('graphc summary', () => {
  beforeAll(() => {
    tf.env().set('PROD', true);
  });

  for (const spec of ['graphs/bigru.yaml', 'graphs/cnn.yaml', 'graphs/transformer.yaml', 'graphs/convnet.yaml']) {
    it(`counts ${spec}'s parameters as its module's variables hold them, node by node`, async () => {
      const { graph, memory } = compileSpec(spec, { checkOnly: true });
      const summary = summarize(graph!, memory!);
      const held = await moduleVariables(spec);
      expect(summary.trainable).toBe(held.trainable);
      expect(summary.nonTrainable).toBe(held.state);
      expect(summary.trainable).toBeGreaterThan(0);
      for (const row of summary.rows) expect(row.parameters + row.state, row.name).toBe(row.op === 'placeholder' ? 0 : held.byNode(row.name));
      // Every node and placeholder, once, in the graph's order.
      expect(summary.rows.map((r) => r.name)).toEqual([...graph!.placeholders.map((p) => p.name), ...graph!.nodes.map((n) => n.name)]);
      // The rows add up to graphc check's estimate.
      expect(summary.rows.reduce((n, r) => n + r.activationBytes, 0)).toBe(memory!.bytesPerExample);
      expect(summary.trainingBytes).toBe(memory!.modelBytes + memory!.bytesPerExample * graph!.train.batchSize);
    });
  }

  it('says which parameters are not trainable: batch_norm’s moving statistics', () => {
    const { graph, memory } = compileSpec('graphs/convnet.yaml', { checkOnly: true });
    const summary = summarize(graph!, memory!);
    expect(summary.nonTrainable).toBeGreaterThan(0);
    expect(summary.rows.filter((r) => r.state > 0).every((r) => r.op === 'batch_norm')).toBe(true);
    const text = formatSummary(summary);
    expect(text).toContain(`Non-trainable params: ${summary.nonTrainable.toLocaleString('en-US')} (`);
    expect(text).toContain("batch_norm's moving statistics");
  });

  it('prints the table with Keras’s shapes and totals, and applies --set', async () => {
    const r = await graphc('summary', 'graphs/bigru.yaml', '--set', 'hidden_size=8');
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Model: "bigru"');
    expect(lines[2]).toMatch(/^Node \(op\) +Output shape +Param # +Param memory +Activations\/example +Inputs$/);
    const { graph, memory } = compileSpec('graphs/bigru.yaml', { set: ['hidden_size=8'], checkOnly: true });
    expect(r.stdout).toMatch(/\nX \(reshape\) +\(None, 28, 28\) +0 +0 +6\.1 KiB +X_input\n/);
    expect(r.stdout).toMatch(/\nW \(variable\) +\(16, 10\) +160 +640 B +0 *\n/);
    expect(r.stdout).toContain(`Total params: ${memory!.parameters.toLocaleString('en-US')} (`);
    expect(r.stdout).toContain(`for a batch of ${graph!.train.batchSize}`);
  });

  it('fails on a bad spec with its located diagnostic, not a trace', async () => {
    const r = await graphc('summary', 'graphs/bigru.yaml', '--set', 'hidden_sise=8');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/GC\d{3}/);
    expect(r.stderr).toContain('hidden_sise');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
