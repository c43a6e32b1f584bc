/**
 * Float networks: the reference evaluator, the fast evaluator and the exported C (compiled with cc)
 * against an independent evaluator written here from docs/float.md §6 on random networks — ⊗ and ⊕
 * from the enumerating reference of float-reference.ts, exact sums as fractions, piecewise-linear
 * activations computed here exactly (smooth ones from the table the fixture tests check).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { floatActivationTable } from '../src/float/float-activation.js';
import { exportFloatC } from '../src/float/float-c-export.js';
import { classify, finiteCodesAscending, parseFloatFormat } from '../src/float/float-format.js';
import { type FloatNetwork, parseFloatNetworkJson } from '../src/float/float-network.js';
import { compileFloatNetwork, evaluateFloatReference } from '../src/float/float-network-eval.js';
import { FLOAT_OVERFLOWS, FLOAT_ROUNDINGS, floatCodeText } from '../src/float/float-rounding.js';
import { mulberry32 } from '../src/prng.js';
import {
  type Fr,
  isNaNRef,
  type Mode,
  type Ovf,
  refDecode,
  refFormat,
  refOp,
  refRound,
} from './float-reference.js';

const SPECS: Array<[string, number, number, boolean]> = [
  ['E4M3', 4, 3, true],
  ['E5M2', 5, 2, false],
  ['E3M4', 3, 4, false],
  ['E2M1FN', 2, 1, true],
];
const ACTS = ['identity', 'relu', 'leaky-relu', 'hard-sigmoid', 'step', 'gelu', 'sigmoid'];

function randomNetwork(rand: () => number, spec: string, i: number): FloatNetwork {
  const f = parseFloatFormat(spec);
  const xs = finiteCodesAscending(f);
  // small values mostly, so that sums neither always overflow nor vanish
  const value = () => {
    const c = xs[Math.floor(xs.length / 2 + (rand() - 0.5) * xs.length * (rand() < 0.8 ? 0.6 : 1))];
    return floatCodeText(rand() < 0.05 ? f.signBit : c, f);
  };
  const inputs = 1 + Math.floor(rand() * 2);
  let width = inputs;
  const depth = 1 + Math.floor(rand() * 2);
  const layers = Array.from({ length: depth }, (_, l) => {
    const n = l === depth - 1 ? 1 : 1 + Math.floor(rand() * 3);
    const layer = {
      activation: l === depth - 1 ? 'identity' : ACTS[Math.floor(rand() * ACTS.length)],
      neurons: Array.from({ length: n }, () => ({
        bias: value(),
        edges: Array.from({ length: Math.floor(rand() * 4) }, () => [Math.floor(rand() * width), value()]),
      })),
    };
    width = n;
    return layer;
  });
  return parseFloatNetworkJson({
    fxnn: 1,
    format: spec,
    rounding: FLOAT_ROUNDINGS[i % 5],
    overflow: FLOAT_OVERFLOWS[Math.floor(i / 5) % 2], // infinity, saturate (error: its own test)
    accumulation: i % 3 === 0 ? 'exact' : 'sequential',
    bias: i % 2 === 0 ? 'last' : 'first',
    inputs,
    layers,
  });
}

/** σ of the piecewise-linear activations, exactly (fractions); null for the smooth ones. */
function pieceLinear(name: string, x: Fr): Fr | null {
  const cmp0 = x.num < 0n ? -1 : x.num > 0n ? 1 : 0;
  switch (name) {
    case 'identity':
      return x;
    case 'relu':
      return cmp0 > 0 ? x : { num: 0n, den: 1n };
    case 'leaky-relu':
      return cmp0 >= 0 ? x : { num: x.num, den: x.den * 100n };
    case 'step':
      return { num: cmp0 >= 0 ? 1n : 0n, den: 1n };
    case 'hard-sigmoid': {
      const t = { num: x.num + 3n * x.den, den: 6n * x.den };
      if (t.num <= 0n) return { num: 0n, den: 1n };
      if (t.num >= t.den) return { num: 1n, den: 1n };
      return t;
    }
    default:
      return null;
  }
}

