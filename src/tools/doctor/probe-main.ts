/**
 * The child process of `graphc doctor`: tries the one backend named on the
 * command line and prints the outcome as one JSON line. It imports only the
 * runtime, so that a probe starts quickly.
 */
import { BACKENDS, type BackendRequest } from '../../runtime/backends.js';
import { probeHere } from './checks.js';

const backend = process.argv[2] ?? '';
if (!(BACKENDS as readonly string[]).includes(backend)) {
  process.stderr.write(`probe: expected one of ${BACKENDS.join(', ')}, got '${backend}'\n`);
  process.exitCode = 2;
} else {
  process.stdout.write(`${JSON.stringify(await probeHere(backend as BackendRequest))}\n`);
}
