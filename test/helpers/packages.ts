/** Whether an npm package is installed here (its package.json resolves), for tests whose expectation depends on it. */
import { createRequire } from 'node:module';

export function isInstalled(pkg: string): boolean {
  try {
    createRequire(import.meta.url).resolve(`${pkg}/package.json`);
    return true;
  } catch (error) {
    return (error as { code?: string }).code !== 'MODULE_NOT_FOUND';
  }
}
