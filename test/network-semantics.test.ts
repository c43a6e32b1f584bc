/**
 * Small networks where the semantics of THEORY §4 differ, with the arithmetic written out. Every
 * case runs through the reference evaluator and the fast evaluator (and, for a few, exported C).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roundedActivation } from '../src/activations/rounded.js';
import { OverflowError } from '../src/core/overflow.js';
import { parseFormat } from '../src/format.js';
import { compileNetwork } from '../src/network/fast-evaluator.js';
import { type Accumulation, type BiasOrder, makeNetwork, type Network } from '../src/network/network.js';
import type { NetworkOverflowError } from '../src/network/network-overflow-error.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';
import { OVERFLOW_MODES, type Overflow, ROUNDING_MODES, type Rounding } from '../src/policy.js';
import { codeToDecimal, exactCode } from '../src/value.js';
import { runExportedC } from './c-harness.js';
import { networkArb, smallFormatArb } from './network-arbitrary.js';

const Q34 = parseFormat('Q3.4'); // ε = 1/16, range [−8, 7.9375]
const c = (v: string) => exactCode(v, Q34);

interface Case {
  rounding?: Rounding;
  overflow?: Overflow;
  accumulation?: Accumulation;
  bias?: BiasOrder;
  activation?: string;
}

/** One identity neuron over Q3.4 with the given bias and edges (values as decimals). */
function neuron(opts: Case, bias: string, edges: Array<[number, string]>, inputs: number): Network {
  return makeNetwork({
    format: Q34,
    policy: { rounding: opts.rounding ?? 'nearest-even', overflow: opts.overflow ?? 'saturate' },
    accumulation: opts.accumulation ?? 'sequential',
    bias: opts.bias ?? 'last',
    inputs,
    layers: [
      {
        activation: opts.activation ?? 'identity',
        neurons: [{ bias: c(bias), edges: edges.map(([j, w]) => [j, c(w)]) }],
      },
    ],
  });
}

/** The output value (decimal) by both evaluators, which must agree. */
function run(net: Network, x: string[]): string {
  const codes = x.map(c);
  const reference = evaluateReference(net, codes);
  expect(compileNetwork(net).evaluate(codes)).toEqual(reference);
  return codeToDecimal(reference[0], Q34);
}

describe('bias last vs bias first (sequential, saturate)', () => {
  // Neuron b = −4, edges w = (1, 1), input h = (6, 6).
  const edges: Array<[number, string]> = [
    [0, '1'],
    [1, '1'],
  ];
  it('bias last: 0 ⊕ 6 = 6; 6 ⊕ 6 = rnd(12) = 7.9375 (saturated); 7.9375 ⊕ −4 = 3.9375', () => {
    expect(run(neuron({ bias: 'last' }, '-4', edges, 2), ['6', '6'])).toBe('3.9375');
  });
  it('bias first: −4 ⊕ 6 = 2; 2 ⊕ 6 = rnd(8) = 7.9375 (saturated)', () => {
    expect(run(neuron({ bias: 'first' }, '-4', edges, 2), ['6', '6'])).toBe('7.9375');
  });
  it('exact: rnd(−4 + 6 + 6) = rnd(8) = 7.9375', () => {
    expect(run(neuron({ accumulation: 'exact' }, '-4', edges, 2), ['6', '6'])).toBe('7.9375');
  });
  it('exact: rnd(4 + 6 + 6 − 12) = 4, where the sequential sums saturate on the way', () => {
    const e: Array<[number, string]> = [
      [0, '1'],
      [1, '1'],
      [2, '-2'],
    ];
    // sequential, bias last: 6, rnd(12) = 7.9375, 7.9375 ⊕ (−2 ⊗ 6 = rnd(−12) = −8) = −0.0625, ⊕ 4 = 3.9375
    expect(run(neuron({}, '4', e, 3), ['6', '6', '6'])).toBe('3.9375');
    expect(run(neuron({ accumulation: 'exact' }, '4', e, 3), ['6', '6', '6'])).toBe('4');
  });
});

describe('edge order is accumulation order (sequential)', () => {
  it('(4·1.5, 4·1.5, −4·1.5): 6, rnd(12) = 7.9375, 7.9375 − 6 = 1.9375; reordered: −6, 0, 6', () => {
    const x = ['1.5', '1.5', '1.5'];
    const ordered = neuron(
      {},
      '0',
      [
        [0, '4'],
        [1, '4'],
        [2, '-4'],
      ],
      3,
    );
    const reordered = neuron(
      {},
      '0',
      [
        [2, '-4'],
        [0, '4'],
        [1, '4'],
      ],
      3,
    );
    expect(run(ordered, x)).toBe('1.9375');
    expect(run(reordered, x)).toBe('6');
  });
});

