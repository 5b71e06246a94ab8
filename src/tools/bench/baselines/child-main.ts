/** The baseline child process (see child.ts): stock tfjs kernels, one request at a time. */
import { initBackend } from '../../../runtime/backends.js';
import { tf } from '../../../runtime/tf.js';
import type { ChildReply } from './child.js';
import { runBaseline, type BaselineRequest } from './runner.js';

const send = (reply: ChildReply): void => void process.send!(reply);

process.on('message', (request: BaselineRequest) => {
  answer(request).then(send, (error: unknown) => send({ type: 'failed', message: error instanceof Error ? error.message : String(error) }));
});

async function answer(request: BaselineRequest): Promise<ChildReply> {
  // As the bench's own process: production mode, no per-kernel NaN checks.
  tf.env().set('PROD', true);
  await initBackend(request.backend, { stock: true });
  const result = await runBaseline(request, undefined, (phase, done, total) => send({ type: 'progress', phase, done, total }));
  return { type: 'result', result };
}
