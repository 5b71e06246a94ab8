/**
 * The losses generated code calls; exposed as the namespace `losses`. Each
 * takes (labels, predictions or logits) in tf.losses' order and reduces as
 * TF1's tf.losses do:
 *
 * - `none`: the weighted per-example losses (the per-element losses times the weights);
 * - `sum`: their sum;
 * - `mean`: their weighted mean, sum(weights · losses) / sum(weights), the
 *   weights broadcast to the losses' shape first (TF1's Reduction.MEAN); 0
 *   when the weights sum to 0. Without weights this is the plain mean.
 *
 * The cross-entropies are fused: one function computes the loss from the
 * logits through log-sum-exp and states its gradient (softmax − labels,
 * sigmoid − labels), which never forms a softmax's log or a 1/p.
 */
import { fail } from '../common/diagnostics/diagnostic.js';
import { abs, asTensor, type Operand } from './nn.js';
import { tf } from './tf.js';

export type Reduction = 'none' | 'sum' | 'mean';

export interface LossOptions {
  readonly reduction: Reduction;
  /** Broadcast to the per-example losses (NumPy rule); the compiler checks they do not enlarge them. */
  readonly weights?: Operand;
  /** The cross-entropies: one weight per class, each example weighted by its class's (times `weights`). */
  readonly classWeights?: readonly number[];
  /**
   * Set by withClassWeights in a shard of a split batch: the whole batch's
   * mean class weight per example, so `mean` divides by it times the shard's
   * rows instead of by the shard's own weight sum.
   */
  readonly batchWeightPerRow?: number;
}

/** The batch a training step splits into shards (worker threads, micro-batches): its labels' mass per class and its rows. */
export interface WholeBatch {
  readonly classMass: readonly number[];
  readonly rows: number;
}

/**
 * The whole batch of the forward pass running now, when it is one shard of
 * it; module state rather than a forward-context field because the generated
 * code passes list class weights without the context.
 */
let wholeBatch: WholeBatch | undefined;

/**
 * Runs `pass` (one shard's forward and backward pass) with the whole batch
 * known to class-weighted losses: each then divides Σ w·loss by the batch's
 * weight sum scaled to its rows, so the shards' share-weighted sum is the
 * batch's weighted mean Σ w·loss / Σ w, not a mean of per-shard means.
 */
export function withinBatch<T>(batch: WholeBatch | undefined, pass: () => T): T {
  const outer = wholeBatch;
  wholeBatch = batch;
  try {
    return pass();
  } finally {
    wholeBatch = outer;
  }
}

/** Each class's label mass over a batch's one-hot (or probability) label rows. */
export function classMassOf(labels: Float32Array, rows: number, classes: number): number[] {
  const mass = new Array<number>(classes).fill(0);
  for (let i = 0; i < rows; i++) {
    for (let c = 0; c < classes; c++) mass[c]! += labels[i * classes + c]!;
  }
  return mass;
}

/**
 * `class_weights: balanced`: n_samples / (n_classes · count_c) for each class c
 * of one-hot `labels` ([count, classes], a training split's), as
 * scikit-learn's compute_class_weight('balanced', classes=range(n_classes))
 * and Keras give them, so every class weighs as much in total. A class the
 * split lacks gets 0 (it contributes nothing to the training loss anyway).
 */
export function balancedClassWeights(labels: Float32Array, count: number, classes: number): number[] {
  const counts = new Float64Array(classes);
  for (let i = 0; i < count; i++) {
    for (let c = 0; c < classes; c++) counts[c]! += labels[i * classes + c]!;
  }
  return Array.from(counts, (n) => (n > 0 ? count / (classes * n) : 0));
}

/** The balanced class weights a forward pass's context carries (the trainer counts them), for the loss `node`; GC726 without them. */
export function balancedWeightsOf(context: { readonly classWeights?: readonly number[] }, node: string): readonly number[] {
  if (!context.classWeights) fail('GC726', { node });
  return context.classWeights;
}

