import type { PeerCase } from '../harness.js';

export const cases: readonly PeerCase[] = [
  {
    name: 'embedding, ids [3, 5] of a 7-word vocabulary, 4 units',
    node: { op: 'embedding', vocab_size: 7, units: 4 },
    inputs: [{ shape: [3, 5], dtype: 'int32', range: [0, 7] }],
    torch: "F.embedding(x0.long(), v['y/embeddings'])",
  },
  {
    name: 'embedding, ids [6] (rank 1), output_dim 3, repeated ids accumulate their gradients',
    node: { op: 'embedding', vocab_size: 4, output_dim: 3 },
    inputs: [{ shape: [6], dtype: 'int32', values: [0, 3, 3, 1, 0, 3] }],
    torch: "F.embedding(x0.long(), v['y/embeddings'])",
  },
  {
    name: 'embedding, ids [2, 3, 4] (rank 3)',
    node: { op: 'embedding', vocab_size: 10, units: 2 },
    inputs: [{ shape: [2, 3, 4], dtype: 'int32', range: [0, 10] }],
    torch: "F.embedding(x0.long(), v['y/embeddings'])",
  },
];
