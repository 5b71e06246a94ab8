/**
 * Specs cannot inject code: names must be safe identifiers, and every string
 * from a spec reaches the generated module as an inert literal (or, for the
 * description, as comment text that cannot end the comment).
 */
import ts from 'typescript';
import { parse, stringify } from 'yaml';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileSpecText } from '../../../src/compiler/index.js';

const base = parse(readFileSync('test/fixtures/minimal.yaml', 'utf8')) as Record<string, unknown>;
const HOSTILE = [
  '"); process.exit(1); ("',
  "'; process.exit(1); '",
  '`${process.exit(1)}`',
  '${globalThis.x = 1}',
  'line\nbreak; process.exit(1)',
  '*/ process.exit(1); /*',
  '\u2028process.exit(1)\u2029',
  '\\u0027 + process.exit(1) + \\u0027',
  '\\',
  '</script><script>alert(1)</script>',
  'nul\u0000byte',
];

function compile(spec: Record<string, unknown>) {
  return compileSpecText(stringify(spec), 'hostile.yaml');
}

function statementsOf(code: string): ts.NodeArray<ts.Statement> {
  const source = ts.createSourceFile('m.ts', code, ts.ScriptTarget.ES2022, true);
  const parseErrors = (source as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
  expect(parseErrors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
  return source.statements;
}

/** The value of a string-literal property anywhere in the module, e.g. schedule.log. */
function stringProperties(code: string, property: string): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAssignment(node) && node.name.getText() === property && ts.isStringLiteral(node.initializer)) found.push(node.initializer.text);
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile('m.ts', code, ts.ScriptTarget.ES2022, true));
  return found;
}

describe('specs cannot inject code', () => {
  const reference = compile(base);
  const referenceKinds = statementsOf(reference.code!).map((s) => s.kind);

  for (const [i, text] of HOSTILE.entries()) {
    it(`string #${i} ${JSON.stringify(text)} stays an inert literal`, () => {
      const spec = structuredClone(base);
      spec['description'] = text;
      spec['params'] = { ...(spec['params'] as object), note: text };
      (spec['train'] as Record<string, unknown>)['log'] = `step {step} ${text.replace(/[{}]/g, '')}`;
      const result = compile(spec);
      expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const code = result.code!;
      // Same statements as the reference module: nothing was added or broken open.
      expect(statementsOf(code).map((s) => s.kind)).toEqual(referenceKinds);
      expect(stringProperties(code, 'note')).toEqual([text]);
      expect(stringProperties(code, 'log')).toEqual([`step {step} ${text.replace(/[{}]/g, '')}`]);
      // The description lives only inside the header comment.
      const header = code.slice(0, code.indexOf('*/') + 2);
      expect(code.indexOf('*/')).toBe(code.indexOf(' */\nimport') + 1);
      expect(header.split('\n').length).toBeLessThan(12);
    });
  }

  const HOSTILE_NAMES = ['a"b', 'a`b', 'x${y}', 'a\nb', 'x*/y', 'caf\u00e9', '\\u0061', '__proto__', 'constructor', 'toString', 'class', 'await', 'tf', 'feeds', 'vars', 'x-y', '1x', ''];
  for (const name of HOSTILE_NAMES) {
    for (const section of ['nodes', 'placeholders', 'params'] as const) {
      it(`the ${section.slice(0, -1)} name ${JSON.stringify(name)} is refused`, () => {
        const spec = structuredClone(base);
        const entries = spec[section] as Record<string, unknown>;
        const [first] = Object.keys(entries);
        const value = entries[first!];
        spec[section] = { ...entries, [name]: section === 'params' ? 1 : value };
        const result = compile(spec);
        expect(result.code).toBeUndefined();
        expect(result.diagnostics.map((d) => d.code)).toContain('GC208');
      });
    }
  }

  it('YAML tags that would construct objects are refused', () => {
    const result = compileSpecText(`${stringify(base)}extra: !!js/function "function () {}"\n`, 'hostile.yaml');
    expect(result.diagnostics.map((d) => d.code)).toEqual(['GC108']);
  });

  it('the module name cannot leave the output directory', () => {
    for (const name of ['../evil', 'a/b', '/abs', 'C:\\x', '.hidden']) {
      const result = compile({ ...base, name });
      expect(result.code, name).toBeUndefined();
      expect(result.diagnostics.map((d) => d.code), name).toContain('GC208');
    }
  });
});
