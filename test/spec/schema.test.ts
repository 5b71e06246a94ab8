import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { SCHEMA_PATH, schemaText } from '../../src/cli/commands/schema.js';
import { publishedSchema } from '../../src/spec/schema.js';

describe('JSON Schema', () => {
  it('schema/graphc.schema.json is what src/ generates (run `npm run schema` after changing ops or the spec format)', () => {
    expect(readFileSync(SCHEMA_PATH, 'utf8')).toBe(schemaText());
  });

  it('compiles under ajv strict mode', () => {
    const ajv = new Ajv({ strict: true, discriminator: true, allowUnionTypes: true });
    expect(() => ajv.compile(publishedSchema())).not.toThrow();
  });

  it('describes every property, so editors can explain each field on hover', () => {
    const missing: string[] = [];
    const visit = (schema: unknown, path: string): void => {
      if (schema === null || typeof schema !== 'object') return;
      const s = schema as Record<string, unknown>;
      const properties = s['properties'] as Record<string, unknown> | undefined;
      for (const [key, child] of Object.entries(properties ?? {})) {
        if (typeof (child as Record<string, unknown>)['description'] !== 'string') missing.push(`${path}/${key}`);
        visit(child, `${path}/${key}`);
      }
      for (const k of ['oneOf', 'anyOf']) for (const [i, b] of ((s[k] as unknown[]) ?? []).entries()) visit(b, `${path}/${k}/${i}`);
      if (typeof s['additionalProperties'] === 'object') visit(s['additionalProperties'], `${path}/*`);
      if (typeof s['items'] === 'object') visit(s['items'], `${path}/items`);
    };
    visit(publishedSchema(), '');
    expect(missing).toEqual([]);
  });

  it('gives every property examples that its own schema accepts, so a hover shows valid values', () => {
    const ajv = new Ajv({ strict: false, discriminator: true, allowUnionTypes: true });
    const problems: string[] = [];
    const visit = (schema: unknown, path: string): void => {
      if (schema === null || typeof schema !== 'object') return;
      const s = schema as Record<string, unknown>;
      for (const [key, child] of Object.entries((s['properties'] as Record<string, unknown> | undefined) ?? {})) {
        const c = child as Record<string, unknown>;
        const examples = c['examples'];
        if ('const' in c) {
          // a discriminator (`op: reshape`, `type: adam`) has exactly one value
        } else if (!Array.isArray(examples) || examples.length === 0) {
          problems.push(`${path}/${key}: no examples`);
        } else {
          const validate = ajv.compile(c);
          for (const example of examples) if (!validate(example)) problems.push(`${path}/${key}: example ${JSON.stringify(example)} is invalid`);
        }
        visit(child, `${path}/${key}`);
      }
      for (const k of ['oneOf', 'anyOf']) for (const [i, b] of ((s[k] as unknown[]) ?? []).entries()) visit(b, `${path}/${k}/${i}`);
      if (typeof s['additionalProperties'] === 'object') visit(s['additionalProperties'], `${path}/*`);
      if (typeof s['items'] === 'object') visit(s['items'], `${path}/items`);
    };
    visit(publishedSchema(), '');
    expect(problems).toEqual([]);
  });

  it('every spec under graphs/ names the schema on its first line', async () => {
    const { readdirSync } = await import('node:fs');
    for (const file of readdirSync('graphs').filter((f) => f.endsWith('.yaml'))) {
      expect(readFileSync(`graphs/${file}`, 'utf8').split('\n')[0], file).toBe('# yaml-language-server: $schema=../schema/graphc.schema.json');
    }
  });
});
