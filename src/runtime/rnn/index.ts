/** The recurrent-layer runtime, exposed to generated code as the namespace `rnn`. */
export { createGruWeights, gruWeightList, type GruWeights, type GruVariables } from './gru_weights.js';
export { gruSequence, gruCellStep, type SequenceOptions } from './gru.js';
export { blockGruSequence } from './block_gru.js';
export { dropout } from './dropout.js';
export {
  createStackBidirectionalWeights,
  stackBidirectionalDynamicRnn,
  rnnCell,
  type BidirectionalLayer,
  type CellImpl,
  type CellWeights,
  type CellWeightsMap,
  type GruCellType,
  type RnnCellType,
  type StackBidirectionalConfig,
  type StackBidirectionalOptions,
} from './stack_bidirectional.js';
