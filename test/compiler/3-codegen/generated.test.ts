/**
 * generated/ is what `graphc compile` makes of graphs/ today. If this fails
 * after a deliberate change, run `npx graphc compile graphs/*.yaml` and commit.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileSpec } from '../../../src/compiler/index.js';

const specs = readdirSync('graphs').filter((f) => f.endsWith('.yaml'));

describe('generated/ is in sync with graphs/', () => {
  it('has a spec to check', () => expect(specs.length).toBeGreaterThan(0));
  for (const spec of specs) {
    it(spec, () => {
      const result = compileSpec(`graphs/${spec}`);
      expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(result.code).toBe(readFileSync(`generated/${result.graph!.name}.ts`, 'utf8'));
    });
  }
});