/** The options with each example's class weight folded into the weights: `perExample` gives it from the class-weight vector. */
function withClassWeights(options: LossOptions, perExample: (classWeights: tf.Tensor1D) => tf.Tensor): LossOptions {
  if (!options.classWeights) return options;
  const byClass = perExample(tf.tensor1d([...options.classWeights], 'float32'));
  // In a shard, the whole batch's weight sum is known from its labels (the loss's labels are the data set's; other weights make it unknown).
  const cw = options.classWeights;
  const shard = wholeBatch !== undefined && wholeBatch.classMass.length === cw.length && options.weights === undefined && options.reduction === 'mean';
  const perRow = shard ? wholeBatch!.classMass.reduce((sum, m, c) => sum + m * cw[c]!, 0) / wholeBatch!.rows : undefined;
  return {
    reduction: options.reduction,
    weights: options.weights === undefined ? byClass : tf.mul(byClass, asTensor(options.weights)),
    ...(perRow !== undefined ? { batchWeightPerRow: perRow } : {}),
  };
}

/** Applies the weights and the reduction to per-example losses. */
export function reduceLosses<T extends tf.Tensor>(losses: tf.Tensor, options: LossOptions): T {
  return tf.tidy(() => {
    const { reduction } = options;
    const weights = options.weights === undefined ? undefined : asTensor(options.weights);
    const weighted = weights ? tf.mul(losses, weights) : losses;
    if (reduction === 'none') return weighted as T;
    const total = tf.sum(weighted);
    if (reduction === 'sum') return total as T;
    if (!weights) return tf.mean(losses) as T;
    // One loss per example in a shard: divide by the whole batch's weight sum, scaled to the shard's rows (see withinBatch).
    if (options.batchWeightPerRow !== undefined && losses.rank === 1) {
      const weightSum = options.batchWeightPerRow * losses.shape[0]!;
      return (weightSum > 0 ? tf.div(total, weightSum) : tf.mul(total, 0)) as T;
    }
    // The weights' sum over the losses' shape: a [batch, 1] weight counts once per element it scales.
    const weightSum = tf.sum(tf.mul(tf.onesLike(losses), weights));
    return safeDivide(total, weightSum) as T;
  });
}

/**
 * a / b, and 0 (with zero gradients) where b is 0, as TF1's losses divide;
 * tf.divNoNan would do but compares with tf.equal, which tfjs cannot
 * differentiate through when b depends on the weights.
 */
const safeDivide = fused((a, b) => {
  const zero = tf.equal(b!, 0);
  const denominator = tf.where(zero, tf.onesLike(b!), b!);
  const kept = tf.where(zero, tf.zerosLike(b!), tf.onesLike(b!));
  return {
    value: tf.mul(tf.div(a!, denominator), kept),
    saved: [a!, denominator, kept],
    gradients: (dy, [savedA, savedDenominator, savedKept]) => {
      const da = tf.div(tf.mul(dy, savedKept!), savedDenominator!);
      return [da, tf.neg(tf.div(tf.mul(da, savedA!), savedDenominator!))];
    },
  };
});

/** log(sum(exp(x))) over the last axis, keeping it, computed from the row's maximum so exp never overflows. */
function logSumExp(logits: tf.Tensor): tf.Tensor {
  const rowMax = tf.max(logits, -1, true);
  return tf.add(tf.log(tf.sum(tf.exp(tf.sub(logits, rowMax)), -1, true)), rowMax);
}

interface Fused {
  readonly value: tf.Tensor;
  /** Tensors the gradient reads, kept past the forward pass's tidy. */
  readonly saved: tf.Tensor[];
  /** One gradient per input, from the upstream gradient and the saved tensors. */
  readonly gradients: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[];
}

/** A function of tensors with a stated gradient (tf.customGrad without its untyped `save` argument). */
function fused(kernel: (...inputs: tf.Tensor[]) => Fused): (...inputs: tf.Tensor[]) => tf.Tensor {
  return tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const save = args.at(-1) as tf.GradSaveFunc;
    const { value, saved, gradients } = kernel(...(args.slice(0, -1) as tf.Tensor[]));
    save(saved);
    return { value, gradFunc: (dy: tf.Tensor, kept: tf.Tensor[]) => gradients(dy, kept) };
  });
}

/**
 * −Σ labels · log softmax(logits) over the last axis (tf.nn.softmax_cross_entropy_with_logits_v2):
 * labels are one-hot rows or probabilities, shaped like the logits. Gradients:
 * softmax · Σlabels − labels for the logits, −log softmax for the labels.
 */
