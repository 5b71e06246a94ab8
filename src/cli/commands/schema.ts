import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { publishedSchema } from '../../compiler/1-spec/schema.js';
import { fail } from '../../common/diagnostics/diagnostic.js';
import { writeFileAtomic } from '../../common/fs.js';
import { BEGIN_MARKER, END_MARKER, withSpecReference } from '../../tools/reference/spec-reference.js';

export const SCHEMA_PATH = 'schema/graphc.schema.json';
/** Where the spec reference lives (`npm run schema` rewrites it). */
export const REFERENCE_PATH = 'docs/spec-reference.md';

export function schemaText(): string {
  return `${JSON.stringify(publishedSchema(), null, 2)}\n`;
}

/** Rewrites the spec reference between the markers of a markdown file (docs/spec-reference.md). */
export function updateSpecReference(path: string): void {
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
    .option('--reference <file>', `also rewrite the spec reference (tables of every key and op) between the markers in this markdown file (${REFERENCE_PATH})`)
    .addOption(new Option('--readme <file>', 'the former name of --reference').hideHelp())
    .addHelpText('after', `\nExamples:\n  $ graphc schema > graphc.schema.json\n  $ graphc schema --write --reference ${REFERENCE_PATH}\n`)
    .action((opts: { write?: boolean; reference?: string; readme?: string }) => {
      const reference = opts.reference ?? opts.readme;
      if (reference !== undefined) {
        updateSpecReference(reference);
        process.stderr.write(`graphc: updated the spec reference in ${reference}\n`);
      }
      if (opts.write) {
        writeFileAtomic(SCHEMA_PATH, schemaText());
        process.stderr.write(`graphc: wrote ${SCHEMA_PATH}\n`);
      } else if (reference === undefined) {
        process.stdout.write(schemaText());
      }
    });
}
