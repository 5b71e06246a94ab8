/**
 * Snapshot tests of diagnostics, one folder per case under cases/: spec.yaml
 * (and set.txt for --set arguments) beside expected.txt, the exact text graphc
 * prints. Regenerate with UPDATE_SNAPSHOTS=1 and review the diff.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSpec } from '../../../src/compiler/index.js';
import { formatDiagnostics } from '../../../src/shared/diagnostics/format.js';

const root = join(import.meta.dirname, 'cases');
const update = process.env['UPDATE_SNAPSHOTS'] === '1';

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
  for (const name of caseNames()) {
    it(name, () => {
      const { text, codes } = runCase(name);
      expect(codes.length, 'every case raises at least one diagnostic').toBeGreaterThan(0);
      const expectedFile = join(root, name, 'expected.txt');
      if (update || !existsSync(expectedFile)) writeFileSync(expectedFile, text);
      expect(text).toBe(readFileSync(expectedFile, 'utf8'));
    });
  }
});
