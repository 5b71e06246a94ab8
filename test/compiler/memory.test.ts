/**
 * The memory estimate (compiler/2-ir/memory.ts): its parameter count is the
 * exact number of values the module's variables hold, in every cell type;
 * the generated header states it, and `graphc check --set` prints it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileSpec } from '../../src/compiler/index.js';
import { Initializer } from '../../src/runtime/init.js';
import { RandomStream } from '../../src/runtime/random.js';
import { tf } from '../../src/runtime/tf.js';
import { graphc } from '../helpers/cli.js';
import { importVariant } from '../helpers/modules.js';

const specs = readdirSync('graphs').filter((f) => f.endsWith('.yaml'));

/** Values held by the variables a module creates. */
async function variableValues(spec: string, set: string[]): Promise<number> {
  const model = await importVariant(spec, set);
  const init = new Initializer(new RandomStream(1, 'init'));
  model.createVariables(init);
  const total = init.variables().reduce((n, v) => n + v.variable.size, 0);
  tf.dispose(init.variables().map((v) => v.variable));
  return total;
}

describe('the memory estimate', () => {
  beforeAll(() => {
    tf.env().set('PROD', true);
  });

  const variants: [string, string[]][] = [
    ...specs.map((s): [string, string[]] => [`graphs/${s}`, []]),
    ['graphs/bigru.yaml', ['hidden_size=7', 'layer_num=3', 'cell_type=lstm']],
    ['graphs/gru.yaml', ['hidden_size=5', 'layer_num=2', 'cell_type=block_lstm']],
    ['test/fixtures/minimal.yaml', ['units=3']],
  ];
  for (const [spec, set] of variants) {
    it(`counts the parameters of ${spec} ${set.join(' ')} exactly`, async () => {
      const result = compileSpec(spec, { set, checkOnly: true });
      expect(result.memory!.parameters).toBe(await variableValues(spec, set));
    });
  }

  it('counts Adam\'s two slots and the gradient per parameter, 4 bytes each', () => {
    const { memory } = compileSpec('graphs/gru.yaml', { checkOnly: true });
    expect(memory!.optimizerSlots).toBe(2);
    expect(memory!.modelBytes).toBe(memory!.parameters * 4 * 4);
  });

  it('grows per example with the sequence state an RNN keeps, not with the batch', () => {
    const small = compileSpec('graphs/gru.yaml', { set: ['hidden_size=16'], checkOnly: true }).memory!;
    const large = compileSpec('graphs/gru.yaml', { set: ['hidden_size=64'], checkOnly: true }).memory!;
    expect(large.bytesPerExample).toBeGreaterThan(small.bytesPerExample * 3);
  });

  it('names the param that sizes the model most', () => {
    expect(compileSpec('graphs/bigru.yaml', { set: ['hidden_size=100000'], checkOnly: true }).memory!.sizedBy).toEqual({ param: 'hidden_size', value: 100000 });
  });

  it('is stated in every generated module\'s header', () => {
    for (const spec of specs) {
      const result = compileSpec(`graphs/${spec}`, { checkOnly: true });
      const header = readFileSync(`generated/${result.graph!.name}.ts`, 'utf8').split('*/')[0]!;
      expect(header).toContain(` * Parameters: ${result.memory!.parameters.toLocaleString('en-US')} (`);
      expect(header).toMatch(/ \* Estimated training memory: [\d.]+ (?:B|[KMGT]iB) per example; [\d.]+ (?:B|[KMGT]iB) for a batch of \d+\./);
    }
  });

  it('graphc check --set prints it, and says when a variant cannot fit this machine', () => {
    const fits = graphc('check', 'graphs/bigru.yaml', '--set', 'hidden_size=32');
    expect(fits.status).toBe(0);
    expect(fits.stdout).toMatch(/^graphs\/bigru\.yaml: [\d,]+ parameters \([\d.]+ [KM]iB with gradients and 2 optimizer slots\); estimated training memory [\d.]+ KiB per example, [\d.]+ [KM]iB for a batch of 100\n$/);
    const huge = graphc('check', 'graphs/bigru.yaml', '--set', 'hidden_size=100000');
    expect(huge.status).toBe(0);
    expect(huge.stdout).toContain('graphs/bigru.yaml: 240,020,000,010 parameters (3.5 TiB with gradients and 2 optimizer slots)');
    expect(huge.stdout).toMatch(/, more than this machine's [\d.]+ GiB: it cannot train here\n$/);
  });
});
