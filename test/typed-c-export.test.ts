/** export-c of version 2 networks, compiled with cc and run, against the reference evaluator. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roundValue } from '../src/fixed.js';
import { exportTypedC } from '../src/network/typed-c-export.js';
import type { TypedNetwork } from '../src/network/typed-network.js';
import { parseTypedNetworkJson } from '../src/network/typed-network-json.js';
import { evaluateTypedReference } from '../src/network/typed-reference.js';

const POOL = [
  'ap_fixed<16,6>',
  'ap_fixed<8,3>',
  'ap_fixed<10,4,AP_RND,AP_SAT>',
  'ap_fixed<12,5,AP_RND_INF,AP_SAT_SYM>',
  'ap_fixed<7,2,AP_RND_CONV,AP_WRAP_SM>',
  'ap_fixed<7,2,AP_RND_CONV,AP_WRAP_SM,3>',
  'ap_ufixed<8,3,AP_RND_ZERO,AP_SAT>',
  'ap_ufixed<8,3,AP_TRN,AP_WRAP,2>',
  'ap_fixed<9,1,AP_TRN_ZERO,AP_WRAP,2>',
  'ap_fixed<6,-1,AP_RND_MIN_INF,AP_SAT_ZERO>',
  'ap_fixed<18,8>',
  'Q3.4',
];

function randomNet(seed: number): { net: TypedNetwork; rows: bigint[][] } {
  const [a] = fc.sample(
    fc.record({
      input: fc.constantFrom(...POOL),
      d1: fc.record({
        weight: fc.constantFrom(...POOL),
        bias: fc.constantFrom(...POOL),
        accum: fc.constantFrom(...POOL),
        result: fc.constantFrom(...POOL),
      }),
      act: fc.constantFrom('relu', 'linear', 'sigmoid-table', 'tanh-table', 'sigmoid'),
      r1: fc.constantFrom(
        ...POOL.filter((t) => !t.startsWith('ap_fixed<18') && !t.startsWith('ap_fixed<16')),
      ),
      d2: fc.record({
        weight: fc.constantFrom(...POOL),
        bias: fc.constantFrom(...POOL),
        accum: fc.constantFrom(...POOL),
        result: fc.constantFrom(...POOL),
      }),
      bias: fc.constantFrom('first', 'last'),
      accumulation: fc.constantFrom('sequential', 'sequential', 'exact'),
      r: fc.array(fc.integer({ min: -3000, max: 3000 }), { minLength: 60, maxLength: 60 }),
    }),
    { numRuns: 1, seed },
  );
  const val = (spec: string, k: number) => roundValue(spec, `${a.r[k % 60]}/32`).value;
  const neurons = (types: { weight: string; bias: string }, n: number, m: number, o: number) =>
    Array.from({ length: n }, (_, i) => ({
      bias: val(types.bias, o + i),
      edges: Array.from({ length: m }, (_, j) => [j, val(types.weight, o + 7 * i + j)]),
    }));
  const actLayer =
    a.act === 'sigmoid-table' || a.act === 'tanh-table'
      ? {
          kind: 'activation',
          activation: a.act.replace('-table', ''),
          types: { result: a.r1 },
          table: { size: 300 },
        }
      : { kind: 'activation', activation: a.act, types: { result: a.r1 } };
  const net = parseTypedNetworkJson({
    fxnn: 2,
    inputs: 3,
    input: a.input,
    layers: [
      {
        kind: 'dense',
        name: 'fc1',
        types: a.d1,
        bias: a.bias,
        accumulation: a.accumulation,
        neurons: neurons(a.d1, 4, 3, 0),
      },
      actLayer,
      { kind: 'dense', name: 'fc2', types: a.d2, neurons: neurons(a.d2, 2, 4, 30) },
    ],
  });
  const rows = Array.from({ length: 20 }, (_, r) =>
    [0, 1, 2].map((j) => roundValue(a.input, `${a.r[(r * 3 + j + 11) % 60] * (r + 1)}/16`).code),
  );
  return { net, rows };
}

describe('export-c on version 2 networks', () => {
  it('compiled with cc, equals the reference evaluator on random mixed-type networks', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fxnn-typed-c-'));
    try {
      const cases = Array.from({ length: 25 }, (_, i) => randomNet(100 + i));
      const parts: string[] = ['#include <stdio.h>'];
      cases.forEach(({ net, rows }, i) => {
        const src = exportTypedC(net, { name: `n${i}` });
        parts.push(src.replace('#include <stdint.h>', i === 0 ? '#include <stdint.h>' : ''));
        parts.push(`static const int64_t rows_${i}[${rows.length}][3] = { ${rows.map((r) => `{ ${r.map((c) => `${c}LL`).join(', ')} }`).join(', ')} };
static void run_${i}(void) { int64_t y[N${i}_OUTPUTS]; int r, j; for (r = 0; r < ${rows.length}; r++) { int s = n${i}(rows_${i}[r], y); printf("%d", s); if (s == 0) for (j = 0; j < N${i}_OUTPUTS; j++) printf(" %lld", (long long)y[j]); printf("\\n"); } }`);
      });
      parts.push(`int main(void) { ${cases.map((_, i) => `run_${i}();`).join(' ')} return 0; }`);
      writeFileSync(join(dir, 'main.c'), parts.join('\n'));
      execFileSync('cc', [
        '-std=c99',
        '-O1',
        '-Wall',
        '-Werror',
        '-o',
        join(dir, 'main'),
        join(dir, 'main.c'),
      ]);
      const lines = execFileSync(join(dir, 'main'), { encoding: 'utf8' }).trimEnd().split('\n');
      let l = 0;
      for (const { net, rows } of cases) {
        for (const x of rows) {
          let want: string;
          try {
            want = `0 ${evaluateTypedReference(net, x).join(' ')}`;
          } catch {
            want = 'overflow';
          }
          const got = lines[l++];
          expect(want === 'overflow' ? (Number(got.split(' ')[0]) > 0 ? 'overflow' : got) : got).toBe(want);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
