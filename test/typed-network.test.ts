/**
 * Network JSON version 2: the reference evaluator against an independent model of hls4ml's latency
 * dense layer (exact rationals, each cast through `roundValue` of the type's spelling), version 1
 * networks read as typed networks, hls4ml's table index against the C expression evaluated in
 * doubles, and the loader's errors.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ratio } from '../src/core/rational.js';
import { roundValue } from '../src/fixed.js';
import { parseFixedType } from '../src/fixed-type.js';
import { makeFormat } from '../src/format.js';
import { hls4mlIndex, hls4mlTable, tableFloat } from '../src/hls/hls4ml-table.js';
import { NetworkOverflowError } from '../src/network/network-overflow-error.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';
import { typedFromV1 } from '../src/network/typed-network.js';
import { parseTypedNetworkJson, typedNetworkToJson } from '../src/network/typed-network-json.js';
import { evaluateTypedReference, type OverflowEvent } from '../src/network/typed-reference.js';
import { codeToDecimal, parseValue } from '../src/value.js';
import { networkArb } from './network-arbitrary.js';

type Q = { num: bigint; den: bigint };
const add = (a: Q, b: Q): Q => ratio(a.num * b.den + b.num * a.den, a.den * b.den);
const mul = (a: Q, b: Q): Q => ratio(a.num * b.num, a.den * b.den);
const cast = (spec: string, v: Q): Q => parseValue(roundValue(spec, `${v.num}/${v.den}`).value);
const q = (s: string): Q => parseValue(s);

/** hls4ml's latency dense, written from its definition: mult[i] = accum(w·x); acc = accum(b); acc = accum(acc + mult). */
function denseModel(
  x: Q[],
  neurons: Array<{ bias: string; edges: Array<[number, string]> }>,
  types: { accum: string; result: string },
): Q[] {
  return neurons.map((n) => {
    let acc = cast(types.accum, q(n.bias));
    for (const [j, w] of n.edges) acc = cast(types.accum, add(acc, cast(types.accum, mul(q(w), x[j]))));
    return cast(types.result, acc);
  });
}

const TYPES = [
  'ap_fixed<16,6>',
  'ap_fixed<8,3>',
  'ap_fixed<10,4,AP_RND,AP_SAT>',
  'ap_fixed<12,5,AP_RND_INF,AP_SAT_SYM>',
  'ap_fixed<7,2,AP_RND_CONV,AP_WRAP_SM>',
  'ap_ufixed<8,3,AP_RND_ZERO,AP_SAT>',
  'ap_fixed<9,1,AP_TRN_ZERO,AP_WRAP,2>',
  'ap_fixed<6,-1>',
  'ap_fixed<5,7,AP_RND>',
  'Q3.4',
];

