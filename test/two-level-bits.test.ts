import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bitGadgets, buildTwoLevelBits, twoLevelBits } from '../src/constructions/two-level-bits.js';
import { type LayeredNet, layeredSize } from '../src/engine/layered-net.js';
import { unary } from '../src/engine/setting.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { toNetwork } from '../src/expressivity/construct.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';
import { evaluateAllInputs } from '../src/network/sweep-evaluator.js';
import { randomTable } from '../src/prng.js';
import { fxnn } from './run-cli.js';

// docs/construction.md, "Two-level tables through bits under wrap". ap_fixed<8,4> and ap_fixed<6,3> play
// ap_fixed<16,6>'s part (AP_TRN, AP_WRAP by default; σ_F = identity).

type Options = Parameters<typeof makeConfiguration>[0];

/** Inputs where the BigInt reference evaluator differs from the table. */
function mismatches(o: Options, net: LayeredNet, table: Int32Array): number[] {
  const c = makeConfiguration(o);
  const s = settingOf(c);
  const network = toNetwork(c, net);
  const bad: number[] = [];
  for (let x = s.min; x <= s.max; x++)
    if (evaluateReference(network, [BigInt(x)])[0] !== BigInt(table[x - s.min])) bad.push(x);
  return bad;
}

describe('two-level-bits: identity under wrap', () => {
  it('floor and ceiling, exact accumulation, bias first: a random table on every input, size as planned', () => {
    for (const extra of [{}, { rounding: 'ceil' }, { accumulation: 'exact' }, { bias: 'first' }] as const) {
      const o = { format: 'ap_fixed<8,4>', activation: 'identity', ...extra };
      const s = settingOf(makeConfiguration(o));
      const table = randomTable(s.size, s.min, s.size, 5);
      const c = buildTwoLevelBits(s, table);
      expect(c, JSON.stringify(extra)).not.toBeNull();
      expect(mismatches(o, c!.net, table), JSON.stringify(extra)).toEqual([]);
      expect(twoLevelBits.plan({ s, table, d: 1, cert: undefined as never })).toBe(
        layeredSize(c!.net).parameters,
      );
    }
  });

  it('any table on ap_fixed<6,3> (fast-check): equal to the BigInt reference on every input', () => {
    const o = { format: 'ap_fixed<6,3>', activation: 'identity' };
    const s = settingOf(makeConfiguration(o));
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: s.min, max: s.max }), { minLength: 64, maxLength: 64 }),
        (vs) => {
          const table = Int32Array.from(vs);
          const c = buildTwoLevelBits(s, table);
          expect(c).not.toBeNull();
          expect(mismatches(o, c!.net, table)).toEqual([]);
        },
      ),
      { numRuns: 12 },
    );
  });

  it('d = 2 on ap_fixed<6,3> (floor; ceiling with exact accumulation and bias first): every (x1, x2) by the sweep, every 13th by the reference', () => {
    for (const extra of [{}, { rounding: 'ceil', accumulation: 'exact', bias: 'first' }] as const) {
      const o = { format: 'ap_fixed<6,3>', activation: 'identity', ...extra };
      const c0 = makeConfiguration(o);
      const s = settingOf(c0);
      const table = randomTable(s.size * s.size, s.min, s.size, 7);
      const c = buildTwoLevelBits(s, table, 2);
      expect(c, JSON.stringify(extra)).not.toBeNull();
      expect(twoLevelBits.plan({ s, table, d: 2, cert: undefined as never })).toBe(
        layeredSize(c!.net).parameters,
      );
      const network = toNetwork(c0, c!.net);
      // every input by the sweep evaluator, every 13th by the BigInt reference
      const out = evaluateAllInputs(network).outputs[0];
      let bad = 0;
      for (let i = 0; i < table.length; i++) if (out[i] !== table[i]) bad++;
      for (let i = 0; i < table.length; i += 13) {
        const x1 = s.min + Math.floor(i / s.size);
        const x2 = s.min + (i % s.size);
        if (evaluateReference(network, [BigInt(x1), BigInt(x2)])[0] !== BigInt(table[i])) bad++;
      }
      expect(bad, JSON.stringify(extra)).toBe(0);
    }
  });

  it("a gate's or a row's bias moved by one code is caught on some input (BigInt reference)", () => {
    const o = { format: 'ap_fixed<6,3>', activation: 'identity' };
    const s = settingOf(makeConfiguration(o));
    const table = randomTable(s.size, s.min, s.size, 9);
    const net = buildTwoLevelBits(s, table)!.net;
    // the widest layer with a two-edge neuron whose second weight is min: the gates (ω_J = min on floor)
    const gateLayer = net.layers.findIndex((l) =>
      l.some((n) => n.edges.length === 2 && n.edges[1][1] === s.min),
    );
    expect(gateLayer).toBeGreaterThan(0);
    for (const [layer, pick] of [
      [
        gateLayer,
        (n: { edges: readonly (readonly [number, number])[] }) =>
          n.edges.length === 2 && n.edges[1][1] === s.min,
      ],
      [
        net.layers.findIndex((l) => l.some((n) => n.edges.length > 4)),
        (n: { edges: readonly (readonly [number, number])[] }) => n.edges.length > 4,
      ],
    ] as const) {
      const layers = net.layers.map((l) =>
        l.map((n) => ({ bias: n.bias, edges: n.edges.map(([a, w]) => [a, w] as const) })),
      );
      const i = layers[layer].findIndex(pick);
      layers[layer][i] = { ...layers[layer][i], bias: layers[layer][i].bias + 1 };
      expect(mismatches(o, { inputs: 1, layers }, table).length).toBeGreaterThan(0);
    }
  });

  it('the sign chain separates every negative code from every other (floor: ε then ε)', () => {
    const s = settingOf(makeConfiguration({ format: 'ap_fixed<8,4>', activation: 'identity' }));
    const g = bitGadgets(s)!;
    expect(g.sc).toEqual([
      [1, 0],
      [1, 0],
    ]);
    for (let y = s.min; y <= s.max; y++) {
      const v = g.sc.reduce((h, [w, b]) => unary(s, w, h, b), y);
      // ⌊⌊y/16⌋/16⌋ computed independently
      expect(v).toBe(Math.floor(Math.floor(y / 16) / 16));
    }
    expect([g.A, g.B]).toEqual([-1, 0]);
  });

  it('does not apply: toward zero or nearest rounding (no sign chain), saturation, relu, d = 3', () => {
    for (const rounding of ['toward-zero', 'nearest-even'] as const)
      expect(
        bitGadgets(
          settingOf(makeConfiguration({ format: 'ap_fixed<8,4>', activation: 'identity', rounding })),
        ),
      ).toBeNull();
    const plan = (o: Options, d = 1) => {
      const s = settingOf(makeConfiguration(o));
      return twoLevelBits.plan({ s, table: new Int32Array(s.size ** d), d, cert: undefined as never });
    };
    expect(plan({ format: 'ap_fixed<8,4>', activation: 'identity', overflow: 'saturate' })).toBeNull();
    expect(plan({ format: 'ap_fixed<8,4>', activation: 'relu' })).toBeNull();
    expect(plan({ format: 'ap_fixed<4,2>', activation: 'identity' }, 3)).toBeNull();
  });
});

describe('construct (CLI) with identity under wrap', () => {
  // 11 bits: above the one-box-per-point comparison's bound, so no certificate search (83 s on ap_fixed<8,4>)
  it('builds, names two-level-bits and verifies every input', async () => {
    const r = await fxnn(
      'construct',
      '--activation',
      'identity',
      '--format',
      'ap_fixed<11,5>',
      '--fn',
      'sin(3*x1)',
      '--construction',
      'two-level-bits',
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/verified on all 2048 inputs: the network computes the target exactly/);
    expect(r.stdout).toMatch(/construction two-level-bits: \d+ parameters as planned \(exact\)/);
  });

  it('refuses toward-zero rounding with one line naming the construction (exit 2)', async () => {
    const r = await fxnn(
      'construct',
      '--activation',
      'identity',
      '--format',
      'ap_fixed<8,4,AP_TRN_ZERO,AP_WRAP>',
      '--fn',
      'x1',
      '--construction',
      'two-level-bits',
    );
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: --construction two-level-bits: the construction does not apply here/);
  });
});
