import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSpec } from '../../../src/compiler/index.js';
import { MAX_SPEC_BYTES } from '../../../src/compiler/1-spec/source.js';

const dir = mkdtempSync(join(tmpdir(), 'graphc-source-'));
const codes = (file: string) => compileSpec(file).diagnostics.map((d) => [d.code, d.location?.file, d.location?.line ?? null]);

describe('reading spec files', () => {
  it('a missing path is GC100', () => {
    expect(codes(join(dir, 'missing.yaml'))).toEqual([['GC100', join(dir, 'missing.yaml'), null]]);
  });

  it('a directory is GC100', () => {
    const d = join(dir, 'folder.yaml');
    mkdirSync(d);
    expect(compileSpec(d).diagnostics[0]!.message).toBe('cannot read the spec: it is a directory, not a file');
  });

  it('a file over the size limit is GC101, without being read', () => {
    const f = join(dir, 'huge.yaml');
    writeFileSync(f, `name: x\n${'# padding\n'.repeat(MAX_SPEC_BYTES / 10 + 1)}`);
    expect(codes(f)).toEqual([['GC101', f, null]]);
  });

  it('bytes that are not UTF-8 are GC102 with their offset', () => {
    const f = join(dir, 'latin1.yaml');
    writeFileSync(f, Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xe9, 0x0a]));
    const d = compileSpec(f).diagnostics;
    expect(d.map((x) => x.code)).toEqual(['GC102']);
    expect(d[0]!.message).toContain('offset 6');
  });

  it('an empty file is GC106', () => {
    const f = join(dir, 'empty.yaml');
    writeFileSync(f, '');
    expect(codes(f)).toEqual([['GC106', f, null]]);
  });
});
