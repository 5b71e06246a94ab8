/** Argument checks the cell weight constructors and sequence functions share. */

export function checkSize(fn: string, what: string, n: number): void {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`${fn}: ${what} must be a positive integer, got ${n}`);
}

/** Throws unless a weight has the shape the cell needs (weights that do not fit the input are a caller bug). */
export function expectShape(cell: string, what: string, actual: readonly number[], wanted: readonly number[]): void {
  if (actual.length !== wanted.length || actual.some((d, i) => d !== wanted[i])) {
    throw new Error(`${cell} ${what} has shape [${actual.join(', ')}], expected [${wanted.join(', ')}]`);
  }
}
