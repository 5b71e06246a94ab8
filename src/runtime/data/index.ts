export { readIdx, readIdxImages, readIdxLabels, type IdxArray, type IdxImages, type IdxLabels } from '../../common/data/idx.js';
export { DataSet, IMAGE_SIZE, NUM_CLASSES, ScaledBytes, type Batch, type DataSetState } from './dataset.js';
export {
  locateMnist,
  loadMnist,
  clearMnistCache,
  DEFAULT_VALIDATION_SIZE,
  type MnistFiles,
  type Mnist,
  type LoadMnistOptions,
} from './mnist.js';
export { MNIST_SHAPE, makeBatch, type ExampleShape } from './dataset.js';
export type { DatasetConfig, FileDatasetConfig, DataFilesConfig, DataFormatName } from './config.js';
export { loadDataFiles, loadSplit, type DataFileRecord, type LoadedFiles } from './files.js';
export type { Examples } from './formats/format.js';
export { loadDataset, dataSizes, digestFiles, type LoadedData, type DataSizes, type DataFileDigest, type LoadDatasetOptions } from './load.js';
