// The child process of `graphc bench --baseline` (see src/bench/baselines/child.ts).
import './register.js';
import { graphcModule } from './layout.js';

await import(graphcModule('bench/baselines/child-main'));
