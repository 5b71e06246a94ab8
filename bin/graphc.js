#!/usr/bin/env node
// graphc's entry (see register.js for how it loads TypeScript).
import './register.js';

const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
