/**
 * L2 regularisation as torch.optim's `weight_decay` (coupled): the gradient of
 * each chosen variable gains rate·variable, which is the gradient of
 * rate/2·‖variable‖² added to the loss (Keras's l2(rate/2), TF1's
 * rate·tf.nn.l2_loss). It is added after clipping, as PyTorch adds it inside
 * optimizer.step() after clip_grad_norm_. Variables are chosen by graph name:
 * '*' matches any characters, '/' included.
 */
import { tf } from '../tf.js';

export interface WeightDecayConfig {
  readonly rate: number;
  /** Name patterns of the variables decayed. */
  readonly variables: readonly string[];
  /** Name patterns left out (by default the biases and the norms' gamma and beta). */
  readonly exclude: readonly string[];
}

function patternRegExp(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

/** Whether the variable named `name` is decayed. */
export function decays(config: WeightDecayConfig, name: string): boolean {
  const matches = (patterns: readonly string[]): boolean => patterns.some((p) => patternRegExp(p).test(name));
  return matches(config.variables) && !matches(config.exclude);
}

/** The gradients with rate·variable added where `decayed[i]` (new tensors where changed, the same tensor elsewhere). */
export function decayGradients(grads: readonly tf.Tensor[], variables: readonly tf.Variable[], decayed: readonly boolean[], rate: number): tf.Tensor[] {
  return grads.map((g, i) => (decayed[i] ? tf.tidy(() => tf.add(g, tf.mul(variables[i]!, rate))) : g));
}
