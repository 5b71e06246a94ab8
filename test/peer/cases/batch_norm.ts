import type { PeerCase } from '../harness.js';

/*
 * Train phase: the batch's statistics (biased variance), as F.batch_norm(training=True); the
 * gradient flows through them. Eval phase: the moving statistics, which a fresh model holds at
 * their initial values (mean 0, variance 1; the harness draws values for trainable variables
 * only), as F.batch_norm(training=False) with those running statistics. Keras's epsilon 1e-3.
 * graphc's channels are last (NHWC); PyTorch's are axis 1: permute.
 */
const nhwc = (call: string): string => `out = ${call.replace('X', 'x0.permute(0, 3, 1, 2)')}.permute(0, 2, 3, 1)`;
const train = (gamma = "v['y/gamma']", beta = "v['y/beta']"): string => `F.batch_norm(X, None, None, ${gamma}, ${beta}, training=True, eps=1e-3)`;
const evaluation = (channels: number): string =>
  `F.batch_norm(X, torch.zeros(${channels}), torch.ones(${channels}), v['y/gamma'], v['y/beta'], training=False, eps=1e-3)`;

export const cases: readonly PeerCase[] = [
  { name: 'train, NHWC batch [4, 3, 3, 2]', node: { op: 'batch_norm' }, inputs: [{ shape: [4, 3, 3, 2], batch: true }], torch: nhwc(train()) },
  { name: 'train, dense [6, 5]', node: { op: 'batch_norm' }, inputs: [{ shape: [6, 5] }], torch: train().replace('X', 'x0') },
  { name: 'train, NWC [3, 4, 3] (after a conv1d)', node: { op: 'batch_norm' }, inputs: [{ shape: [3, 4, 3] }], torch: `out = ${train().replace('X', 'x0.permute(0, 2, 1)')}.permute(0, 2, 1)` },
  { name: 'train, axis 1 of [3, 4, 5] (channels first)', node: { op: 'batch_norm', axis: 1 }, inputs: [{ shape: [3, 4, 5] }], torch: train().replace('X', 'x0') },
  { name: 'train, no gamma or beta (center and scale false), [5, 4]', node: { op: 'batch_norm', center: false, scale: false }, inputs: [{ shape: [5, 4] }], torch: train('None', 'None').replace('X', 'x0') },
  { name: 'train, epsilon 1e-5 momentum 0.9, [2, 2, 3, 3]', node: { op: 'batch_norm', epsilon: 1e-5, momentum: 0.9 }, inputs: [{ shape: [2, 2, 3, 3] }], torch: nhwc(train().replace('eps=1e-3', 'eps=1e-5')) },
  { name: 'eval, NHWC [2, 3, 3, 4], moving statistics', node: { op: 'batch_norm' }, inputs: [{ shape: [2, 3, 3, 4], batch: true }], phase: 'eval', torch: nhwc(evaluation(4)) },
  { name: 'eval, dense [3, 6], moving statistics', node: { op: 'batch_norm' }, inputs: [{ shape: [3, 6] }], phase: 'eval', torch: evaluation(6).replace('X', 'x0') },
  {
    name: 'training placeholder true in the eval phase: batch statistics, [6, 3]',
    node: { op: 'batch_norm', training: 'is_training' },
    inputs: [{ shape: [6, 3] }],
    phase: 'eval',
    extraPlaceholders: { is_training: { dtype: 'bool', shape: [], value: 1 } },
    torch: train().replace('X', 'x0'),
  },
  {
    name: 'training placeholder false in the train phase: moving statistics, [4, 3]',
    node: { op: 'batch_norm', training: 'is_training' },
    inputs: [{ shape: [4, 3] }],
    extraPlaceholders: { is_training: { dtype: 'bool', shape: [], value: 0 } },
    torch: evaluation(3).replace('X', 'x0'),
  },
];
