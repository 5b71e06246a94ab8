export { readIdx, readIdxImages, readIdxLabels, type IdxArray, type IdxImages, type IdxLabels } from './idx.js';
export { DataSet, IMAGE_SIZE, NUM_CLASSES, type Batch, type DataSetState } from './dataset.js';
export {
  locateMnist,
  loadMnist,
  clearMnistCache,
  DEFAULT_VALIDATION_SIZE,
  type MnistFiles,
  type Mnist,
  type LoadMnistOptions,
} from './mnist.js';
