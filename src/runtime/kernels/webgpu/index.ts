/**
 * Registers graphc's webgpu kernels with tfjs (importing this file is enough).
 * backends.ts imports it when the webgpu backend starts.
 */
import './gru_sequence.js';
import './gru_sequence_grad.js';
import './lstm_sequence.js';
import './lstm_sequence_grad.js';
import './adam_update.js';
import './dropout.js';