describe('network JSON version 2: reference evaluator', () => {
  it('dense + relu with mixed types = the independent model of hls4ml latency dense', () => {
    const arb = fc.record({
      input: fc.constantFrom(...TYPES),
      weight: fc.constantFrom(...TYPES),
      bias: fc.constantFrom(...TYPES),
      accum: fc.constantFrom(...TYPES),
      result: fc.constantFrom(...TYPES),
      act: fc.constantFrom(...TYPES),
      seed: fc.integer(),
    });
    fc.assert(
      fc.property(arb, (t) => {
        const rand = fc.sample(fc.integer({ min: -2000, max: 2000 }), { numRuns: 40, seed: t.seed });
        const val = (spec: string, k: number) => roundValue(spec, `${rand[k % rand.length]}/64`).value;
        const neurons = [0, 1, 2].map((i) => ({
          bias: val(t.bias, i),
          edges: [0, 1, 2, 3].map((j) => [j, val(t.weight, 3 + 4 * i + j)] as [number, string]),
        }));
        const json = {
          fxnn: 2,
          inputs: 4,
          input: t.input,
          layers: [
            {
              kind: 'dense',
              name: 'fc1',
              types: { weight: t.weight, bias: t.bias, accum: t.accum, result: t.result },
              neurons,
            },
            { kind: 'activation', name: 'relu1', activation: 'relu', types: { result: t.act } },
          ],
        };
        const net = parseTypedNetworkJson(json);
        const xs = [0, 1, 2, 3].map((j) => val(t.input, 20 + j));
        const codes = xs.map((v, j) => net.input.format && parseValueCode(v, t.input, j));
        const got = evaluateTypedReference(net, codes).map((c) =>
          codeToDecimal(
            c,
            net.layers[1].kind === 'activation' ? net.layers[1].result.format : net.input.format,
          ),
        );
        const h = denseModel(xs.map(q), neurons, { accum: t.accum, result: t.result });
        const want = h
          .map((v) => cast(t.act, v.num > 0n ? v : { num: 0n, den: 1n }))
          .map((v) => roundValue(t.act, `${v.num}/${v.den}`).value);
        expect(got).toEqual(want);
      }),
      { numRuns: 150, seed: 2 },
    );
  });

  it('a version 1 network read as typed gives the version 1 reference evaluator outputs', () => {
    const format = makeFormat('Q', 2, 2);
    fc.assert(
      fc.property(
        networkArb(format, { inputs: 2, maxLayers: 2, maxWidth: 3, maxEdges: 2 }),
        fc.array(fc.bigInt(format.minCode, format.maxCode), { minLength: 2, maxLength: 2 }),
        (net, x) => {
          const typed = typedFromV1(net);
          let want: bigint[] | 'overflow';
          try {
            want = evaluateReference(net, x);
          } catch (e) {
            if (!(e instanceof NetworkOverflowError)) throw e;
            want = 'overflow';
          }
          let got: bigint[] | 'overflow';
          try {
            got = evaluateTypedReference(typed, x);
          } catch (e) {
            if (!(e instanceof Error) || !/overflow/.test(e.message)) throw e;
            got = 'overflow';
          }
          expect(got).toEqual(want);
        },
      ),
      { numRuns: 200, seed: 3 },
    );
  });

  it('reports every overflowing cast to the hook, with the layer name and the kind of cast', () => {
    const net = parseTypedNetworkJson({
      fxnn: 2,
      inputs: 2,
      input: 'ap_fixed<8,3>',
      layers: [
        {
          kind: 'dense',
          name: 'Gemm_0',
          types: {
            weight: 'ap_fixed<8,3>',
            bias: 'ap_fixed<8,3>',
            accum: 'ap_fixed<8,3>',
            result: 'ap_fixed<6,2>',
          },
          neurons: [
            {
              bias: '1',
              edges: [
                [0, '3'],
                [1, '3'],
              ],
            },
          ],
        },
      ],
    });
    const events: OverflowEvent[] = [];
    // x = (1.5, 1): 3·1.5 = 4.5 overflows accum (product), 1 + (4.5 wrapped = −3.5) = −2.5, + 3 = 0.5
    const out = evaluateTypedReference(net, [48n, 32n], { onOverflow: (e) => events.push(e) });
    expect(events.map((e) => `${e.name}/${e.cast}/${e.edge}`)).toEqual(['Gemm_0/product/0']);
    expect(codeToDecimal(out[0], makeFormat('Q', 1, 4))).toBe('0.5');
  });

  it('round-trips through JSON', () => {
    const json = {
      fxnn: 2,
      inputs: 2,
      input: 'ap_fixed<8,3>',
      layers: [
        {
          kind: 'dense',
          types: {
            weight: 'ap_fixed<8,3,AP_RND,AP_SAT>',
            bias: 'Q3.4',
            accum: { format: 'Q5.6', overflow: 'AP_WRAP', saturationBits: 2 },
            result: 'ap_fixed<8,3>',
          },
          neurons: [{ bias: '0.5', edges: [[1, '-0.25']] }],
        },
        {
          kind: 'activation',
          activation: 'sigmoid',
          types: { result: 'ap_ufixed<8,0>' },
          table: { size: 512 },
        },
      ],
    };
    const net = parseTypedNetworkJson(json);
    const again = parseTypedNetworkJson(typedNetworkToJson(net));
    expect(typedNetworkToJson(again)).toEqual(typedNetworkToJson(net));
    expect(evaluateTypedReference(again, [5n, -7n])).toEqual(evaluateTypedReference(net, [5n, -7n]));
  });

  it.each([
    [
      {
        fxnn: 2,
        inputs: 1,
        input: 'ap_fixd<8,3>',
        layers: [{ kind: 'activation', activation: 'relu', types: { result: 'Q3.4' } }],
      },
      'input: unknown format "ap_fixd<8,3>"',
    ],
    [
      {
        fxnn: 2,
        inputs: 1,
        input: 'Q3.4',
        layers: [{ kind: 'activation', activation: 'relu', types: { result: 'Q3.4' }, table: {} }],
      },
      'layers[0].table: hls4ml tables are for sigmoid and tanh, not relu',
    ],
    [
      {
        fxnn: 2,
        inputs: 1,
        input: 'Q3.4',
        layers: [
          {
            kind: 'dense',
            types: { weight: 'Q3.4', bias: 'Q3.4', accum: 'Q3.4', result: 'Q3.4' },
            neurons: [{ bias: '0.3', edges: [] }],
          },
        ],
      },
      'layers[0].neurons[0].bias: "0.3" is not a value of Q3.4',
    ],
    [
      {
        fxnn: 2,
        inputs: 1,
        input: 'Q3.4',
        layers: [
          {
            kind: 'dense',
            types: { weight: 'Q3.4', bias: 'Q3.4', accum: 'Q3.4', result: 'Q3.4' },
            neurons: [{ bias: '0', edges: [[1, '1']] }],
          },
        ],
      },
      'source 1 is out of range',
    ],
    [{ fxnn: 3 }, 'fxnn: unknown version 3'],
  ])('rejects %j with one line', (json, message) => {
    expect(() => parseTypedNetworkJson(json)).toThrow(message);
  });
});

