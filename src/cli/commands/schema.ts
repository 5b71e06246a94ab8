import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { fail } from '../../shared/diagnostics/diagnostic.js';
import { BEGIN_MARKER, END_MARKER, withSpecReference } from '../../tools/reference/spec-reference.js';
import { writeFileAtomic } from '../../shared/fs.js';
import { publishedSchema } from '../../compiler/1-spec/schema.js';

export const SCHEMA_PATH = 'schema/graphc.schema.json';

export function schemaText(): string {
  return `${JSON.stringify(publishedSchema(), null, 2)}\n`;
}

/** Rewrites the spec reference between the markers of a markdown file (README.md). */
export function updateReadme(path: string): void {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return fail('GC706', { path, reason: error instanceof Error ? error.message : String(error) });
  }
  const updated = withSpecReference(text);
  if (updated === undefined) fail('GC754', { path, begin: BEGIN_MARKER, end: END_MARKER });
  if (updated !== text) writeFileAtomic(path, updated);
}

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description(`print the JSON Schema of specs (editors use it through the first line of each spec)`)
    .option('--write', `write it to ${SCHEMA_PATH}`)
    .option('--readme <file>', 'also rewrite the spec reference (tables of every key and op) between the markers in this markdown file')
    .addHelpText('after', '\nExamples:\n  $ graphc schema > graphc.schema.json\n  $ graphc schema --write --readme README.md\n')
    .action((opts: { write?: boolean; readme?: string }) => {
      if (opts.readme !== undefined) {
        updateReadme(opts.readme);
        process.stderr.write(`graphc: updated the spec reference in ${opts.readme}\n`);
      }
      if (opts.write) {
        writeFileAtomic(SCHEMA_PATH, schemaText());
        process.stderr.write(`graphc: wrote ${SCHEMA_PATH}\n`);
      } else if (opts.readme === undefined) {
        process.stdout.write(schemaText());
      }
    });
}