/** The independent evaluator. */
function independent(
  net: FloatNetwork,
  spec: [string, number, number, boolean],
  x: number[],
): number[] | 'error' {
  const ref = refFormat(spec[1], spec[2], spec[3]);
  const mode = net.policy.rounding as Mode;
  const ovf = net.policy.overflow as Ovf;
  const f = net.format;
  const nan = (c: number | 'nan') => c === 'nan' || isNaNRef(c as number, ref);
  const canon = (c: number | 'nan' | 'error'): number | 'error' => (c === 'nan' ? f.nanCode : c);
  let values = x;
  for (const layer of net.layers) {
    const prev = values;
    const out: number[] = [];
    for (const n of layer.neurons) {
      let acc: number | 'nan' | 'error';
      if (net.accumulation === 'exact') {
        const terms: Array<[number, number]> = n.edges.map(([s, w]) => [w, prev[s]]);
        const dv = (c: number) => refDecode(c, spec[1], spec[2], spec[3]);
        if (terms.some(([w, h]) => nan(w) || nan(h))) acc = 'nan';
        else {
          let pos = false;
          let neg = false;
          let bad = false;
          let sum: Fr = dv(n.bias) as Fr;
          let allNegZero = n.bias === f.signBit;
          for (const [w, h] of terms) {
            const a = dv(w);
            const b = dv(h);
            const sgn = w >= f.signBit !== h >= f.signBit;
            if (typeof a === 'string' || typeof b === 'string') {
              if ((typeof a !== 'string' && a?.num === 0n) || (typeof b !== 'string' && b?.num === 0n))
                bad = true;
              else if (sgn) neg = true;
              else pos = true;
              continue;
            }
            if ((a as Fr).num !== 0n && (b as Fr).num !== 0n) allNegZero = false;
            if (!sgn) allNegZero = false;
            sum = {
              num: sum.num * a!.den * b!.den + a!.num * b!.num * sum.den,
              den: sum.den * a!.den * b!.den,
            };
          }
          if (bad || (pos && neg)) acc = 'nan';
          else if (pos || neg) acc = (neg ? f.signBit : 0) + f.infCode;
          else if (sum.num === 0n) acc = allNegZero || mode === 'floor' ? f.signBit : 0;
          else acc = refRound(ref, sum, mode, ovf);
        }
      } else {
        const products = n.edges.map(([s, w]) => refOp(ref, 'mul', w, prev[s], mode, ovf));
        const add = (a: number | 'nan' | 'error', b: number | 'nan' | 'error') =>
          a === 'error' || b === 'error'
            ? 'error'
            : refOp(ref, 'add', canon(a) as number, canon(b) as number, mode, ovf);
        if (net.bias === 'first') acc = products.reduce(add, n.bias);
        else if (products.length === 0) acc = n.bias;
        else acc = add(products.slice(1).reduce(add, products[0]), n.bias);
      }
      if (acc === 'error') return 'error';
      const c = canon(acc) as number;
      let y: number;
      if (nan(c)) y = f.nanCode;
      else {
        const v = refDecode(c, spec[1], spec[2], spec[3]);
        if (typeof v === 'string') {
          // σ(±∞): the limits of docs/float.md
          const lim: Record<string, [string, string]> = {
            identity: ['inf', '-inf'],
            relu: ['inf', '0'],
            'leaky-relu': ['inf', '-inf'],
            'hard-sigmoid': ['1', '0'],
            step: ['1', '0'],
            gelu: ['inf', '-0'],
            sigmoid: ['1', '0'],
          };
          const t = lim[layer.activation.name][v === 'inf' ? 0 : 1];
          y =
            t === 'inf'
              ? f.infCode
              : t === '-inf'
                ? f.signBit + f.infCode
                : t === '-0'
                  ? f.signBit
                  : t === '0'
                    ? 0
                    : (refRound(ref, { num: 1n, den: 1n }, mode, ovf) as number);
        } else {
          const s = pieceLinear(layer.activation.name, v!);
          if (s === null) y = floatActivationTable(layer.activation, f, net.policy).byCode[c];
          else if (s.num === 0n) y = 0;
          else {
            const r = refRound(ref, s, mode, ovf);
            if (r === 'error') return 'error';
            y = r;
          }
        }
      }
      out.push(y);
    }
    values = out;
  }
  return values;
}

const same = (a: number, b: number, spec: string) => {
  const f = parseFloatFormat(spec);
  return a === b || (classify(a, f) === 'nan' && classify(b, f) === 'nan');
};

