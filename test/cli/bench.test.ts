/** `graphc bench` as users run it: JSON rows, the reference notebook's table, argument errors. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';

function graphc(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/graphc.js', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tiny = ['--backend', 'wasm', '--steps', '2', '--eval-batches', '1', '--warmup', '1', '--batch-size', '10'];

describe('graphc bench', () => {
  it('--json prints one row per spec with the documented fields (here on the CPU-time clock); progress goes to stderr', () => {
    const r = graphc('bench', 'graphs/gru.yaml', '--set', 'hidden_size=8', '--set', 'layer_num=1', ...tiny, '--clock', 'cpu', '--json');
    expect(r.status, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ spec: 'graphs/gru.yaml', params: { hidden_size: 8, layer_num: 1 }, backend: 'wasm', clock: 'cpu', extrapolated: true, steps: 2, eval_batches: 1 });
    for (const key of ['train_ms_per_step', 'eval_ms_per_batch', 'protocol_seconds']) expect(rows[0]![key], key).toBeGreaterThan(0);
    expect(typeof rows[0]!['device']).toBe('string');
    expect(rows[0]).not.toHaveProperty('baseline_train_ms_per_step');
    expect(r.stderr).toContain('graphc bench: [1/1] graphs/gru.yaml hidden_size=8 layer_num=1 (graphc): train');
  });

  it("--table prints the reference notebook's seven rows, the transformer and the convnet (here at tiny sizes: --set applies to the rows whose spec has the param)", () => {
    const r = graphc(
      'bench', '--table', '--set', 'hidden_size=4', '--set', 'conv1_features=2', '--set', 'conv2_features=2', '--set', 'fc_units=4',
      '--set', 'd_model=4', '--set', 'heads=2', '--set', 'ff_units=4', '--set', 'conv1_filters=2', '--set', 'conv2_filters=2', ...tiny,
    );
    expect(r.status, r.stderr).toBe(0);
    for (const model of ['LSTM', 'GRU', 'Bi-GRU']) expect(r.stdout).toMatch(new RegExp(`\\| ${model} \\| \\d+\\.\\d \\| \\d+\\.\\d \\|`));
    for (const model of ['CNN', 'Transformer', 'Convnet']) expect(r.stdout).toMatch(new RegExp(`\\| ${model} \\| - \\| \\d+\\.\\d \\|`));
    expect(r.stdout).toContain('| Model | 1-layer | 2-layer |');
    expect(r.stdout).toContain('backend wasm on ');
  });

  it('--gemm says why it cannot run where graphc\'s GEMM is off (GC745)', () => {
    const r = spawnSync(process.execPath, ['bin/graphc.js', 'bench', '--gemm'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', GRAPHC_WASM_GEMM: 'off' } });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("error GC745: graphc bench --gemm compares graphc's GEMM with XNNPACK's, but graphc's is off here: turned off by GRAPHC_WASM_GEMM=off");
  });

  it('argument mistakes are reported before anything runs (GC722, GC723, GC306, GC745)', async () => {
    const cases: Array<[string[], string]> = [
      [[], 'error GC722: graphc bench: nothing to time: give specs, --table, or --profile SPEC'],
      [['--table', 'graphs/gru.yaml'], "error GC722: graphc bench: --table runs its rows (the reference notebook's seven, the transformer and the convnet) from graphs/; give no specs with it"],
      [['--profile', 'graphs/gru.yaml', '--table'], 'error GC722: graphc bench: --profile takes one spec'],
      [['--table', '--set', 'layer_num=3'], 'error GC722: graphc bench: --table sets layer_num per row'],
      [['--table', '--set', 'hiden_size=3'], "error GC723: --set hiden_size applies to no spec of the table"],
      [['--table', '--set', 'hidden_size'], "error GC306: --set expects NAME=VALUE, got 'hidden_size'"],
      [['--gemm', 'graphs/gru.yaml'], "error GC745: graphc bench --gemm times the Bi-GRU step's GEMMs on the wasm backend by itself: give it no specs, --table, --profile or --baseline"],
      [['--gemm', '--baseline'], 'error GC745: graphc bench --gemm times'],
    ];
    // In process: these fail before any backend or data is touched.
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      for (const [args, message] of cases) {
        stderr.mockClear();
        const status = await main(['bench', ...args]);
        const text = stderr.mock.calls.map((c) => String(c[0])).join('');
        expect(status, args.join(' ')).toBe(1);
        expect(text).toContain(message);
        expect(text).not.toContain('graphc bench: [');
      }
    } finally {
      stderr.mockRestore();
    }
  });
});
