// The child process of `graphc bench --baseline` (see src/bench/baselines/child.ts).
import './register.js';

await import('../src/bench/baselines/child-main.ts');