const softmaxCrossEntropyKernel = fused((labels, logits) => {
  const logProbs = tf.sub(logits!, logSumExp(logits!));
  return {
    value: tf.neg(tf.sum(tf.mul(labels!, logProbs), -1)),
    saved: [labels!, logProbs],
    gradients: (dy, [savedLabels, savedLogProbs]) => {
      const upstream = tf.expandDims(dy, -1);
      const labelMass = tf.sum(savedLabels!, -1, true);
      const logitsGrad = tf.mul(upstream, tf.sub(tf.mul(tf.exp(savedLogProbs!), labelMass), savedLabels!));
      return [tf.mul(upstream, tf.neg(savedLogProbs!)), logitsGrad];
    },
  };
});

export function softmaxCrossEntropyWithLogits<T extends tf.Tensor>(labels: Operand, logits: Operand, options: LossOptions): T {
  return tf.tidy(() => {
    const dense = asTensor(labels);
    // With probability labels an example's class weight is Σ labels·class_weights (its class's, for one-hot rows).
    return reduceLosses<T>(softmaxCrossEntropyKernel(dense, asTensor(logits)), withClassWeights(options, (w) => tf.sum(tf.mul(dense, w), -1)));
  });
}

/**
 * −log softmax(logits)[label] with int32 class ids (tf.nn.sparse_softmax_cross_entropy_with_logits):
 * labels have the logits' shape without the class axis. The dense kernel on
 * one_hot(labels), so the logits' gradient is softmax − one_hot(labels).
 */
export function sparseSoftmaxCrossEntropy<T extends tf.Tensor>(labels: Operand, logits: Operand, options: LossOptions): T {
  return tf.tidy(() => {
    const scores = asTensor(logits);
    const classes = scores.shape[scores.rank - 1]!;
    const ids = asTensor(labels);
    return reduceLosses<T>(softmaxCrossEntropyKernel(tf.oneHot(ids, classes), scores), withClassWeights(options, (w) => tf.gather(w, ids)));
  });
}

/**
 * The logistic loss per element (tf.nn.sigmoid_cross_entropy_with_logits), for
 * binary and multi-label targets z in [0, 1]: max(x, 0) − x·z + log(1 + exp(−|x|)),
 * which never overflows. Gradients: sigmoid(x) − z for the logits, −x for the labels.
 */
const sigmoidCrossEntropyKernel = fused((labels, logits) => ({
  value: tf.add(tf.sub(tf.relu(logits!), tf.mul(logits!, labels!)), tf.log1p(tf.exp(tf.neg(tf.abs(logits!))))),
  saved: [labels!, logits!],
  gradients: (dy, [savedLabels, savedLogits]) => [tf.mul(dy, tf.neg(savedLogits!)), tf.mul(dy, tf.sub(tf.sigmoid(savedLogits!), savedLabels!))],
}));

export function sigmoidCrossEntropy<T extends tf.Tensor>(labels: Operand, logits: Operand, options: LossOptions): T {
  return tf.tidy(() => reduceLosses<T>(sigmoidCrossEntropyKernel(asTensor(labels), asTensor(logits)), options));
}

/** (predictions − labels)² per element (tf.losses.mean_squared_error). */
export function meanSquaredError<T extends tf.Tensor>(labels: Operand, predictions: Operand, options: LossOptions): T {
  return tf.tidy(() => reduceLosses<T>(tf.squaredDifference(predictions, labels), options));
}

/** |predictions − labels| per element (tf.losses.absolute_difference). */
export function meanAbsoluteError<T extends tf.Tensor>(labels: Operand, predictions: Operand, options: LossOptions): T {
  return tf.tidy(() => reduceLosses<T>(abs(tf.sub(predictions, labels)), options));
}

/**
 * The Huber loss per element (tf.losses.huber_loss): ½e² where |e| ≤ delta,
 * delta·(|e| − ½delta) beyond, e = predictions − labels; written as TF does,
 * from the error's part inside delta and the part beyond it.
 */
export function huber<T extends tf.Tensor>(labels: Operand, predictions: Operand, options: LossOptions & { readonly delta: number }): T {
  return tf.tidy(() => {
    const error = abs(tf.sub(predictions, labels));
    const inside = tf.minimum(error, options.delta);
    const beyond = tf.sub(error, inside);
    return reduceLosses<T>(tf.add(tf.mul(0.5, tf.square(inside)), tf.mul(options.delta, beyond)), options);
  });
}
