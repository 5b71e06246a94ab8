/**
 * Reading a spec file: every way the bytes can be unusable (missing, a
 * directory, too large, not UTF-8) becomes a diagnostic, never an exception.
 */
import { readFileSync, statSync } from 'node:fs';
import { diagnostic, type Diagnostic } from '../../common/diagnostics/diagnostic.js';
import { describeFsError } from '../../common/fs.js';

/** Specs are small hand-written files; anything larger is a mistake or an attack. */
export const MAX_SPEC_BYTES = 1024 * 1024;

export type ReadResult = { ok: true; text: string } | { ok: false; diagnostic: Diagnostic };

export function readSpecText(file: string): ReadResult {
  const at = { file };
  let size: number;
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) return { ok: false, diagnostic: diagnostic('GC100', { reason: 'it is a directory, not a file' }, at) };
    if (!stat.isFile()) return { ok: false, diagnostic: diagnostic('GC100', { reason: 'it is not a regular file' }, at) };
    size = stat.size;
  } catch (error) {
    return { ok: false, diagnostic: diagnostic('GC100', { reason: describeFsError(error) }, at) };
  }
  if (size > MAX_SPEC_BYTES) return { ok: false, diagnostic: diagnostic('GC101', { size, limit: MAX_SPEC_BYTES }, at) };
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    return { ok: false, diagnostic: diagnostic('GC100', { reason: describeFsError(error) }, at) };
  }
  return decodeSpecBytes(bytes, file);
}

export function decodeSpecBytes(bytes: Uint8Array, file: string): ReadResult {
  if (bytes.length > MAX_SPEC_BYTES) {
    return { ok: false, diagnostic: diagnostic('GC101', { size: bytes.length, limit: MAX_SPEC_BYTES }, { file }) };
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return { ok: true, text };
  } catch {
    const offset = firstInvalidUtf8Offset(bytes);
    const before = bytes.subarray(0, offset);
    const line = before.filter((b) => b === 0x0a).length + 1;
    const col = offset - before.lastIndexOf(0x0a);
    return { ok: false, diagnostic: diagnostic('GC102', { offset }, { file, line, col }) };
  }
}

function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    // Overlong and surrogate forms are rejected by the decoder too; report their lead byte.
    if (need === 2) {
      const c = bytes[i + 1]!;
      if ((b === 0xe0 && c < 0xa0) || (b === 0xed && c >= 0xa0)) return i;
    } else if (need === 3) {
      const c = bytes[i + 1]!;
      if ((b === 0xf0 && c < 0x90) || (b === 0xf4 && c >= 0x90)) return i;
    }
    i += need + 1;
  }
  return bytes.length;
}
