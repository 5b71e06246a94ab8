/** The docs stay true: docs/spec-reference.md is what the schema generates; README.md's pictures and list of commands. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REFERENCE_PATH, updateSpecReference } from '../../src/cli/commands/schema.js';
import { buildProgram } from '../../src/cli/main.js';
import { compileSpec } from '../../src/compiler/index.js';
import { GraphcError } from '../../src/common/diagnostics/diagnostic.js';
import { withSpecReference } from '../../src/tools/reference/spec-reference.js';
import { OPS } from '../../src/compiler/ops/index.js';
import { renderGraph } from '../../src/tools/picture/picture.js';
import { labelRuns, readRun, renderCurves } from '../../src/tools/plot/curves.js';
import { readDefinition } from '../../src/tools/sweep/folder.js';
import { renderReport } from '../../src/tools/sweep/report.js';

const readme = readFileSync('README.md', 'utf8');
const reference = readFileSync(REFERENCE_PATH, 'utf8');

describe('docs/spec-reference.md', () => {
  it('has the spec reference that the schema and the op registry generate (run `npm run schema` after changing them)', () => {
    expect(REFERENCE_PATH).toBe('docs/spec-reference.md');
    expect(withSpecReference(reference)).toBe(reference);
    for (const op of OPS) expect(reference).toContain(`#### \`${op.name}\``);
  });

  it('is what `npm run schema` rewrites', () => {
    const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts['schema']).toContain(`--reference ${REFERENCE_PATH}`);
  });

  it('is linked from README.md', () => {
    expect(readme).toContain(`](${REFERENCE_PATH})`);
  });

  it('GC754: rewriting the reference in a file without its markers says where they go', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'graphc-readme-')), 'README.md');
    writeFileSync(file, '# a readme\n');
    let code: string | undefined;
    try {
      updateSpecReference(file);
    } catch (error) {
      code = error instanceof GraphcError ? error.diagnostics[0]!.code : undefined;
    }
    expect(code).toBe('GC754');
    expect(readFileSync(file, 'utf8')).toBe('# a readme\n');
  });
});

describe('README.md', () => {
  it('shows pictures that exist', () => {
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]!);
    expect(images).toEqual(['docs/images/bigru-graph.svg', 'docs/images/curves.svg', 'docs/images/sweep-curves.svg', 'docs/images/board.png', 'docs/images/bundle.png']);
    for (const image of images) expect(existsSync(image), image).toBe(true);
  });

  it('shows the graph picture that `graphc graph graphs/bigru.yaml` draws', async () => {
    const graph = compileSpec('graphs/bigru.yaml', { checkOnly: true }).graph!;
    expect(readFileSync('docs/images/bigru-graph.svg', 'utf8')).toBe(await renderGraph(graph, 'svg'));
  });

  it('shows the curves that `graphc plot` draws from the committed runs', async () => {
    const runs = labelRuns([readRun('docs/runs/gru'), readRun('docs/runs/block_gru')]);
    expect(runs.map((r) => r.label)).toEqual(['cell_type=gru', 'cell_type=block_gru']);
    expect(readFileSync('docs/images/curves.svg', 'utf8')).toBe(await renderCurves(runs, 'gru vs block_gru (hidden 32, 1 layer)'));
  });

  it('shows the sweep table and pictures that `graphc sweep report` makes from the committed sweep', async () => {
    const dir = 'docs/runs/sweep-readme-demo';
    const report = await renderReport(readDefinition(dir), dir);
    expect(readFileSync('docs/images/sweep-curves.svg', 'utf8')).toBe(report.curves);
    expect(readFileSync('docs/images/sweep-params.svg', 'utf8')).toBe(report.params);
    expect(readFileSync(join(dir, 'results.csv'), 'utf8')).toBe(report.csv);
    const [header, , ...rows] = report.table.split('\n');
    for (const line of [header!, ...rows]) expect(readme).toContain(`    ${line}\n`);
  });

  it('lists every command', () => {
    for (const command of buildProgram().commands) expect(readme, command.name()).toContain(`\`graphc ${command.name()}`);
  });
});

describe('README.md and docs/*.md', () => {
  const pages = ['README.md', ...readdirSync('docs').filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

  it('link only to files that exist in the repo', () => {
    const broken = pages.flatMap((page) =>
      [...readFileSync(page, 'utf8').matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)]
        .map((m) => m[1]!)
        .filter((target) => !/^[a-z]+:/.test(target))
        .filter((target) => !existsSync(join(dirname(page), target)))
        .map((target) => `${page} → ${target}`),
    );
    expect(pages.length).toBeGreaterThan(4);
    expect(broken).toEqual([]);
  });

  it('keep the README short: a newcomer reads it in five minutes', () => {
    expect(readFileSync('README.md', 'utf8').split('\n').length).toBeLessThanOrEqual(200);
  });
});
