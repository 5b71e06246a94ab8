// A training worker thread of `graphc run --workers` (see src/runtime/parallel).
import './register.js';
import { graphcModule } from './layout.js';

await import(graphcModule('runtime/parallel/worker'));
