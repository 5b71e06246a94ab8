// A worker thread of a parallel CSV load (see src/runtime/data/csv.ts).
import './register.js';
import { graphcModule } from './layout.js';

await import(graphcModule('runtime/data/csv_worker'));
