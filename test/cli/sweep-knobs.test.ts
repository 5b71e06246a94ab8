/**
 * The training knobs are params a sweep varies, the optimizer's type among
 * them (graphs/bigru.yaml's `optimizer` param): optimizer × schedule on a
 * tiny Bi-GRU (hidden size 4, one layer, 30 steps), the command docs/usage.md
 * gives, runs its 4 trials and its table ranks them by the final metric.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';

it('graphc sweep --grid optimizer=adam,sgd --grid lr_schedule=constant,cosine_decay ranks the 4 trials', () => {
  const root = mkdtempSync(join(tmpdir(), 'graphc-sweep-knobs-'));
  const args = [
    'bin/graphc.js', 'sweep', 'graphs/bigru.yaml',
    '--grid', 'optimizer=adam,sgd', '--grid', 'lr_schedule=constant,cosine_decay',
    '--set', 'hidden_size=4', '--set', 'layer_num=1', '--set', 'lr=0.01', '--set', 'warmup_steps=5', '--set', 'decay_steps=25', '--set', 'clip_norm=5',
    '--steps', '30', '--eval-every', '15', '--eval-batches', '2', '--name', 'knobs', '--dir', root, '--parallel', '2',
  ];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  expect(r.status, r.stderr).toBe(0);
  const table = r.stdout.trim().split('\n');
  expect(table[0]).toMatch(/^#\s+trial\s+optimizer\s+lr_schedule\s+final test\.acc\s+best test\.acc\s+steps\b/);
  const rows = table.slice(2);
  expect(rows).toHaveLength(4);
  for (const row of rows) expect(row).toMatch(/^\d\s+t[0-9a-f]{20}\s+(adam|sgd)\s+(constant|cosine_decay)\s+\d\.\d{4}\s+\d\.\d{4}\s+30\s.*\sdone$/);
  expect(new Set(rows.map((row) => row.split(/\s+/).slice(2, 4).join(' ')))).toEqual(new Set(['adam constant', 'adam cosine_decay', 'sgd constant', 'sgd cosine_decay']));
  // Ranked: the final test accuracy falls (or stays) down the table, and the rank column counts 1 to 4.
  const finals = rows.map((row) => Number(row.split(/\s+/)[4]));
  expect(finals).toEqual([...finals].sort((a, b) => b - a));
  expect(rows.map((row) => row.split(/\s+/)[0])).toEqual(['1', '2', '3', '4']);
  // Each trial trained with its own optimizer and schedule: the cosine trials' metrics carry their rate, the constant ones none.
  const trials = JSON.parse(readFileSync(join(root, 'knobs', 'sweep.json'), 'utf8')) as { trials: { id: string; params: Record<string, string> }[] };
  for (const trial of trials.trials) {
    const last = JSON.parse(readFileSync(join(root, 'knobs', 'trials', trial.id, 'metrics.jsonl'), 'utf8').trim().split('\n').at(-1)!) as { train: Record<string, number> };
    expect('lr' in last.train, JSON.stringify(trial.params)).toBe(trial.params['lr_schedule'] === 'cosine_decay');
  }
});
