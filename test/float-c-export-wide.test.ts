/**
 * export-c with exact accumulation wider than 62 bits (docs/float.md §6, "C export"): E5M2, fp16,
 * bf16, E8M3, E7M4FN and E9M3 sums span 67 … 1,030 bits, kept in the multi-word accumulator of
 * float-c-export.ts. Random networks whose values span the whole exponent range, with deliberate
 * cancellations (w·h − w·h + tiny), signed zeros, ±∞ and NaN inputs: the compiled C (cc -Wall -Werror)
 * reproduces the reference evaluator bit for bit, and the reference's exact neurons agree with an
 * independent exact sum written here (fractions, rounded by the enumerating reference of
 * float-reference.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportFloatC } from '../src/float/float-c-export.js';
import { classify, parseFloatFormat } from '../src/float/float-format.js';
import { type FloatNetwork, parseFloatNetworkJson } from '../src/float/float-network.js';
import { evaluateFloatReference } from '../src/float/float-network-eval.js';
import { FLOAT_ROUNDINGS, floatCodeText } from '../src/float/float-rounding.js';
import { mulberry32 } from '../src/prng.js';
import { type Fr, type Mode, type Ovf, refDecode, refFormat, refRound } from './float-reference.js';

/** [spec, e, m, fn, bits of the exact sums] */
const SPECS: Array<[string, number, number, boolean]> = [
  ['E5M2', 5, 2, false],
  ['fp16', 5, 10, false],
  ['bf16', 8, 7, false],
  ['E8M3', 8, 3, false],
  ['E7M4FN', 7, 4, true],
  ['E9M3', 9, 3, false],
];
const ACTS = ['identity', 'relu', 'leaky-relu', 'step'];

function randomNetwork(rand: () => number, spec: string, i: number, layers: number): FloatNetwork {
  const f = parseFloatFormat(spec);
  const finite = () => {
    for (;;) {
      const c = Math.floor(rand() * 2 ** f.bits);
      const k = classify(c, f);
      if (k !== 'nan' && k !== 'infinite') return c;
    }
  };
  const text = (c: number) => floatCodeText(c, f);
  const inputs = 1 + Math.floor(rand() * 3);
  let width = inputs;
  const out = Array.from({ length: layers }, (_, l) => {
    const n = l === layers - 1 ? 1 : 1 + Math.floor(rand() * 3);
    const neurons = Array.from({ length: n }, () => {
      const edges: Array<[number, string]> = [];
      const count = Math.floor(rand() * 5);
      for (let k = 0; k < count; k++) {
        const s = Math.floor(rand() * width);
        const w = rand() < 0.08 ? (rand() < 0.5 ? f.signBit : 0) : finite();
        edges.push([s, text(w)]);
        // a cancelling pair: w·h and (−w)·h, so that the sum is what the small terms leave
        if (rand() < 0.4) edges.push([s, text(w ^ f.signBit)]);
      }
      const bias = rand() < 0.15 ? (rand() < 0.5 ? f.signBit : 0) : finite();
      return { bias: text(bias), edges };
    });
    width = n;
    return { activation: l === layers - 1 ? 'identity' : ACTS[Math.floor(rand() * ACTS.length)], neurons };
  });
  return parseFloatNetworkJson({
    fxnn: 1,
    format: spec,
    rounding: FLOAT_ROUNDINGS[i % 5],
    overflow: Math.floor(i / 5) % 2 === 0 ? 'infinity' : 'saturate',
    accumulation: 'exact',
    inputs,
    layers: out,
  });
}

function randomInput(rand: () => number, net: FloatNetwork): number[] {
  const f = net.format;
  return Array.from({ length: net.inputs }, () => {
    const r = rand();
    if (r < 0.1) return rand() < 0.5 ? f.signBit : 0;
    if (r < 0.15 && !f.fn) return (rand() < 0.5 ? f.signBit : 0) + f.infCode;
    if (r < 0.18) return f.nanCode;
    return Math.floor(rand() * 2 ** f.bits);
  });
}

const same = (a: number, b: number, net: FloatNetwork) =>
  a === b || (classify(a, net.format) === 'nan' && classify(b, net.format) === 'nan');

/** One exact neuron, independently: the exact sum as a fraction, rounded by the enumerating reference. */
function independentNeuron(
  spec: (typeof SPECS)[number],
  net: FloatNetwork,
  bias: number,
  terms: Array<[number, number]>,
): number | 'error' {
  const [, e, m, fn] = spec;
  const f = net.format;
  const dv = (c: number) => refDecode(c, e, m, fn);
  const all = [[bias, -1] as [number, number], ...terms];
  let nan = false;
  let pos = false;
  let neg = false;
  let sum: Fr = { num: 0n, den: 1n };
  let allNegZero = true;
  for (const [w, h] of all) {
    const a = dv(w);
    const b = h === -1 ? ({ num: 1n, den: 1n } as Fr) : dv(h);
    if (a === null || b === null) {
      nan = true;
      continue;
    }
    const negative = w >= f.signBit !== (h !== -1 && h >= f.signBit);
    if (typeof a === 'string' || typeof b === 'string') {
      if ((typeof a !== 'string' && a.num === 0n) || (typeof b !== 'string' && b.num === 0n)) nan = true;
      else if (negative) neg = true;
      else pos = true;
      continue;
    }
    if (!(negative && (a.num === 0n || b.num === 0n))) allNegZero = false;
    sum = { num: sum.num * a.den * b.den + a.num * b.num * sum.den, den: sum.den * a.den * b.den };
  }
  if (nan || (pos && neg)) return f.nanCode;
  if (pos || neg) return (neg ? f.signBit : 0) + f.infCode;
  if (sum.num === 0n) return allNegZero || net.policy.rounding === 'floor' ? f.signBit : 0;
  return refRound(refFormat(e, m, fn), sum, net.policy.rounding as Mode, net.policy.overflow as Ovf);
}

