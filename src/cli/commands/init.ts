import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { fail } from '../../common/diagnostics/diagnostic.js';
import { writeFileAtomic } from '../../common/fs.js';

const TEMPLATE = new URL('../../../templates/spec.yaml', import.meta.url);
const SCHEMA = fileURLToPath(new URL('../../../schema/graphc.schema.json', import.meta.url));
const SPEC_NAME = /^[a-z][a-z0-9_-]{0,63}$/;

/** A name the spec pattern accepts, close to what was typed. */
export function specNameSuggestion(name: string): string {
  const cleaned = name.toLowerCase().replace(/[^a-z0-9_-]+/g, '_').replace(/^[^a-z]+/, '').slice(0, 64);
  return cleaned || 'my_model';
}

/** The template filled in for a spec written to `file`. */
export function specFromTemplate(name: string, file: string): string {
  const schema = relative(resolve(file, '..'), SCHEMA).split(sep).join('/');
  const fields: Record<string, string> = { name, file: file.split(sep).join('/'), schema };
  return readFileSync(TEMPLATE, 'utf8').replace(/\{\{(\w+)\}\}/g, (_, key: string) => fields[key] ?? `{{${key}}}`);
}

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('write a new spec from a commented template (a small MNIST classifier) to start from')
    .argument('<name>', 'the spec\'s name: lowercase letters, digits, _ and -, e.g. my_model')
    .option('--dir <dir>', 'where to write NAME.yaml (default: graphs/ when it exists, else the current folder)')
    .option('--force', 'overwrite an existing file')
    .addHelpText('after', '\nExamples:\n  $ graphc init my_model\n  $ graphc init mlp --dir specs && graphc run specs/mlp.yaml --steps 500\n')
    .action((name: string, opts: { dir?: string; force?: boolean }) => {
      if (!SPEC_NAME.test(name)) fail('GC753', { name, suggestion: specNameSuggestion(name) });
      const dir = opts.dir ?? (existsSync('graphs') ? 'graphs' : '.');
      const file = join(dir, `${name}.yaml`);
      if (existsSync(file) && !opts.force) fail('GC752', { path: file });
      try {
        writeFileAtomic(file, specFromTemplate(name, file));
      } catch (error) {
        fail('GC706', { path: file, reason: error instanceof Error ? error.message : String(error) });
      }
      process.stderr.write(`graphc: wrote ${file}; next: graphc check ${file}, then graphc run ${file}\n`);
    });
}
