/** `graphc init`: a starter spec that passes `graphc check` cleanly, and clear refusals. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { graphc } from '../helpers/cli.js';


describe('graphc init', () => {
  it('writes a commented spec that names the schema and checks with no errors or warnings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'graphc-init-'));
    const r = graphc('init', 'my_model', '--dir', dir);
    expect(r.status, r.stderr).toBe(0);
    const file = join(dir, 'my_model.yaml');
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=.*schema\/graphc\.schema\.json$/);
    expect(text).toContain('name: my_model');
    expect(text.match(/^\s*#/gm)!.length).toBeGreaterThan(10);
    const check = graphc('check', file, '--format', 'json');
    expect(check.status, check.stderr).toBe(0);
    expect(JSON.parse(check.stdout)).toEqual([]);
  });

  it('the spec runs where it was written, outside this package (its module is loaded as ESM there too)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'graphc-init-'));
    expect(graphc('init', 'outside', '--dir', dir).status).toBe(0);
    const r = graphc('run', join(dir, 'outside.yaml'), '--backend', 'cpu', '--steps', '2', '--eval-every', '2', '--eval-batches', '1', '--set', 'hidden=8', '--out-dir', join(dir, 'gen'), '--no-out', '--no-progress');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^step 2, train cost=/);
  });

  it('GC752: refuses to overwrite a file unless --force', () => {
    const dir = mkdtempSync(join(tmpdir(), 'graphc-init-'));
    writeFileSync(join(dir, 'taken.yaml'), 'mine');
    const r = graphc('init', 'taken', '--dir', dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`error GC752: ${join(dir, 'taken.yaml')} already exists; choose another name, or add --force to overwrite it`);
    expect(readFileSync(join(dir, 'taken.yaml'), 'utf8')).toBe('mine');
    expect(graphc('init', 'taken', '--dir', dir, '--force').status).toBe(0);
  });

  it('GC753: a name that cannot be a spec name gets a corrected suggestion', () => {
    const r = graphc('init', 'My Model', '--dir', tmpdir());
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("error GC753: 'My Model' cannot name a spec: use lowercase letters, digits, '_' and '-', starting with a letter (e.g. 'my_model')");
  });
});
