/**
 * The package as a new user gets it: `npm pack`, `npm install` of the tarball
 * into a fresh ESM project, `npx graphc compile`, and the user's own app,
 * which imports the generated module, typechecked and compiled with tsc and
 * run with plain `node` (no tsx, no loader: what the package ships must be
 * JavaScript with declaration files).
 */
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const TSC = join(REPO, 'node_modules/typescript/bin/tsc');
const MINUTES = 60_000;

// The children run as in a shell of their own: not inside `npm test`'s lifecycle, nor under vitest's NODE_OPTIONS.
const env: NodeJS.ProcessEnv = { NO_COLOR: '1' };
for (const [key, value] of Object.entries(process.env)) {
  if (!/^(npm_(package|lifecycle)_|npm_config_local_prefix$|INIT_CWD$|NODE_OPTIONS$|VITEST)/.test(key)) env[key] = value;
}

function sh(command: string, args: readonly string[], cwd: string, timeoutMinutes = 5): SpawnSyncReturns<string> {
  const r = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: timeoutMinutes * MINUTES, shell: process.platform === 'win32' });
  if (r.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) exited with ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`);
  }
  return r;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/'));
}

const SPEC = `# A tiny MLP over MNIST: 784 → 32 (relu) → 10 (softmax).
name: my
params:
  units: 32
  lr: 0.01
placeholders:
  x: {dtype: float32, shape: [null, 784]}
  y: {dtype: float32, shape: [null, 10]}
nodes:
  hidden: {op: dense, inputs: [x], units: $units, activation: relu}
  probs: {op: dense, inputs: [hidden], units: 10, activation: softmax}
  log_probs: {op: log, inputs: [probs]}
  weighted: {op: mul, inputs: [y, log_probs]}
  mean: {op: reduce_mean, inputs: [weighted]}
  loss: {op: neg, inputs: [mean]}
  predicted: {op: argmax, inputs: [probs], axis: 1}
  truth: {op: argmax, inputs: [y], axis: 1}
  hits: {op: equal, inputs: [predicted, truth]}
  hits_float: {op: cast, inputs: [hits], dtype: float32}
  accuracy: {op: reduce_mean, inputs: [hits_float]}
train:
  loss: loss
  optimizer: {type: adam, learning_rate: $lr}
  dataset: mnist
  steps: 100
  batch_size: 50
  feeds:
    train: {x: batch.images, y: batch.labels}
    eval: {x: batch.images, y: batch.labels}
  eval: {every: 50, batches: 2}
  metrics: {cost: loss, acc: accuracy}
`;

// The user's code: the training module and its types, from the generated module.
const APP = `import { run, params, type Feeds } from './generated/my.js';

const units: 32 = params.units;
// @ts-expect-error: params keep their literal types (were they any, this line would not be an error)
const wrong: 64 = params.units;
const fed: readonly (keyof Feeds)[] = ['x', 'y'];

const result = await run({ steps: 20, evalEvery: 10, evalBatches: 1 });
const last = result.evaluations.at(-1);
console.log(JSON.stringify({ units, fed, steps: result.steps, cost: last?.test['cost'], acc: last?.test['acc'] }));
`;

// The compiler as a library ('graphc').
const COMPILE = `import { compileSpec } from 'graphc';

