import { lossOp } from './shared/loss.js';

export const HUBER_DELTA = 1;

export const huber = lossOp({
  name: 'huber',
  summary: 'the Huber loss per element, ½e² where |e| ≤ delta and delta·(|e| − ½delta) beyond (e = predictions − labels), then reduced (tf.losses.huber_loss)',
  example: { op: 'huber', inputs: ['targets', 'predictions'], delta: 1.5 },
  role: 'predictions',
  labels: 'targets',
  fn: 'huber',
  overClasses: false,
  inputs: 'labels (float32 targets), predictions (float32, the same shape) and optional weights (float32, broadcast to the per-element losses)',
  attributes: (b) => ({ delta: b.number({ description: 'where the loss turns from quadratic to linear', default: HUBER_DELTA, exclusiveMinimum: 0, examples: [1.5] }) }),
  options: (ctx) => ({ delta: (ctx.attrs['delta'] as number | undefined) ?? HUBER_DELTA }),
});
