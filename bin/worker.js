// A training worker thread of `graphc run --workers` (see src/runtime/parallel).
import './register.js';

await import('../src/runtime/parallel/worker.ts');
