/** 'graphc': the compiler as a library (the CLI is bin/graphc.js, the runtime 'graphc/runtime'). */
export * from './compiler.js';
