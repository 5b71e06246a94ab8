// Runs graphc's command line once per argument list, in this one process, as bin/graphc.js
// runs it once: `main(argv)`, whose return is the exit code bin/graphc.js sets. Starting
// graphc (tsx, every command's modules) is most of a short command's time, so a test that
// asks every command for its --help pays that once. Reads the lists as JSON on stdin; writes
// [{ status, stdout, stderr }, ...] as JSON on stdout.
import { readFileSync } from 'node:fs';
import '../../bin/register.js';
import { graphcModule } from '../../bin/layout.js';

const { main } = await import(graphcModule('cli/main'));
const lists = JSON.parse(readFileSync(0, 'utf8'));
// main() adds an EPIPE listener to stdout per call: many calls here are not a leak.
process.stdout.setMaxListeners(0);

const write = { stdout: process.stdout.write, stderr: process.stderr.write };
const answers = [];
for (const argv of lists) {
  const text = { stdout: '', stderr: '' };
  for (const stream of ['stdout', 'stderr']) {
    process[stream].write = (chunk, encoding, callback) => {
      text[stream] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
      (typeof encoding === 'function' ? encoding : callback)?.();
      return true;
    };
  }
  process.exitCode = undefined;
  try {
    answers.push({ status: await main(argv), ...text });
  } finally {
    process.stdout.write = write.stdout;
    process.stderr.write = write.stderr;
  }
}
process.exitCode = 0;
process.stdout.write(JSON.stringify(answers));