describe('float networks agree with an independent evaluator', () => {
  const cases: Array<{ spec: (typeof SPECS)[number]; net: FloatNetwork; inputs: number[][] }> = [];
  const rand = mulberry32(20261129);
  for (let i = 0; i < 120; i++) {
    const spec = SPECS[i % SPECS.length];
    const net = randomNetwork(rand, spec[0], i);
    const xs = finiteCodesAscending(net.format);
    const size = 2 ** net.format.bits;
    const inputs = Array.from({ length: 40 }, () =>
      Array.from({ length: net.inputs }, () =>
        rand() < 0.1
          ? Math.floor(rand() * size)
          : xs[Math.floor(xs.length / 2 + (rand() - 0.5) * xs.length * 0.5)],
      ),
    );
    cases.push({ spec, net, inputs });
  }

  it('reference, fast and independent evaluators: 120 random networks × 40 inputs (NaN/∞ inputs too)', () => {
    let n = 0;
    for (const { spec, net, inputs } of cases) {
      const fast = compileFloatNetwork(net);
      for (const x of inputs) {
        const want = independent(net, spec, x);
        const ref = evaluateFloatReference(net, x);
        const got = fast.evaluate(x);
        if (want === 'error') continue;
        const ok = want.every((w, k) => same(w, ref[k], spec[0]) && same(w, got[k], spec[0]));
        if (!ok)
          expect({ spec: spec[0], x, ref, got, policy: net.policy, acc: net.accumulation }).toEqual({
            spec: spec[0],
            x,
            ref: want,
            got: want,
            policy: net.policy,
            acc: net.accumulation,
          });
        n++;
      }
    }
    expect(n).toBe(120 * 40);
  });

  it('exported C, compiled with cc, reproduces the reference bit for bit', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fxnn-floatc-'));
    try {
      // exact sums of E5M2 need 67 bits: a multi-word accumulator (float-c-export-wide.test.ts), so
      // they are all picked here too
      const picked = cases.slice(0, 60);
      expect(
        exportFloatC(cases.find((c) => c.net.accumulation === 'exact' && c.spec[0] === 'E5M2')!.net),
      ).toContain('#define NETWORK_LIMBS 4');
      const parts: string[] = ['#include <stdio.h>'];
      const calls: string[] = [];
      picked.forEach(({ net, inputs }, i) => {
        parts.push(exportFloatC(net, { name: `n${i}` }));
        const rows = inputs.map((x) => `{ ${x.join(', ')} }`).join(', ');
        calls.push(`{ static const int32_t rows[${inputs.length}][${net.inputs}] = { ${rows} }; int32_t y[1]; int r;
  for (r = 0; r < ${inputs.length}; r++) { int s = n${i}(rows[r], y); printf("%d %d\\n", s, (int)y[0]); } }`);
      });
      parts.push(`int main(void) {\n${calls.join('\n')}\nreturn 0; }`);
      writeFileSync(join(dir, 'nets.c'), parts.join('\n'));
      execFileSync('cc', [
        '-std=c99',
        '-O1',
        '-Wall',
        '-Werror',
        '-Wno-unused-function',
        '-o',
        join(dir, 'nets'),
        join(dir, 'nets.c'),
      ]);
      const lines = execFileSync(join(dir, 'nets'), { encoding: 'utf8' }).trim().split('\n');
      let k = 0;
      for (const { spec, net, inputs } of picked) {
        for (const x of inputs) {
          const [s, y] = lines[k++].split(' ').map(Number);
          expect(s).toBe(0);
          const want = evaluateFloatReference(net, x)[0];
          if (!same(y, want, spec[0])) expect({ spec: spec[0], x, y }).toEqual({ spec: spec[0], x, y: want });
        }
      }
      expect(k).toBe(60 * 40);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('overflow "error": the evaluators throw, the C returns 1 + the neuron', () => {
    const net = parseFloatNetworkJson({
      fxnn: 1,
      format: 'E4M3',
      overflow: 'error',
      inputs: 1,
      layers: [{ activation: 'identity', neurons: [{ bias: '0', edges: [[0, '448']] }] }],
    });
    expect(() => evaluateFloatReference(net, [0x38])).not.toThrow(); // 448 × 1
    expect(() => evaluateFloatReference(net, [0x40])).toThrow(/overflow/); // 448 × 2
    expect(() => compileFloatNetwork(net).evaluate([0x40])).toThrow(/overflow/);
    expect(exportFloatC(net, { name: 'e' })).toContain('return 1 + n;');
  });
});
