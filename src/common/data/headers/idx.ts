import { readIdx } from '../idx.js';
import type { HeaderReader } from './format.js';

/** idx: the dims, count first (readIdx reads the whole file). */
export const idxHeaderReader: HeaderReader = { name: 'idx', read: (path) => ({ kind: 'idx', dims: readIdx(path).dims }) };
