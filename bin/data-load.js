// The child process of `graphc data bench`: loads one format's files and prints its figure (see src/tools/data/load-child.ts).
import './register.js';
import { graphcModule } from './layout.js';

await import(graphcModule('tools/data/load-child'));
