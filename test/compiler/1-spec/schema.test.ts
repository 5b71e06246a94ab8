import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { SCHEMA_PATH, schemaText } from '../../../src/cli/commands/schema.js';
import { publishedSchema } from '../../../src/compiler/1-spec/schema.js';

describe('JSON Schema', () => {
  it('schema/graphc.schema.json is what src/ generates (run `npm run schema` after changing ops or the spec format)', () => {
    expect(readFileSync(SCHEMA_PATH, 'utf8')).toBe(schemaText());
  });

  it('compiles under ajv strict mode', () => {
    const ajv = new Ajv({ strict: true, discriminator: true, allowUnionTypes: true });
    expect(() => ajv.compile(publishedSchema())).not.toThrow();
  });

  it('describes every property, so editors can explain each field on hover', () => {
    const missing = everyProperty(publishedSchema()).filter(([, p]) => typeof p['description'] !== 'string');
    expect(missing.map(([path]) => path)).toEqual([]);
  });

  it('gives every property examples that its own schema accepts, so a hover shows valid values', () => {
    const ajv = new Ajv({ strict: false, discriminator: true, allowUnionTypes: true });
    const problems: string[] = [];
    for (const [path, property] of everyProperty(publishedSchema())) {
      const examples = property['examples'];
      // A discriminator (`op: reshape`, `type: adam`) has exactly one value.
      if ('const' in property) continue;
      if (!Array.isArray(examples) || examples.length === 0) {
        problems.push(`${path}: no examples`);
        continue;
      }
      const validate = ajv.compile(property);
      for (const example of examples) if (!validate(example)) problems.push(`${path}: example ${JSON.stringify(example)} is invalid`);
    }
    expect(problems).toEqual([]);
  });

  it('every spec under graphs/ names the schema on its first line', async () => {
    const { readdirSync } = await import('node:fs');
    for (const file of readdirSync('graphs').filter((f) => f.endsWith('.yaml'))) {
      expect(readFileSync(`graphs/${file}`, 'utf8').split('\n')[0], file).toBe('# yaml-language-server: $schema=../schema/graphc.schema.json');
    }
  });
});

/** Every property schema anywhere in `schema` (under properties, branches, records and items), with its path. */
function everyProperty(schema: unknown, path = ''): [string, Record<string, unknown>][] {
  if (schema === null || typeof schema !== 'object') return [];
  const s = schema as Record<string, unknown>;
  const found: [string, Record<string, unknown>][] = [];
  for (const [key, child] of Object.entries((s['properties'] as Record<string, unknown> | undefined) ?? {})) {
    found.push([`${path}/${key}`, child as Record<string, unknown>], ...everyProperty(child, `${path}/${key}`));
  }
  for (const k of ['oneOf', 'anyOf']) for (const [i, b] of ((s[k] as unknown[]) ?? []).entries()) found.push(...everyProperty(b, `${path}/${k}/${i}`));
  if (typeof s['additionalProperties'] === 'object') found.push(...everyProperty(s['additionalProperties'], `${path}/*`));
  if (typeof s['items'] === 'object') found.push(...everyProperty(s['items'], `${path}/items`));
  return found;
}
