import { describe, expect, it } from 'vitest';
import { affineCarry, affineStage, twoLevelAffine } from '../src/constructions/two-level-affine.js';
import { twoLevelGadgets } from '../src/constructions/two-level-gadgets.js';
import type { LayeredNet } from '../src/engine/layered-net.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { construct, toNetwork } from '../src/expressivity/construct.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';
import { randomTable } from '../src/prng.js';

type Options = Parameters<typeof makeConfiguration>[0];

/** The network's output at each code of xs, by the BigInt reference evaluator (its own σ, ⊗, ⊕). */
function outputs(o: Options, net: LayeredNet, xs: readonly number[]): number[] {
  const network = toNetwork(makeConfiguration(o), net);
  return xs.map((x) => Number(evaluateReference(network, [BigInt(x)])[0]));
}

/** A hidden neuron's value read by an identity output with weight one (one ⊗ h = h exactly). */
function readOut(net: LayeredNet, one: number): LayeredNet {
  const last = net.layers[net.layers.length - 1];
  return { ...net, layers: [...net.layers, [{ bias: 0, edges: last.map((_, i) => [i, one] as const) }]] };
}

const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

describe('affine windows σ_F(A·one ⊗ h ⊕ β) = h', () => {
  it.each([
    ['sigmoid', 'Q7.8', 4, 59],
    ['hard-sigmoid', 'Q7.8', 6, 257],
    ['sigmoid', 'ap_fixed<16,6,AP_RND,AP_SAT>', 4, 147],
    ['sigmoid', 'Q3.4', 5, 13],
    ['hard-sigmoid', 'Q4.3', 6, 9],
  ])(
    '%s on %s: A = %i, %i codes, each checked by the reference evaluator',
    (activation, format, A, width) => {
      const o = { format, activation } as Options;
      const s = settingOf(makeConfiguration(o));
      const st = affineStage(s)!;
      expect(st.A).toBe(A);
      expect(st.window[1] - st.window[0] + 1).toBe(width);
      expect(st.beta).toBeLessThanOrEqual(0);
      // h enters as an input code: the stage σ_F(a ⊗ h ⊕ β), read out exactly
      const net = readOut({ inputs: 1, layers: [[{ bias: st.beta, edges: [[0, A * s.one]] }]] }, s.one);
      const hs = range(st.window[0], st.window[1]);
      expect(outputs(o, net, hs)).toEqual(hs);
      // the window is maximal at its ends (else a wider one exists for this β)
      const out = outputs(
        o,
        net,
        [st.window[0] - 1, st.window[1] + 1].filter((h) => h >= 0 && h <= s.one),
      );
      for (const [i, h] of [st.window[0] - 1, st.window[1] + 1].filter((h) => h >= 0 && h <= s.one).entries())
        expect(out[i]).not.toBe(h);
    },
  );
});

describe('carries by telescoping sums of first-layer neurons', () => {
  it.each([
    ['sigmoid', 'Q7.8', 32],
    ['hard-sigmoid', 'Q7.8', 256],
    ['sigmoid', 'Q3.4', 8],
  ])(
    '%s on %s, groups of %i: R0 + offset on every input of the first, a middle and the last group',
    (activation, format, L) => {
      const o = { format, activation } as Options;
      const s = settingOf(makeConfiguration(o));
      const carry = affineCarry(s, L)!;
      const R0 = carry.window[0];
      const gains = new Set<number>();
      for (const xs of [s.min, -L, 0, s.max + 1 - L]) {
        const xe = xs + L - 1;
        const r = carry.group(xs, xe)!;
        expect(r).not.toBeNull();
        gains.add(Math.abs(r.first[0][0]));
        const first = r.first.map(([w, b]) => ({ bias: b, edges: [[0, w]] as [number, number][] }));
        const net: LayeredNet = r.combine
          ? {
              inputs: 1,
              layers: [
                first,
                [{ bias: r.combine[1], edges: first.map((_, i) => [i, r.combine![0]] as const) }],
              ],
            }
          : { inputs: 1, layers: [first.slice(0, 1)] };
        const xsAll = range(xs, xe);
        expect(outputs(o, readOut(net, s.one), xsAll)).toEqual(
          xsAll.map((x) => R0 + (r.inc ? x - xs : xe - x)),
        );
      }
      // far groups need a smaller gain than the middle ones (k·|x| ≤ max)
      expect(gains.size).toBeGreaterThan(1);
    },
  );
});

describe('two-level tables through an affine window (d = 1)', () => {
  it.each([
    ['sigmoid', 'Q3.4', 13],
    ['hard-sigmoid', 'Q3.4', 10],
    ['hard-sigmoid', 'Q4.3', 10],
  ])('%s on %s: a random table, exact on every input, ratio < %d', (activation, format, bound) => {
    const o = { format, activation } as Options;
    const s = settingOf(makeConfiguration(o));
    const table = randomTable(s.size, s.min, s.size, 3);
    const t = {
      s,
      table,
      d: 1,
      get cert(): never {
        throw new Error('two-level-affine must not ask for the certificate');
      },
    };
    const c = twoLevelAffine.build(t)!;
    expect(c.method).toBe('two-level-affine');
    const xs = range(s.min, s.max);
    expect(outputs(o, c.net, xs)).toEqual(Array.from(table));
    const parameters = c.net.layers.flat().reduce((a, n) => a + 1 + n.edges.length, 0);
    expect(parameters).toBe(twoLevelAffine.plan(t));
    expect(parameters / s.size).toBeLessThan(bound);
    // a corrupted affine stage (its bias off by A codes: σ_F(A·(h + 1) ⊕ β) = h + 1 in W) must break it
    const st = affineStage(s)!;
    const stage = c.net.layers
      .flat()
      .find((n) => n.bias === st.beta && n.edges.length === 1 && n.edges[0][1] === st.A * s.one) as {
      bias: number;
    };
    expect(stage).toBeDefined();
    stage.bias += st.A;
    const bad = outputs(o, c.net, xs);
    expect(bad).not.toEqual(Array.from(table));
  });

  it('construct picks it for hard-sigmoid on Q4.3, smaller than steps', () => {
    const c = makeConfiguration({ format: 'Q4.3', activation: 'hard-sigmoid' });
    const table = randomTable(256, -128, 256, 5);
    const picked = construct(c, table, 1);
    expect(picked.method).toBe('two-level-affine');
    expect(picked.verifiedInputs).toBe(256);
    const steps = construct(c, table, 1, { construction: 'steps' });
    expect(steps.method).toBe('steps');
    expect(picked.size.parameters).toBeLessThan(steps.size.parameters);
  });

  it('symmetric formats (SQ3.4: 255 values, blocks do not tile 𝕀): null, not a TypeError', () => {
    // before: two-level-gadgets d = 1 read past its last group ("Cannot read properties of undefined")
    for (const [activation, k] of [
      ['sigmoid', twoLevelAffine],
      ['tanh', twoLevelGadgets],
    ] as const) {
      const s = settingOf(makeConfiguration({ format: 'SQ3.4', activation } as Options));
      const t = { s, table: randomTable(s.size, s.min, s.size, 2), d: 1, cert: undefined as never };
      expect(k.build(t)).toBeNull();
    }
  });

  it('does not apply where σ_F has an identity window or no zero at min', () => {
    for (const activation of ['tanh', 'relu', 'softplus', 'silu']) {
      const s = settingOf(makeConfiguration({ format: 'Q3.4', activation } as Options));
      const t = { s, table: new Int32Array(s.size), d: 1, cert: undefined as never };
      expect(twoLevelAffine.plan(t)).toBeNull();
    }
  });
});
