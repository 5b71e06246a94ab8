#!/usr/bin/env node
// graphc's entry: TypeScript sources run through tsx, and 'graphc/runtime'
// resolves to this package's runtime even from modules compiled elsewhere.
import { register as registerHooks } from 'node:module';
import { register as registerTypeScript } from 'tsx/esm/api';

registerTypeScript();
registerHooks('./resolve-runtime.js', import.meta.url);
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
