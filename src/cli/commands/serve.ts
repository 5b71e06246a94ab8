import { InvalidArgumentError, type Command } from 'commander';
import { serveSite } from '../../tools/bundle/serve.js';

function portValue(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new InvalidArgumentError(`--port takes an integer from 0 to 65535, got '${value}'`);
  return n;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve a folder written by graphc bundle on 127.0.0.1, cross-origin isolated (COOP/COEP headers), until interrupted')
    .argument('<dir>', 'the site folder (graphc bundle --out)')
    .option('--port <n>', 'the port (0: a free one)', portValue, 8080)
    .addHelpText('after', '\nExamples:\n  $ graphc bundle graphs/bigru.yaml --set hidden_size=64 --out site/\n  $ graphc serve site/\n  $ graphc serve site/ --port 0   # any free port; the address is printed\n')
    .action(async (dir: string, flags: { port: number }) => {
      const serving = await serveSite({ dir, port: flags.port });
      process.stderr.write(`graphc: serving ${dir} at ${serving.url} (Ctrl-C stops)\n`);
      await new Promise<void>((resolve) => process.once('SIGINT', resolve));
      await serving.close();
    });
}
