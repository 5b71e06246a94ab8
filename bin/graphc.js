#!/usr/bin/env node
// graphc's entry (see register.js for how it loads TypeScript, layout.js for src/ or dist/).
import './register.js';
import { graphcModule } from './layout.js';

const { main } = await import(graphcModule('cli/main'));
process.exitCode = await main(process.argv.slice(2));
