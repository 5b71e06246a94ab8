// TypeScript sources run through tsx, and 'graphc/runtime' resolves to this
// package's runtime even from modules compiled elsewhere: imported first by
// every entry point (the CLI and its worker threads).
import { register as registerHooks } from 'node:module';
import { register as registerTypeScript } from 'tsx/esm/api';

registerTypeScript();
registerHooks('./resolve-runtime.js', import.meta.url);