describe('sequential vs exact: rounding every product vs rounding once', () => {
  // Two products 0.5 ⊗ 0.0625 = rnd(0.03125): the exact product is half a step.
  const edges: Array<[number, string]> = [
    [0, '0.5'],
    [1, '0.5'],
  ];
  it('sequential, nearest-even: each product is a tie rounded to the even code 0; 0 ⊕ 0 ⊕ 0 = 0', () => {
    expect(run(neuron({}, '0', edges, 2), ['0.0625', '0.0625'])).toBe('0');
  });
  it('exact: rnd(0.03125 + 0.03125) = 0.0625', () => {
    expect(run(neuron({ accumulation: 'exact' }, '0', edges, 2), ['0.0625', '0.0625'])).toBe('0.0625');
  });
  it('sequential, nearest-away: each product rounds up to 0.0625; the sum is 0.125', () => {
    expect(run(neuron({ rounding: 'nearest-away' }, '0', edges, 2), ['0.0625', '0.0625'])).toBe('0.125');
  });
});

describe('saturate vs wrap vs error', () => {
  // One edge 4 ⊗ 3 = 12, outside [−8, 7.9375].
  it('saturate: rnd(12) = 7.9375', () => {
    expect(run(neuron({}, '0', [[0, '4']], 1), ['3'])).toBe('7.9375');
  });
  it('wrap: 12 − 16 = −4 (keep the low 8 bits of code 192: 192 − 256 = −64)', () => {
    expect(run(neuron({ overflow: 'wrap' }, '0', [[0, '4']], 1), ['3'])).toBe('-4');
  });
  it('wrap in the sum: 7 ⊕ 2 = 9 − 16 = −7; ⊕ bias 1 = −6', () => {
    expect(
      run(
        neuron(
          { overflow: 'wrap' },
          '1',
          [
            [0, '1'],
            [1, '1'],
          ],
          2,
        ),
        ['7', '2'],
      ),
    ).toBe('-6');
  });
  it('error: an OverflowError naming the neuron, the step and the input (both evaluators)', () => {
    const net = neuron(
      { overflow: 'error' },
      '1',
      [
        [0, '1'],
        [1, '1'],
      ],
      2,
    );
    const message =
      'overflow in layers[0].neurons[0] (adding edges[1] to the accumulator) at input (7, 2): 9 is outside Q3.4 [-8, 7.9375]';
    for (const evaluate of [
      () => evaluateReference(net, [c('7'), c('2')]),
      () => compileNetwork(net).evaluate([c('7'), c('2')]),
    ]) {
      expect(evaluate).toThrow(message);
      try {
        evaluate();
      } catch (e) {
        expect(e).toBeInstanceOf(OverflowError);
        expect((e as NetworkOverflowError).location).toMatchObject({
          layer: 0,
          neuron: 0,
          step: { kind: 'sum', edge: 1 },
        });
      }
    }
  });
  it('error: the product, the bias and the activation are named too', () => {
    expect(() => run(neuron({ overflow: 'error' }, '0', [[0, '4']], 1), ['3'])).toThrow(
      'overflow in layers[0].neurons[0] (the product w ⊗ h of edges[0]) at input (3): 12 is outside Q3.4',
    );
    expect(() => run(neuron({ overflow: 'error' }, '4', [[0, '1']], 1), ['5'])).toThrow(
      'overflow in layers[0].neurons[0] (adding the bias) at input (5): 9 is outside Q3.4',
    );
    expect(() =>
      run(neuron({ overflow: 'error', accumulation: 'exact' }, '4', [[0, '1']], 1), ['5']),
    ).toThrow(
      'overflow in layers[0].neurons[0] (rounding the exact sum b + Σ w·h) at input (5): 9 is outside Q3.4',
    );
    // softplus(7.9375) = 7.9375 + ln(1 + e^−7.9375) ≈ 7.93786: ceil gives 8, outside the format.
    expect(() =>
      run(neuron({ overflow: 'error', rounding: 'ceil', activation: 'softplus' }, '0', [[0, '1']], 1), [
        '7.9375',
      ]),
    ).toThrow('overflow in layers[0].neurons[0] (the activation) at input (7.9375)');
  });
  it('the fast evaluator reports the first overflowing row of a batch', () => {
    const net = neuron({ overflow: 'error' }, '0', [[0, '4']], 1);
    const fast = compileNetwork(net);
    const rows = Int32Array.from([0, 16, 40, 48, -40].map((v) => v)); // 0, 1, 2.5, 3, −2.5
    expect(() => fast.evaluateBatch(rows, 5, new Int32Array(5))).toThrow(
      'at input (2.5): 10 is outside Q3.4',
    );
  });
});

