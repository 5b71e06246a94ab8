/** Helpers lowerings share to write TypeScript. */
import type { TensorType } from '../../types/tensor.js';
import { tsTensorType } from '../../types/typescript.js';

/** `tf.<fn><tf.TensorND>(args...)`: a tfjs call typed by the node's output rank. */
export function tfCall(fn: string, type: TensorType, args: readonly string[]): string {
  return `tf.${fn}<${tsTensorType(type.shape.length)}>(${args.join(', ')})`;
}

/** `nn.<fn><tf.TensorND>(args...)`: a runtime function typed like a tfjs call, where tfjs's own falls short. */
export function nnCall(fn: string, type: TensorType, args: readonly string[]): string {
  return `nn.${fn}<${tsTensorType(type.shape.length)}>(${args.join(', ')})`;
}

/** `tf.<fn>(args...) as tf.TensorND`: a tfjs call whose result's rank tfjs leaves open (tf.stack, tf.oneHot), typed by the node's. */
export function tfCallAs(fn: string, type: TensorType, args: readonly string[]): string {
  return `tf.${fn}(${args.join(', ')}) as ${tsTensorType(type.shape.length)}`;
}
