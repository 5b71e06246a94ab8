/**
 * Snapshot tests of diagnostics, one folder per case under cases/: spec.yaml
 * (and set.txt for --set arguments) beside expected.txt, the exact text graphc
 * prints.
 *
 * A case without expected.txt fails: the test never approves its own output.
 * To write (or rewrite) the expected files, run
 *
 *     UPDATE_SNAPSHOTS=1 npx vitest run test/common/diagnostics/cases.test.ts
 *
 * then review the diff and commit it. UPDATE_SNAPSHOTS is ignored where CI is
 * set (CI=true), so a CI run can only compare.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSpec } from '../../../src/compiler/index.js';
import { formatDiagnostics } from '../../../src/common/diagnostics/format.js';

const root = join(import.meta.dirname, 'cases');

/** Whether expected.txt files are (re)written: UPDATE_SNAPSHOTS=1, and never in CI. */
export function updating(env: NodeJS.ProcessEnv = process.env): boolean {
  return env['UPDATE_SNAPSHOTS'] === '1' && !env['CI'];
}

/**
 * The text the case in `dir` must print: its expected.txt; when updating,
 * `actual`, written there first. A missing expected.txt is an error.
 */
export function expectedText(dir: string, actual: string, env: NodeJS.ProcessEnv = process.env): string {
  const file = join(dir, 'expected.txt');
  if (updating(env)) writeFileSync(file, actual);
  if (!existsSync(file)) {
    throw new Error(
      `${relative(process.cwd(), file)} is missing: write it with UPDATE_SNAPSHOTS=1 npx vitest run test/common/diagnostics/cases.test.ts (not in CI), review it and commit it`,
    );
  }
  return readFileSync(file, 'utf8');
}

export function caseNames(): string[] {
  return readdirSync(root).filter((name) => existsSync(join(root, name, 'spec.yaml'))).sort();
}

export function runCase(name: string): { text: string; codes: string[] } {
  const file = relative(process.cwd(), join(root, name, 'spec.yaml'));
  const setFile = join(root, name, 'set.txt');
  const set = existsSync(setFile) ? readFileSync(setFile, 'utf8').split('\n').filter(Boolean) : [];
  const result = compileSpec(file, { set, checkOnly: true });
  const text = formatDiagnostics(result.diagnostics, { sources: new Map([[file, result.text ?? '']]) });
  return { text: `${text}\n`, codes: result.diagnostics.map((d) => d.code) };
}

describe('diagnostic cases', () => {
  it('every folder under cases/ is a case (has a spec.yaml)', () => {
    expect(caseNames()).toEqual(readdirSync(root).sort());
  });

  for (const name of caseNames()) {
    it(name, () => {
      const { text, codes } = runCase(name);
      expect(codes.length, 'every case raises at least one diagnostic').toBeGreaterThan(0);
      expect(text).toBe(expectedText(join(root, name), text));
    });
  }
});

describe('a case without expected.txt', () => {
  const folder = (): string => mkdtempSync(join(tmpdir(), 'graphc-case-'));

  it('fails in CI and by default, and nothing is written', () => {
    for (const env of [{ CI: 'true' }, {}, { CI: 'true', UPDATE_SNAPSHOTS: '1' }, { UPDATE_SNAPSHOTS: 'yes' }]) {
      const dir = folder();
      expect(() => expectedText(dir, 'error[GC101]: …\n', env), JSON.stringify(env)).toThrow(/expected\.txt is missing: write it with UPDATE_SNAPSHOTS=1/);
      expect(existsSync(join(dir, 'expected.txt'))).toBe(false);
    }
  });

  it('is written only with UPDATE_SNAPSHOTS=1 outside CI', () => {
    const dir = folder();
    expect(expectedText(dir, 'error[GC101]: …\n', { UPDATE_SNAPSHOTS: '1' })).toBe('error[GC101]: …\n');
    expect(readFileSync(join(dir, 'expected.txt'), 'utf8')).toBe('error[GC101]: …\n');
  });
});
