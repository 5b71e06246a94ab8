/**
 * docs/interop.md's walk-through, its first half checked against the doc's
 * own text: the PyTorch Bi-GRU exported by the doc's command lists the files
 * the doc shows, `graphc import` run as the doc runs it prints the doc's lines,
 * and the spec it writes holds every line of the doc's YAML excerpt, in order.
 * (The MNIST fine-tuning and eval that follow are timed runs the doc quotes;
 * they are not re-run here.) Skipped without torch, saying why.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pythonCommand, torchAvailable } from '../../peer/harness.js';

const torch = torchAvailable();
const doc = readFileSync('docs/interop.md', 'utf8').split('\n');

/** The indented output lines the doc shows after `$ COMMAND`, up to the next blank line or command. */
function shownAfter(command: string): string[] {
  const at = doc.indexOf(`    $ ${command}`);
  if (at < 0) throw new Error(`docs/interop.md no longer shows '$ ${command}'`);
  const lines: string[] = [];
  for (let i = at + 1; i < doc.length && doc[i]!.startsWith('    ') && !doc[i]!.startsWith('    $ '); i++) lines.push(doc[i]!.slice(4));
  return lines;
}

describe.skipIf(!torch.ok)(`docs/interop.md's walk-through${torch.ok ? '' : ` (skipped: ${torch.reason})`}`, () => {
  it('exports the Bi-GRU and imports it as the doc shows', () => {
    const dir = mkdtempSync(join(tmpdir(), 'graphc-walkthrough-'));
    mkdirSync(join(dir, 'graphs'));
    const exported = spawnSync(pythonCommand(), [resolve('test/interop/torch_models.py'), 'models', 'bigru_mnist'], { cwd: dir, encoding: 'utf8' });
    expect(exported.status, exported.stderr).toBe(0);
    expect(shownAfter('ls models')).toEqual([readdirSync(join(dir, 'models')).sort().join('  ')]);

    const command = 'npx graphc import models/bigru_mnist.onnx --out graphs/bigru_torch.yaml';
    const imported = spawnSync(process.execPath, [resolve('bin/graphc.js'), ...command.split(' ').slice(2)], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(imported.status, imported.stderr).toBe(0);
    expect(imported.stderr.trimEnd().split('\n')).toEqual(shownAfter(command));

    // The doc's YAML excerpt: each of its lines in the spec, in the same order.
    const start = doc.indexOf('```yaml', doc.indexOf('Import it:'));
    const excerpt = doc.slice(start + 1, doc.indexOf('```', start + 1)).filter((l) => l.trim() !== '');
    const spec = readFileSync(join(dir, 'graphs', 'bigru_torch.yaml'), 'utf8').split('\n');
    let from = 0;
    for (const line of excerpt) {
      const found = spec.indexOf(line, from);
      expect(found, `the spec has, after line ${from}: ${line}`).toBeGreaterThanOrEqual(0);
      from = found + 1;
    }
  }, 120_000);
});
