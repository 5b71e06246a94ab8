import { closeSync, openSync, readSync } from 'node:fs';

/** The first `bytes` bytes of a file as UTF-8 text. */
export function readStart(path: string, bytes: number): string {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const read = readSync(fd, buffer, 0, bytes, 0);
    return buffer.subarray(0, read).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

export function readRange(path: string, start: number, bytes: number): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const buffer = new Uint8Array(bytes);
    readSync(fd, buffer, 0, bytes, start);
    return buffer;
  } finally {
    closeSync(fd);
  }
}
