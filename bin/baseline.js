// The child process of `graphc bench --baseline` (see src/tools/bench/baselines/child.ts).
import './register.js';

await import('../src/tools/bench/baselines/child-main.ts');
