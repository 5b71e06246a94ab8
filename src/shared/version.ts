/** graphc's version: package.json's, the one truth (the CLI's --version, summary.json, checkpoints and exports read it). */
import { readFileSync } from 'node:fs';

export function graphcVersion(): string {
  // src/shared/ and dist/shared/ are both two folders below the package root.
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}