describe('every rounding mode on one product w ⊗ h', () => {
  // 0.5 ⊗ −0.0625 = rnd(−0.03125): a tie between −0.0625 and 0.
  // 0.75 ⊗ 0.0625 = rnd(0.046875): 0.75 of a step above 0.
  // 0.75 ⊗ −0.0625 = rnd(−0.046875).
  const expected: Record<Rounding, [string, string, string]> = {
    'nearest-even': ['0', '0.0625', '-0.0625'],
    'nearest-away': ['-0.0625', '0.0625', '-0.0625'],
    'nearest-up': ['0', '0.0625', '-0.0625'],
    'nearest-down': ['-0.0625', '0.0625', '-0.0625'],
    'nearest-zero': ['0', '0.0625', '-0.0625'],
    floor: ['-0.0625', '0', '-0.0625'],
    ceil: ['0', '0.0625', '0'],
    'toward-zero': ['0', '0', '0'],
  };
  for (const rounding of ROUNDING_MODES) {
    it(`${rounding}: ${expected[rounding].join(', ')}`, () => {
      const got = [
        run(neuron({ rounding }, '0', [[0, '0.5']], 1), ['-0.0625']),
        run(neuron({ rounding }, '0', [[0, '0.75']], 1), ['0.0625']),
        run(neuron({ rounding }, '0', [[0, '0.75']], 1), ['-0.0625']),
      ];
      expect(got).toEqual(expected[rounding]);
    });
  }
});

describe('activations and layers', () => {
  it('a hidden sigmoid layer: σ_F is applied to the accumulator, then the next layer reads it', () => {
    // layer 0: 2 ⊗ x ⊕ 0 = 2x; σ_F(2x); layer 1: 1.5 ⊗ σ_F(2x) ⊕ (−0.5)
    const net = makeNetwork({
      format: Q34,
      inputs: 1,
      layers: [
        { activation: 'sigmoid', neurons: [{ bias: 0n, edges: [[0, c('2')]] }] },
        { activation: 'identity', neurons: [{ bias: c('-0.5'), edges: [[0, c('1.5')]] }] },
      ],
    });
    const sigma = roundedActivation(net.layers[0].activation, Q34, net.policy);
    // x = 0.5: 2x = 1, σ(1) = 0.731… → 0.75 (code 12); 1.5 ⊗ 0.75 = 1.125; 1.125 − 0.5 = 0.625
    expect(sigma.apply(c('1'))).toBe(12n);
    expect(run(net, ['0.5'])).toBe('0.625');
  });

  it('w ⊗ 0 = 0 and a ⊕ 0 = a: an edge from a zero value changes nothing, in every mode', () => {
    const arb = smallFormatArb(64).chain((f) =>
      fc.tuple(
        networkArb(f, { inputs: 1, maxLayers: 1, maxWidth: 1, maxEdges: 3 }),
        fc.bigInt(f.minCode, f.maxCode),
        fc.bigInt(f.minCode, f.maxCode),
        fc.nat(),
      ),
    );
    fc.assert(
      fc.property(arb, ([net, x, w, at]) => {
        // A second input fixed at 0, wired in with weight w at any position of the edge list.
        const n0 = net.layers[0].neurons[0];
        const one = 1n << BigInt(net.format.fracBits);
        const weight = net.weights === 'binary' ? (w >= 0n ? one : -one) : w;
        const edges = [...n0.edges];
        edges.splice(at % (edges.length + 1), 0, [1, weight]);
        const wider = makeNetwork({
          ...net,
          inputs: 2,
          layers: [{ activation: net.layers[0].activation, neurons: [{ bias: n0.bias, edges }] }],
        });
        const outcome = (n: Network, input: bigint[]) => {
          try {
            return evaluateReference(n, input);
          } catch (e) {
            return (e as Error).constructor.name;
          }
        };
        expect(outcome(wider, [x, 0n])).toEqual(outcome(net, [x]));
      }),
      { numRuns: 300 },
    );
  });
});

describe('the hand-computed cases in exported C', () => {
  it('bias first/last, exact, wrap and error give the same codes in C', () => {
    const nets = [
      neuron(
        { bias: 'last' },
        '-4',
        [
          [0, '1'],
          [1, '1'],
        ],
        2,
      ),
      neuron(
        { bias: 'first' },
        '-4',
        [
          [0, '1'],
          [1, '1'],
        ],
        2,
      ),
      neuron(
        { accumulation: 'exact' },
        '0',
        [
          [0, '0.5'],
          [1, '0.5'],
        ],
        2,
      ),
      neuron(
        { overflow: 'wrap' },
        '1',
        [
          [0, '1'],
          [1, '1'],
        ],
        2,
      ),
      neuron(
        { overflow: 'error' },
        '1',
        [
          [0, '1'],
          [1, '1'],
        ],
        2,
      ),
    ];
    const rows = [
      ['6', '6'],
      ['6', '6'],
      ['0.0625', '0.0625'],
      ['7', '2'],
      ['7', '2'],
    ].map((r) => [r.map(c)]);
    const out = runExportedC(nets, rows);
    expect(out.map((r) => r[0])).toEqual([
      { outputs: [c('3.9375')] },
      { outputs: [c('7.9375')] },
      { outputs: [c('0.0625')] },
      { outputs: [c('-6')] },
      { overflow: 1 },
    ]);
    expect(OVERFLOW_MODES).toContain('error');
  });
});