/** The code of a decimal value of a type. */
function parseValueCode(v: string, spec: string, _j: number): bigint {
  return roundValue(spec, v).code;
}

describe("hls4ml's sigmoid and tanh tables", () => {
  it('the index is trunc(x·N/16) + N/2 clamped (the C expression, evaluated in doubles)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -40000, max: 40000 }),
        fc.integer({ min: 0, max: 12 }),
        fc.constantFrom(1024, 512, 100, 4096, 7),
        fc.constantFrom('sigmoid' as const, 'tanh' as const),
        (code, f, n, kind) => {
          const span = kind === 'sigmoid' ? 16 : 8;
          const x = code / 2 ** f;
          let index = Math.trunc((x * n) / span) + Math.floor(((span / 2) * n) / span);
          index = Math.min(Math.max(index, 0), n - 1);
          expect(hls4mlIndex(kind, n, BigInt(code), f)).toBe(index);
        },
      ),
      { numRuns: 2000, seed: 5 },
    );
  });

  it('table floats follow the float32 steps (checked against Math.fround on a sample)', () => {
    for (const i of [0, 1, 100, 511, 512, 513, 700, 1023]) {
      const v = tableFloat('sigmoid', i, 1024);
      const x = Math.fround((16 * (i - 512)) / 1024);
      const s = Math.fround(1 + Math.fround(Math.exp(-x)));
      expect(Number(v.num) / Number(v.den)).toBe(Math.fround(1 / s));
    }
    // entry 512 is sigmoid(0) = 0.5 exactly; the first entry sigmoid(−8) in ap_fixed<18,8> (AP_TRN)
    const t = hls4mlTable('sigmoid', 1024, parseFixedType('ap_fixed<18,8>'));
    expect(t[512]).toBe(512n);
    expect(t[0]).toBe(0n); // 0.000335… < 2^-10: truncated to 0
    expect(hls4mlTable('tanh', 1024, parseFixedType('ap_fixed<18,8>'))[0]).toBe(-1024n + 0n);
  });
});

describe('typed fast evaluator = reference', () => {
  const TYPE_POOL = [
    'ap_fixed<16,6>',
    'ap_fixed<8,3>',
    'ap_fixed<10,4,AP_RND,AP_SAT>',
    'ap_fixed<12,5,AP_RND_INF,AP_SAT_SYM>',
    'ap_fixed<7,2,AP_RND_CONV,AP_WRAP_SM>',
    'ap_ufixed<8,3,AP_RND_ZERO,AP_SAT>',
    'ap_fixed<9,1,AP_TRN_ZERO,AP_WRAP,2>',
    'ap_fixed<6,-1,AP_RND_MIN_INF,AP_SAT_ZERO>',
    'ap_fixed<18,8>',
    'Q3.4',
  ];
  it('on random mixed-type networks with relu, linear, sigmoid/tanh tables and exact sigmoid', async () => {
    const { compileTypedNetwork } = await import('../src/network/typed-fast.js');
    const t = fc.constantFrom(...TYPE_POOL);
    const arb = fc.record({
      input: t,
      d1: fc.record({ weight: t, bias: t, accum: t, result: t }),
      act: fc.constantFrom('relu', 'linear', 'sigmoid-table', 'tanh-table', 'sigmoid'),
      r1: t,
      d2: fc.record({ weight: t, bias: t, accum: t, result: t }),
      bias: fc.constantFrom('first', 'last'),
      seed: fc.integer(),
    });
    fc.assert(
      fc.property(arb, (a) => {
        const rand = fc.sample(fc.integer({ min: -3000, max: 3000 }), { numRuns: 60, seed: a.seed });
        const val = (spec: string, k: number) => roundValue(spec, `${rand[k % rand.length]}/32`).value;
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
                table: { size: 256 },
              }
            : { kind: 'activation', activation: a.act, types: { result: a.r1 } };
        const net = parseTypedNetworkJson({
          fxnn: 2,
          inputs: 3,
          input: a.input,
          layers: [
            { kind: 'dense', types: a.d1, bias: a.bias, neurons: neurons(a.d1, 4, 3, 0) },
            actLayer,
            { kind: 'dense', types: a.d2, neurons: neurons(a.d2, 2, 4, 30) },
          ],
        });
        const fast = compileTypedNetwork(net);
        for (let r = 0; r < 8; r++) {
          const x = [0, 1, 2].map(
            (j) => roundValue(a.input, `${rand[(r * 3 + j + 50) % rand.length]}/16`).code,
          );
          expect(fast.evaluate(x)).toEqual(evaluateTypedReference(net, x));
        }
      }),
      { numRuns: 60, seed: 7 },
    );
  });
});
