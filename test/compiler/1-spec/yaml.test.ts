import { describe, expect, it } from 'vitest';
import { parseSpecYaml } from '../../../src/compiler/1-spec/yaml.js';

describe('YAML with positions', () => {
  it('maps JSON pointers to the positions of keys and values', () => {
    const text = 'name: x\nnodes:\n  a: {op: log, inputs: [b]}\n';
    const r = parseSpecYaml(text, 'f.yaml');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toEqual({ name: 'x', nodes: { a: { op: 'log', inputs: ['b'] } } });
    expect(r.sourceMap.locate('/nodes/a/inputs/0')).toMatchObject({ file: 'f.yaml', line: 3, col: 25 });
    expect(r.sourceMap.locate('/nodes/a', 'key')).toMatchObject({ line: 3, col: 3 });
    // Unknown paths fall back to the nearest ancestor.
    expect(r.sourceMap.locate('/nodes/a/missing')).toMatchObject({ line: 3, col: 6 });
  });

  it('expands aliases within the budget', () => {
    const r = parseSpecYaml('name: x\nbase: &b {op: log}\nother: *b\n', 'f.yaml');
    expect(r.ok && r.value['other']).toEqual({ op: 'log' });
  });

  it('refuses custom tags and keeps standard ones', () => {
    expect(parseSpecYaml('a: !!str 5\n', 'f.yaml')).toMatchObject({ ok: true, value: { a: '5' } });
    const r = parseSpecYaml('a: !shell ls\n', 'f.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnostics[0]!.code).toBe('GC108');
  });
});
