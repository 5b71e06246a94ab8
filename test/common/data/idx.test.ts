import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { GraphcError } from '../../../src/common/diagnostics/diagnostic.js';
import { readIdx, readIdxImages, readIdxLabels } from '../../../src/common/data/idx.js';

/** An IDX file: magic 0x00 0x00 type ndims, big-endian dims, then data. */
function idx(dims: number[], data: Uint8Array | number[], type = 0x08, ndims = dims.length): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = type;
  header[3] = ndims;
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(data)]);
}

function sequence(n: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 7) % 256);
}

/** Runs `fn`, expecting a GraphcError with `code` whose message names `file`; returns the message. */
function expectDiagnostic(fn: () => unknown, code: string, file: string): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(GraphcError);
    const d = (err as GraphcError).diagnostics[0]!;
    expect(d.code).toBe(code);
    expect(d.message).toContain(file);
    expect(d.location?.file).toBe(file);
    return d.message;
  }
  throw new Error(`expected ${code}, but nothing was thrown`);
}

let dir: string;
let counter = 0;
function write(content: Buffer, name = `f${counter++}`): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'graphc-idx-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('readIdx', () => {
  it('round-trips a raw file', () => {
    const data = sequence(2 * 3 * 4);
    const result = readIdx(write(idx([2, 3, 4], data)));
    expect(result.dims).toEqual([2, 3, 4]);
    expect(Array.from(result.data)).toEqual(Array.from(data));
  });

  it('detects gzip by content, whatever the name', () => {
    const data = sequence(5 * 2 * 2);
    const gz = gzipSync(idx([5, 2, 2], data));
    for (const name of ['plain-name', 'x.gz']) {
      const result = readIdx(write(gz, name));
      expect(result.dims).toEqual([5, 2, 2]);
      expect(Array.from(result.data)).toEqual(Array.from(data));
    }
  });

  it('reads a raw file even when named .gz', () => {
    const result = readIdx(write(idx([3], [1, 2, 3]), 'raw.gz'));
    expect(Array.from(result.data)).toEqual([1, 2, 3]);
  });

  it('rejects a bad magic number', () => {
    const bytes = idx([1, 1, 1], [0]);
    bytes[0] = 0x12;
    const path = write(bytes);
    const message = expectDiagnostic(() => readIdxImages(path), 'GC602', path);
    expect(message).toContain('bad magic number 0x12000803, expected 0x00000803 (IDX unsigned-byte images, 3 dims)');
  });

  it('reports all-zero magic', () => {
    const path = write(Buffer.alloc(16));
    const message = expectDiagnostic(() => readIdxImages(path), 'GC602', path);
    expect(message).toContain('bad magic number 0x00000000, expected 0x00000803 (IDX unsigned-byte images, 3 dims)');
    const unknownType = write(idx([1], [0], 0x42));
    expect(expectDiagnostic(() => readIdx(unknownType), 'GC602', unknownType)).toContain('bad magic number 0x00004201');
  });

  it('rejects a type code other than unsigned byte, naming the type', () => {
    const path = write(idx([2], [0, 0, 0, 0, 0, 0, 0, 0], 0x0d));
    const message = expectDiagnostic(() => readIdx(path), 'GC602', path);
    expect(message).toContain('0x0d (float32)');
  });

  it('rejects the wrong number of dimensions', () => {
    const images = write(idx([4], [1, 2, 3, 4]));
    expect(expectDiagnostic(() => readIdxImages(images), 'GC602', images)).toContain('declares 1 dimension, expected 0x00000803');
    const labels = write(idx([1, 2, 2], [1, 2, 3, 4]));
    expect(expectDiagnostic(() => readIdxLabels(labels), 'GC602', labels)).toContain('declares 3 dimensions, expected 0x00000801');
  });

  it('rejects zero dimensions and zero-sized dimensions', () => {
    const none = write(idx([], []));
    expect(expectDiagnostic(() => readIdx(none), 'GC602', none)).toContain('0 dimensions');
    const zero = write(idx([3, 0, 2], []));
    expect(expectDiagnostic(() => readIdx(zero), 'GC602', zero)).toContain('dimension 1 in the header is 0');
  });

  it('rejects a truncated header', () => {
    const short = write(Buffer.from([0, 0]));
    expect(expectDiagnostic(() => readIdx(short), 'GC602', short)).toContain('truncated');
    const headerOnly = write(idx([60000, 28, 28], []).subarray(0, 10));
    expect(expectDiagnostic(() => readIdx(headerOnly), 'GC602', headerOnly)).toContain('truncated');
  });

  it('rejects truncated data, saying how much is missing', () => {
    const path = write(idx([60000, 28, 28], sequence(1234)));
    const message = expectDiagnostic(() => readIdxImages(path), 'GC602', path);
    expect(message).toContain('truncated: header says 60000×28×28 = 47040000 bytes of data, file has 1234');
  });

  it('rejects trailing bytes', () => {
    const path = write(idx([2, 2, 2], sequence(10)));
    const message = expectDiagnostic(() => readIdx(path), 'GC602', path);
    expect(message).toContain('2 trailing bytes');
  });

  it('says sizes are after decompression for gzipped files', () => {
    const path = write(gzipSync(idx([4], [1, 2])));
    expect(expectDiagnostic(() => readIdx(path), 'GC602', path)).toContain('(after decompression)');
  });

  it('rejects a truncated gzip stream', () => {
    const gz = gzipSync(idx([100], sequence(100)));
    const path = write(gz.subarray(0, gz.length - 12));
    const message = expectDiagnostic(() => readIdx(path), 'GC602', path);
    expect(message).toContain('truncated or corrupt gzip stream: unexpected end of file');
  });

  it('rejects a garbage gzip stream', () => {
    const path = write(Buffer.from([0x1f, 0x8b, 0xff, 0xff, 0xff, 0xff, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05]));
    expect(expectDiagnostic(() => readIdx(path), 'GC602', path)).toContain('truncated or corrupt gzip stream');
  });

  it('reports a missing file as GC601', () => {
    const path = join(dir, 'does-not-exist');
    expect(expectDiagnostic(() => readIdx(path), 'GC601', path)).toContain('no such file');
  });

  it('reports a directory as GC601', () => {
    const path = join(dir, 'a-directory');
    mkdirSync(path);
    expect(expectDiagnostic(() => readIdx(path), 'GC601', path)).toContain('is a directory');
  });

  it.skipIf(process.getuid?.() === 0)('reports an unreadable file as GC601', () => {
    const path = write(idx([1], [1]));
    chmodSync(path, 0o000);
    expect(expectDiagnostic(() => readIdx(path), 'GC601', path)).toContain('permission denied');
  });
});

describe('readIdxImages / readIdxLabels', () => {
  it('return counts and sizes', () => {
    const images = readIdxImages(write(idx([3, 2, 5], sequence(30))));
    expect([images.count, images.rows, images.cols, images.data.length]).toEqual([3, 2, 5, 30]);
    const labels = readIdxLabels(write(gzipSync(idx([4], [0, 9, 3, 3]))));
    expect(labels.count).toBe(4);
    expect(Array.from(labels.data)).toEqual([0, 9, 3, 3]);
  });

  it('reject a label out of range, naming its index', () => {
    const path = write(idx([5], [1, 2, 3, 10, 4]));
    const message = expectDiagnostic(() => readIdxLabels(path), 'GC602', path);
    expect(message).toContain('label 10 at index 3 is out of range 0..9');
  });
});
