import { describe, expect, it } from 'vitest';
import { editDistance, suggest } from '../../src/common/suggest.js';

describe('did-you-mean', () => {
  it('counts a transposition as one edit', () => {
    expect(editDistance('inptu', 'input')).toBe(1);
  });
  it('suggests the closest name when close enough, nothing otherwise', () => {
    expect(suggest('X_inptu', ['X_input', 'y_input', 'keep_prob'])).toBe('X_input');
    expect(suggest('hidden_sise', ['hidden_size', 'layer_num'])).toBe('hidden_size');
    expect(suggest('completely_else', ['hidden_size', 'layer_num'])).toBeUndefined();
  });
});
