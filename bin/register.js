// TypeScript modules run through tsx: graphc's sources in a checkout, and
// everywhere the generated modules that `graphc run` and its workers import.
// 'graphc/runtime' resolves to this package's runtime even from modules
// compiled elsewhere. Imported first by every entry point (the CLI, its
// worker threads and child processes).
import { register as registerHooks } from 'node:module';
import { register as registerTypeScript } from 'tsx/esm/api';

registerTypeScript();
registerHooks('./resolve-runtime.js', import.meta.url);