describe('export-c: exact accumulation wider than 62 bits', () => {
  const rand = mulberry32(615);
  const cases = SPECS.flatMap((spec, s) =>
    Array.from(
      { length: spec[0] === 'fp16' || spec[0] === 'bf16' ? 3 : spec[0] === 'E9M3' ? 6 : 10 },
      (_, i) => {
        const net = randomNetwork(rand, spec[0], i + s, 1 + (i % 2));
        return { spec, net, inputs: Array.from({ length: 60 }, () => randomInput(rand, net)) };
      },
    ),
  );

  it('the reference evaluator’s exact neurons equal an independent exact sum', () => {
    let n = 0;
    for (const { spec, net, inputs } of cases) {
      if (net.layers.length !== 1) continue;
      const neuron = net.layers[0].neurons[0];
      for (const x of inputs) {
        let want = independentNeuron(
          spec,
          net,
          neuron.bias,
          neuron.edges.map(([s, w]) => [w, x[s]]),
        );
        // the output layer is identity: σ(±0) = +0 (an activation maps both zeros alike), σ(±∞) = ±∞
        // rounded by the policy (±max under saturate)
        const f = net.format;
        if (want === f.signBit) want = 0;
        if (!f.fn && (want as number) % f.signBit === f.infCode && net.policy.overflow === 'saturate')
          want = (want as number) - f.infCode + f.maxCode;
        const got = evaluateFloatReference(net, x)[0];
        if (want !== 'error' && !same(got, want, net))
          expect({ spec: spec[0], x, got, policy: net.policy }).toEqual({
            spec: spec[0],
            x,
            got: want,
            policy: net.policy,
          });
        n++;
      }
    }
    expect(n).toBeGreaterThan(800);
  });

  it('the compiled C reproduces the reference bit for bit (67 … 1,030 bits)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fxnn-floatc-wide-'));
    try {
      const parts: string[] = ['#include <stdio.h>'];
      const calls: string[] = [];
      const limbs = new Set<string>();
      cases.forEach(({ net, inputs }, i) => {
        const c = exportFloatC(net, { name: `w${i}` });
        const lm = /#define W\d+_LIMBS (\d+)/.exec(c);
        expect(lm, `${net.format.spec} uses the multi-word accumulator`).not.toBeNull();
        limbs.add(`${net.format.spec}:${lm![1]}`);
        parts.push(c);
        const rows = inputs.map((x) => `{ ${x.join(', ')} }`).join(', ');
        calls.push(`{ static const int32_t rows[${inputs.length}][${net.inputs}] = { ${rows} }; int32_t y[1]; int r;
  for (r = 0; r < ${inputs.length}; r++) { int s = w${i}(rows[r], y); printf("%d %d\\n", s, (int)y[0]); } }`);
      });
      expect([...limbs].sort()).toEqual(
        expect.arrayContaining(['E5M2:4', 'E7M4FN:10', 'E8M3:18', 'E9M3:34', 'bf16:18', 'fp16:4']),
      );
      parts.push(`int main(void) {\n${calls.join('\n')}\nreturn 0; }`);
      writeFileSync(join(dir, 'wide.c'), parts.join('\n'));
      execFileSync('cc', [
        '-std=c99',
        '-O1',
        '-Wall',
        '-Wextra',
        '-Werror',
        '-Wno-unused-parameter',
        '-o',
        join(dir, 'wide'),
        join(dir, 'wide.c'),
      ]);
      const lines = execFileSync(join(dir, 'wide'), { encoding: 'utf8' }).trim().split('\n');
      let k = 0;
      let specials = 0;
      for (const { spec, net, inputs } of cases) {
        for (const x of inputs) {
          const [s, y] = lines[k++].split(' ').map(Number);
          expect(s).toBe(0);
          const want = evaluateFloatReference(net, x)[0];
          const cls = classify(want, net.format);
          if (cls === 'nan' || cls === 'infinite' || cls === 'zero') specials++;
          if (!same(y, want, net))
            expect({ spec: spec[0], policy: net.policy, x, y }).toEqual({
              spec: spec[0],
              policy: net.policy,
              x,
              y: want,
            });
        }
      }
      expect(k).toBe(cases.length * 60);
      expect(specials).toBeGreaterThan(100); // ±∞, NaN and signed zeros do occur
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
