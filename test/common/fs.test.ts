/** A write that fails part-way leaves the previous file as it was and no temporary file behind. */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

const failures = vi.hoisted(() => ({ rename: false }));
vi.mock('node:fs', async (original) => {
  const fs = await original<typeof import('node:fs')>();
  return {
    ...fs,
    renameSync: (from: string, to: string) => {
      if (failures.rename) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      fs.renameSync(from, to);
    },
  };
});

const { writeFileAtomic } = await import('../../src/common/fs.js');

describe('writeFileAtomic', () => {
  it('replaces the file when the write succeeds', () => {
    const dir = mkdtempSync(join(tmpdir(), 'graphc-atomic-'));
    const file = join(dir, 'summary.json');
    writeFileSync(file, 'old');
    writeFileAtomic(file, 'new');
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['summary.json']);
  });

  it('keeps the previous file intact and cleans up when the final rename fails', () => {
    const dir = mkdtempSync(join(tmpdir(), 'graphc-atomic-'));
    const file = join(dir, 'checkpoint.gck');
    writeFileSync(file, 'previous checkpoint');
    failures.rename = true;
    try {
      expect(() => writeFileAtomic(file, 'half-written?')).toThrow(/ENOSPC/);
    } finally {
      failures.rename = false;
    }
    expect(readFileSync(file, 'utf8')).toBe('previous checkpoint');
    expect(readdirSync(dir)).toEqual(['checkpoint.gck']);
  });
});
