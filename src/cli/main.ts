/**
 * The graphc command line. Failures print diagnostics (never a stack trace
 * unless --verbose) and exit 1; internal errors exit 2.
 */
import { Command, CommanderError } from 'commander';
import { diagnostic, GraphcError } from '../common/diagnostics/diagnostic.js';
import { graphcVersion } from '../common/version.js';
import { registerBench } from './commands/bench.js';
import { registerBoard } from './commands/board.js';
import { registerBundle } from './commands/bundle.js';
import { registerCheck } from './commands/check.js';
import { registerCompile } from './commands/compile.js';
import { registerData } from './commands/data.js';
import { registerDoctor } from './commands/doctor.js';
import { registerEval } from './commands/eval.js';
import { registerExport } from './commands/export.js';
import { registerGraph } from './commands/graph.js';
import { registerImport } from './commands/import.js';
import { registerInit } from './commands/init.js';
import { registerPlot } from './commands/plot.js';
import { registerPredict } from './commands/predict.js';
import { registerRun } from './commands/run.js';
import { registerSummary } from './commands/summary.js';
import { registerSweep } from './commands/sweep.js';
import { registerSweepQueueCommands } from './commands/sweep-queue.js';
import { registerSchema } from './commands/schema.js';
import { registerServe } from './commands/serve.js';
import { registerWorker } from './commands/worker.js';
import { reportDiagnostics } from '../tools/report.js';


export function buildProgram(): Command {
  const program = new Command('graphc')
    .description('A declarative graph compiler for TensorFlow.js: YAML graph specs → typed TypeScript training modules')
    .version(graphcVersion())
    .option('--verbose', 'print stack traces of internal errors, and native libraries\' own warnings (Dawn\'s)')
    .showSuggestionAfterError(true)
    // Command-line mistakes (an unknown option, a value out of its choices) are diagnostics like any other.
    .configureOutput({ outputError: (text) => reportDiagnostics([diagnostic('GC715', { commanderMessage: text.trim().replace(/^error: /, '') })], new Map()) })
    .addHelpText('after', '\nExamples:\n  $ graphc compile graphs/bigru.yaml\n  $ graphc run graphs/bigru.yaml --backend wasm --steps 300\n  $ graphc check graphs/*.yaml\n');
  registerCompile(program);
  registerCheck(program);
  registerSummary(program);
  registerRun(program);
  registerSchema(program);
  registerPlot(program);
  registerGraph(program);
  registerDoctor(program);
  registerInit(program);
  registerEval(program);
  registerPredict(program);
  registerExport(program);
  registerImport(program);
  registerBench(program);
  registerData(program);
  registerSweep(program, registerSweepQueueCommands);
  registerBundle(program);
  registerServe(program);
  registerWorker(program);
  registerBoard(program);
  program.exitOverride();
  // Subcommands too (graphc sweep report): errors are the CLI's to report, with the exit code it chooses.
  const configure = (commands: readonly Command[]): void => {
    for (const command of commands) {
      command.showHelpAfterError('(add --help for usage)').exitOverride();
      configure(command.commands);
    }
  };
  configure(program.commands);
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  const verbose = argv.includes('--verbose');
  // The runtime, its worker threads and child processes read it: native libraries' own output is shown only then.
  if (verbose) process.env['GRAPHC_VERBOSE'] = '1';
  // A reader that stops early (graphc check --help | head) is not a failure of graphc's.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  });
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 1;
    if (error instanceof GraphcError) {
      reportDiagnostics(error.diagnostics, error.sources);
      if (verbose && error.stack) process.stderr.write(`${error.stack}\n`);
      return 1;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`graphc: internal error: ${message}\n`);
    process.stderr.write(verbose && error instanceof Error && error.stack ? `${error.stack}\n` : '(run again with --verbose for the stack trace)\n');
    return 2;
  }
}
