import { describe, expect, it } from 'vitest';
import { formatLogLine, LogFormatError, parseLogTemplate } from '../../src/common/log-template.js';
import { SEED_LOG_LINE } from '../../src/compiler/1-spec/types.js';

describe('log line templates', () => {
  it('prints exactly the reference notebook line', () => {
    const line = formatLogLine(parseLogTemplate(SEED_LOG_LINE), {
      step: 500,
      'train.cost': 0.01859,
      'train.acc': 0.96,
      'test.cost': 0.010676,
      'test.acc': 0.9641,
      elapsed: 48.847047090530396,
    });
    expect(line).toBe('step 500, train cost=0.018590, acc=0.960000; test cost=0.010676, acc=0.964100; pass 48.847s');
  });

  it('keeps doubled braces literal', () => {
    expect(formatLogLine(parseLogTemplate('{{step}} {step:d}'), { step: 3.7 })).toBe('{step} 3');
  });

  it.each(['step {step', 'step }', '{1x}', '{step:>10}', '{a {b}'])('rejects %s', (template) => {
    expect(() => parseLogTemplate(template)).toThrow(LogFormatError);
  });
});