const result = compileSpec('graphs/my.yaml');
console.log(JSON.stringify({ diagnostics: result.diagnostics.length, exportsRun: result.code?.includes('export function run(') }));
`;

const TSCONFIG = {
  compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, outDir: 'build' },
  include: ['*.ts', 'generated'],
};

describe('the packed package, installed into a fresh ESM project', () => {
  let dir: string;
  let app: string;
  let installed: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'graphc-package-'));
    // npm pack runs `prepare`, the build.
    sh('npm', ['pack', '--pack-destination', dir, '--silent'], REPO);
    const tarball = readdirSync(dir).find((name) => name.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack wrote no tarball into ${dir}`);
    app = join(dir, 'app');
    mkdirSync(join(app, 'graphs'), { recursive: true });
    writeFileSync(join(app, 'package.json'), `${JSON.stringify({ name: 'app', private: true, type: 'module' }, null, 2)}\n`);
    writeFileSync(join(app, 'tsconfig.json'), `${JSON.stringify(TSCONFIG, null, 2)}\n`);
    writeFileSync(join(app, 'graphs/my.yaml'), SPEC);
    writeFileSync(join(app, 'app.ts'), APP);
    writeFileSync(join(app, 'compile.ts'), COMPILE);
    sh('npm', ['install', join(dir, tarball), '--prefer-offline', '--no-audit', '--no-fund'], app, 10);
    installed = join(app, 'node_modules/graphc');
  }, 15 * MINUTES);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('ships the built JavaScript and declarations, not the sources, tests or docs', () => {
    const files = filesUnder(installed);
    for (const file of ['dist/index.js', 'dist/index.d.ts', 'dist/runtime/index.js', 'dist/runtime/index.d.ts', 'bin/graphc.js', 'templates/module.ts', 'schema/graphc.schema.json', 'graphs/gru.yaml', 'board/index.html', 'board/views/run.js', 'pytorch/baseline.py']) {
      expect(files).toContain(file);
    }
    expect(files.filter((file) => /^(src|test|docs|generated|scripts)\//.test(file))).toEqual([]);
    expect(files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual(['templates/module.ts']);
  });

  it('compiles a spec, and the app typechecks, compiles and trains with plain node', () => {
    const compiled = sh('npx', ['graphc', 'compile', 'graphs/my.yaml'], app);
    expect(compiled.stderr + compiled.stdout).toContain('generated/my.ts');
    expect(existsSync(join(app, 'generated/my.ts'))).toBe(true);

    sh(process.execPath, [TSC, '-p', '.', '--noEmit'], app);
    sh(process.execPath, [TSC, '-p', '.'], app);

    const ran = sh(process.execPath, ['build/app.js'], app, 3);
    expect(ran.stdout).toMatch(/^step 10, train cost=[\d.]+, acc=[\d.]+; test cost=[\d.]+, acc=[\d.]+; pass [\d.]+s$/m);
    expect(ran.stdout).toMatch(/^step 20, /m);
    const summary = JSON.parse(ran.stdout.trim().split('\n').at(-1)!) as { units: number; fed: string[]; steps: number; cost: number; acc: number };
    expect(summary).toMatchObject({ units: 32, fed: ['x', 'y'], steps: 20 });
    expect(Number.isFinite(summary.cost)).toBe(true);
    expect(summary.acc).toBeGreaterThan(0.2);

    const library = sh(process.execPath, ['build/compile.js'], app);
    expect(JSON.parse(library.stdout.trim())).toEqual({ diagnostics: 0, exportsRun: true });
  });

  it('graphc run trains the generated TypeScript module from the built CLI, with worker threads', () => {
    const ran = sh('npx', ['graphc', 'run', 'graphs/my.yaml', '--steps', '4', '--eval-every', '4', '--eval-batches', '1', '--workers', '2', '--no-out'], app, 3);
    expect(ran.stdout).toMatch(/^step 4, train cost=[\d.]+/m);
  });

  it('graphc board serves its page and the vega scripts from the installed package', async () => {
    // The installed bin itself (not through npx), so that Ctrl-C reaches the server.
    const board = spawn(process.execPath, [join(installed, 'bin/graphc.js'), 'board', '--port', '0'], { cwd: app, env, stdio: ['ignore', 'ignore', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let stderr = '';
        const timer = setTimeout(() => reject(new Error(`graphc board printed no address: ${stderr}`)), 60_000);
        board.stderr.setEncoding('utf8').on('data', (chunk: string) => {
          stderr += chunk;
          const m = /at (http:\/\/\S+)/.exec(stderr);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
      });
      for (const path of ['', 'assets/board.js', 'vendor/vega.js', 'vendor/vega-lite.js', 'vendor/vega-embed.js', 'api/runs']) {
        expect((await fetch(`${url}${path}`)).status, path).toBe(200);
      }
    } finally {
      board.kill('SIGINT');
    }
  });
});
