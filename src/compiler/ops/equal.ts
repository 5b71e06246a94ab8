import { binaryOp } from './shared/elementwise.js';

export const equal = binaryOp('equal', 'equal', 'a == b elementwise, giving bool (tf.equal)', {
  result: 'bool',
  allowed: ['float32', 'int32', 'bool'],
  example: { op: 'equal', inputs: ['predicted', 'truth'] },
});
