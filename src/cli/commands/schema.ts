import type { Command } from 'commander';
import { writeFileAtomic } from '../../util/fs.js';
import { publishedSchema } from '../../spec/schema.js';

export const SCHEMA_PATH = 'schema/graphc.schema.json';

export function schemaText(): string {
  return `${JSON.stringify(publishedSchema(), null, 2)}\n`;
}

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description(`print the JSON Schema of specs (editors use it through the first line of each spec)`)
    .option('--write', `write it to ${SCHEMA_PATH}`)
    .addHelpText('after', '\nExamples:\n  $ graphc schema > graphc.schema.json\n  $ graphc schema --write\n')
    .action((opts: { write?: boolean }) => {
      if (opts.write) {
        writeFileAtomic(SCHEMA_PATH, schemaText());
        process.stderr.write(`graphc: wrote ${SCHEMA_PATH}\n`);
      } else {
        process.stdout.write(schemaText());
      }
    });
}
