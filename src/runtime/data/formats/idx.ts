/** IDX: an images file and a labels file, as MNIST ships them (the IDX reader is common/data/idx.ts). */
import { fail } from '../../../common/diagnostics/diagnostic.js';
import { readIdxImages, readIdxLabels } from '../../../common/data/idx.js';
import type { LabelReader } from '../values.js';
import type { DataFormat, Examples } from './format.js';
import { displayPath } from '../../../common/fs.js';

export const idx: DataFormat = {
  name: 'idx',
  files: (given) => {
    const pair = given as { images: string; labels: string };
    return [['images', pair.images], ['labels', pair.labels]];
  },
  load: ({ given, at, labels, scale }) => {
    const pair = given as { images: string; labels: string };
    return readIdxPair(at(pair.images), at(pair.labels), labels, scale);
  },
};

function readIdxPair(imagesPath: string, labelsPath: string, labels: LabelReader, scale: number): Promise<Examples> {
  const images = readIdxImages(imagesPath);
  const ids = readIdxLabels(labelsPath, labels.classes);
  if (images.count !== ids.count) fail('GC603', { images: displayPath(imagesPath), labels: displayPath(labelsPath), imageCount: images.count, labelCount: ids.count }, { file: displayPath(imagesPath) });
  const width = images.rows * images.cols;
  const features = new Float32Array(images.data.length);
  const factor = Math.fround(scale);
  // byte × float32(scale), rounded to float32: for 1/255 exactly MNIST's pixels (mnist.ts).
  for (let i = 0; i < features.length; i++) features[i] = images.data[i]! * factor;
  return Promise.resolve({ features, labelIds: Int32Array.from(ids.data), count: images.count, featureShape: [width] });
}
