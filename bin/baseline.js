// The child process of `graphc bench --baseline` (see src/tools/bench/baselines/child.ts).
import './register.js';
import { graphcModule } from './layout.js';

await import(graphcModule('tools/bench/baselines/child-main'));
