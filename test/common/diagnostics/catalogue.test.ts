import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogue } from '../../../src/common/diagnostics/catalogue.js';

/** Codes raised outside spec files, each exercised by the test named here. */
const TESTED_ELSEWHERE: Record<string, string> = {
  GC100: 'test/compiler/1-spec/source.test.ts',
  GC101: 'test/compiler/1-spec/source.test.ts',
  GC102: 'test/compiler/1-spec/source.test.ts',
  GC106: 'test/compiler/1-spec/source.test.ts',
  GC601: 'test/common/data/idx.test.ts',
  GC602: 'test/common/data/idx.test.ts',
  GC603: 'test/runtime/data/mnist.test.ts',
  GC609: 'test/runtime/data/files.test.ts',
  GC610: 'test/runtime/data/files.test.ts',
  GC611: 'test/runtime/data/files.test.ts',
  GC616: 'test/runtime/data/kinds.test.ts',
  GC618: 'test/cli/data.test.ts',
  GC612: 'test/cli/data.test.ts',
  GC701: 'test/runtime/backends.test.ts',
  GC702: 'test/cli/cli.test.ts',
  GC703: 'test/runtime/trainer.test.ts',
  GC704: 'test/runtime/data/mnist.test.ts',
  GC705: 'test/runtime/data/dataset.test.ts',
  GC706: 'test/runtime/preflight.test.ts',
  GC709: 'test/cli/limits.test.ts',
  GC710: 'test/cli/limits.test.ts',
  GC711: 'test/cli/limits.test.ts',
  GC712: 'test/cli/limits.test.ts',
  GC713: 'test/cli/limits.test.ts',
  GC714: 'test/cli/limits.test.ts',
  GC715: 'test/cli/cli.test.ts',
  GC716: 'test/cli/modules.test.ts',
  GC717: 'test/runtime/resume-arithmetic.test.ts',
  GC750: 'test/tools/plot/curves.test.ts',
  GC751: 'test/tools/plot/curves.test.ts',
  GC752: 'test/cli/init.test.ts',
  GC753: 'test/cli/init.test.ts',
  GC754: 'test/docs/readme.test.ts',
  GC755: 'test/cli/trained.test.ts',
  GC756: 'test/cli/trained.test.ts',
  GC757: 'test/cli/trained.test.ts',
  GC758: 'test/cli/trained.test.ts',
  GC820: 'test/interop/onnx/export.test.ts',
  GC821: 'test/interop/onnx/export.test.ts',
  GC822: 'test/interop/keras/import.test.ts',
  GC823: 'test/interop/keras/import.test.ts',
  GC760: 'test/cli/sweep.test.ts',
  GC761: 'test/cli/sweep.test.ts',
  GC762: 'test/cli/sweep.test.ts',
  GC763: 'test/cli/sweep-search.test.ts',
  GC707: 'test/runtime/checkpoint.test.ts',
  GC740: 'test/runtime/webgpu_backend.test.ts',
  GC741: 'test/runtime/webgpu_backend.test.ts',
  GC742: 'test/runtime/webgpu_backend.test.ts',
  GC743: 'test/tools/bench/pytorch.test.ts',
  GC744: 'test/tools/bench/pytorch.test.ts',
  GC745: 'test/cli/bench.test.ts',
  GC708: 'test/runtime/checkpoint.test.ts',
  GC720: 'test/tools/bench/bench.test.ts',
  GC721: 'test/tools/bench/baselines.test.ts',
  GC722: 'test/cli/bench.test.ts',
  GC723: 'test/cli/bench.test.ts',
  GC730: 'test/runtime/parallel/pool.test.ts',
  GC724: 'test/runtime/train-loop.test.ts',
  GC725: 'test/runtime/train-loop.test.ts',
  GC726: 'test/runtime/class-weights.test.ts',
  GC731: 'test/runtime/parallel/pool.test.ts',
  GC732: 'test/tools/bench/child.test.ts',
  GC770: 'test/tools/sweep/queue/connection.test.ts',
  GC771: 'test/tools/sweep/queue/connection.test.ts',
  GC772: 'test/tools/sweep/queue/connection.test.ts',
  GC773: 'test/tools/sweep/queue/queue.test.ts',
  GC774: 'test/tools/sweep/queue/queue.test.ts',
  GC775: 'test/tools/sweep/queue/queue.test.ts',
  GC776: 'test/tools/sweep/queue/queue.test.ts',
  GC777: 'test/tools/sweep/queue/connection.test.ts',
  GC780: 'test/cli/board.test.ts',
  GC781: 'test/tools/board/server.test.ts',
  GC782: 'test/tools/board/server.test.ts',
  GC783: 'test/tools/board/stream.test.ts',
  GC784: 'test/tools/board/server.test.ts',
  GC785: 'test/tools/board/server.test.ts',
  GC786: 'test/tools/board/server.test.ts',
  GC787: 'test/tools/board/server.test.ts',
  GC788: 'test/tools/board/server.test.ts',
  GC789: 'test/tools/board/server.test.ts',
  // Evaluation reports.
  GC733: 'test/tools/eval/evaluate.test.ts',
  GC800: 'test/interop/onnx/proto.test.ts',
  GC801: 'test/interop/onnx/diagnostics.test.ts',
  GC802: 'test/interop/onnx/diagnostics.test.ts',
  GC803: 'test/interop/onnx/diagnostics.test.ts',
  GC804: 'test/interop/onnx/diagnostics.test.ts',
  GC805: 'test/interop/onnx/finetune.test.ts',
  GC840: 'test/tools/bundle/bundle.test.ts',
  GC841: 'test/tools/bundle/bundle.test.ts',
  GC842: 'test/tools/bundle/bundle.test.ts',
  GC843: 'test/tools/bundle/bundle.test.ts',
  GC844: 'test/tools/bundle/bundle.test.ts',
  GC845: 'test/tools/bundle/bundle.test.ts',
  GC880: 'test/runtime/kernels/wasm/simd/gemm_plan.test.ts',
  GC881: 'test/runtime/kernels/wasm/simd/gemm_plan.test.ts',
  GC882: 'test/runtime/kernels/wasm/simd/gemm_plan.test.ts',
};

describe('the diagnostic catalogue', () => {
  const cases = join(import.meta.dirname, 'cases');
  const snapshots = readdirSync(cases).map((c) => readFileSync(join(cases, c, 'expected.txt'), 'utf8')).join('\n');

  it('has unique names', () => {
    const names = Object.values(catalogue).map((e) => e.name);
    expect(new Set(names).size).toBe(names.length);
  });

  for (const code of Object.keys(catalogue)) {
    it(`${code} is tested`, () => {
      const elsewhere = TESTED_ELSEWHERE[code];
      if (elsewhere) expect(readFileSync(elsewhere, 'utf8'), `${elsewhere} mentions ${code}`).toContain(code);
      else expect(snapshots, `a case under test/common/diagnostics/cases raises ${code}`).toMatch(new RegExp(`(error|warning) ${code}:`));
    });
  }
});
