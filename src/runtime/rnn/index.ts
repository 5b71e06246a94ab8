/** The recurrent-layer runtime, exposed to generated code as the namespace `rnn`. */
export { createGruWeights, gruWeightList, isResetAfter, type GruCellOptions, type GruWeights, type GruVariables } from './gru_weights.js';
export { createLstmWeights, type LstmWeights, type LstmVariables } from './lstm_weights.js';
export { FORGET_BIAS } from '../kernels/lstm_sequence.js';
export { gruSequence, gruSequenceWithState, gruCellStep, gruResetAfterStep, type SequenceOptions } from './gru_cell.js';
export { lstmSequence, lstmSequenceWithState, lstmCellStep, type LstmSequenceOptions, type LstmState } from './lstm_cell.js';
export { blockGruSequence } from './block_gru.js';
export { blockLstmSequence } from './block_lstm.js';
export { dropout } from './dropout.js';
export {
  createStackBidirectionalWeights,
  stackBidirectionalDynamicRnn,
  rnnCell,
  lastOutput,
  type CellOptions,
  type RnnOutput,
  type BidirectionalLayer,
  type CellImpl,
  type CellWeights,
  type CellWeightsMap,
  type GruCellType,
  type LstmCellType,
  type RnnCellType,
  type StackBidirectionalConfig,
  type StackBidirectionalOptions,
} from './stack_bidirectional.js';
export { createMultiRnnWeights, multiRnn, type MultiRnnConfig, type MultiRnnOptions } from './multi_rnn.js';
