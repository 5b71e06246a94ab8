import { statSync } from 'node:fs';
import { parse as parseCsv } from 'csv-parse/sync';
import { readStart } from './bytes.js';
import type { HeaderReader } from './format.js';

/** csv: the header row's column names. */
export const csvHeaderReader: HeaderReader = { name: 'csv', read: (path) => ({ kind: 'table', columns: csvHeader(path) }) };

/** The first record of a CSV file, read in growing chunks until it is complete. */
export function csvHeader(path: string): string[] {
  const size = statSync(path).size;
  for (let chunk = 64 * 1024; ; chunk *= 4) {
    const text = readStart(path, Math.min(chunk, size));
    const whole = chunk >= size;
    // The first record is complete once a second one starts (or the file ends); csv-parse handles quoted line breaks.
    const rows = parseCsv(text, { to_line: 2, relax_column_count: true, relax_quotes: true, bom: true, skip_empty_lines: true }) as string[][];
    const first = rows[0];
    if (!first) throw new Error('the file is empty');
    if (whole || rows.length > 1) return first.map((c) => c.trim());
  }
}
