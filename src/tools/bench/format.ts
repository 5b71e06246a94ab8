/** Number formats the bench reports share. */

/** Milliseconds to about three significant figures: 1234, 123, 12.3, 1.23. */
export function ms(value: number): string {
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** Seconds as the reference notebook's table writes them (one decimal), with two significant figures below one second. */
export function seconds(value: number): string {
  return value >= 1 ? value.toFixed(1) : value.toPrecision(2);
}

/** A ratio like ×2.31. */
export function ratio(value: number): string {
  return `×${value >= 10 ? value.toFixed(1) : value.toFixed(2)}`;
}

/** A markdown table. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[], align: readonly ('left' | 'right' | 'center')[] = []): string {
  const rule = header.map((_, i) => ({ left: ':---', right: '---:', center: ':---:' })[align[i] ?? 'left']);
  return [header, rule, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** Rounds for JSON output: microsecond precision is more than any timing here carries. */
export function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
