/** The IDX reader lives in common (graphc check reads IDX headers too); the runtime's data code imports it from here. */
export { readIdx, readIdxImages, readIdxLabels, type IdxArray, type IdxImages, type IdxLabels } from '../../common/data/idx.js';
