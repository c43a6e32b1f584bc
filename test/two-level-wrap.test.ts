import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hatRecipe, stepRecipe } from '../src/constructions/hat-family.js';
import { compileTable } from '../src/constructions/registry.js';
import { buildTwoLevelWrap, planTwoLevelWrap, wrapMode } from '../src/constructions/two-level-wrap.js';
import { wrapThresholds } from '../src/constructions/wrap-thresholds.js';
import { type LayeredNet, layeredSize } from '../src/engine/layered-net.js';
import { neuron, preActivation, unary } from '../src/engine/setting.js';
import { FxnnError } from '../src/errors.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { construct, toNetwork } from '../src/expressivity/construct.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';
import { evaluateAllInputs } from '../src/network/sweep-evaluator.js';
import { randomTable } from '../src/prng.js';

type Options = Parameters<typeof makeConfiguration>[0];

/** The first input where the network differs from the table (BigInt reference evaluator), or null. */
function firstMismatch(o: Options, net: LayeredNet, table: Int32Array): string | null {
  const c = makeConfiguration(o);
  const s = settingOf(c);
  const network = toNetwork(c, net);
  for (let x = s.min; x <= s.max; x++) {
    const got = evaluateReference(network, [BigInt(x)])[0];
    if (got !== BigInt(table[x - s.min])) return `${x}: ${got} instead of ${table[x - s.min]}`;
  }
  return null;
}

/** x mod 2^W in [min, max]: two's complement wrap, computed with BigInt. */
const wrapRef = (v: bigint, W: number) => Number(BigInt.asIntN(W, v));

describe('Lemma "wrap arithmetic"', () => {
  it('with exact products the pre-activation is the sum modulo 2^W, in every accumulation and bias order', () => {
    for (const [accumulation, bias] of [
      ['sequential', 'last'],
      ['sequential', 'first'],
      ['exact', 'last'],
    ] as const) {
      const s = settingOf(
        makeConfiguration({ format: 'Q3.4', activation: 'relu', overflow: 'wrap', accumulation, bias }),
      );
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.integer({ min: -8, max: 7 }), fc.integer({ min: -128, max: 127 })), {
            maxLength: 6,
          }),
          fc.integer({ min: -128, max: 127 }),
          (terms, b) => {
            // integer weights (codes k·one): every product k·h is exact
            const ws = terms.map(([k]) => k * s.one);
            const hs = terms.map(([, h]) => h);
            const sum = terms.reduce((a, [k, h]) => a + BigInt(k * h), BigInt(b));
            expect(preActivation(s, ws, hs, b)).toBe(wrapRef(sum, 8));
          },
        ),
      );
    }
  });
});

describe('one-hot families', () => {
  it('hats under wrap: one·[z = v_k] at every position (uneven gaps), and gates', () => {
    const s = settingOf(makeConfiguration({ format: 'Q3.4', activation: 'relu', overflow: 'wrap' }));
    const vals = [0, 4, 12, 20, 28, 36];
    for (const gate of [false, true]) {
      const r = hatRecipe(s, vals, [0, 1, 2, 3, 4, 5], gate)!;
      expect(r).not.toBeNull();
      for (const [k, h] of r.hats.entries())
        for (const [j, v] of vals.entries()) {
          const ramps = r.ramps.map((b) => Math.max(0, v + b));
          const got = Math.max(
            0,
            wrapRef(
              BigInt(h.bias) + h.edges.reduce((a, [i, w]) => a + BigInt((w * ramps[i]) / s.one), 0n),
              8,
            ),
          );
          expect(got).toBe((j === k) !== gate ? s.one : 0);
          expect(
            neuron(
              s,
              h.edges.map((e) => e[1]),
              h.edges.map(([i]) => ramps[i]),
              h.bias,
            ),
          ).toBe(got);
        }
    }
  });

  it('hats refuse saturation where a long ramp overflows; steps do not', () => {
    const s = settingOf(makeConfiguration({ format: 'Q3.4', activation: 'relu', rounding: 'floor' }));
    const vals = Array.from({ length: 16 }, (_, q) => 8 * q);
    expect(hatRecipe(s, vals, [0], true)).toBeNull();
    const r = stepRecipe(s, vals, [0, 7, 15], false)!;
    expect(r).not.toBeNull();
    for (const [t, k] of [0, 7, 15].entries())
      for (const [j, v] of vals.entries()) {
        const Y = r.ramps.map((b) => unary(s, s.min, unary(s, s.one, v, b), s.one));
        const h = r.hats[t];
        expect(
          neuron(
            s,
            h.edges.map((e) => e[1]),
            h.edges.map(([i]) => Y[i]),
            h.bias,
          ),
        ).toBe(j === k ? s.one : 0);
      }
  });
});

describe('two-level tables under wrap (relu, d = 1)', () => {
  const cells: Options[] = [
    { format: 'ap_fixed<8,4>', activation: 'relu' },
    { format: 'ap_fixed<8,4,AP_RND,AP_WRAP>', activation: 'relu' },
    { format: 'ap_fixed<8,4,AP_TRN_ZERO,AP_WRAP>', activation: 'relu' },
    { format: 'ap_fixed<8,4>', activation: 'relu', accumulation: 'exact' },
    { format: 'ap_fixed<8,4>', activation: 'relu', bias: 'first' },
    { format: 'ap_fixed<8,5>', activation: 'relu' },
    { format: 'ap_fixed<6,3>', activation: 'relu' },
    { format: 'ap_fixed<7,4,AP_RND,AP_WRAP>', activation: 'relu' },
  ];
  it.each(cells.map((o) => [o.format, o.accumulation ?? '', o.bias ?? '', o]))(
    '%s %s %s: exact on every input under the BigInt reference, plan exact',
    (_f, _a, _b, o) => {
      const s = settingOf(makeConfiguration(o as Options));
      expect(wrapMode(s)).toBe('wrap');
      for (const seed of [1, 2, 3]) {
        const table = randomTable(s.size, s.min, s.size, seed);
        const t = { s, table, d: 1, cert: null as never };
        const net = buildTwoLevelWrap(t)!.net;
        expect(layeredSize(net).parameters).toBe(planTwoLevelWrap(t));
        expect(firstMismatch(o as Options, net, table)).toBeNull();
      }
    },
  );

  it('construct on ap_fixed<8,4>: picked over the others, verified, ratio < 2.5', () => {
    const c = makeConfiguration({ format: 'ap_fixed<8,4>', activation: 'relu' });
    const r = construct(c, randomTable(256, -128, 256, 4), 1);
    expect(r.method).toBe('two-level-wrap');
    expect(r.verifiedInputs).toBe(256);
    expect(r.ratio).toBeLessThan(2.5);
  });

  it('construct where the certificate search finds none (relu, ap_fixed<7,4> toward zero, wrap): built and verified', () => {
    const c = makeConfiguration({ format: 'ap_fixed<7,4,AP_TRN_ZERO,AP_WRAP>', activation: 'relu' });
    const table = randomTable(128, -64, 128, 7);
    const r = construct(c, table, 1);
    expect(r.method).toBe('two-level-wrap');
    expect(r.verifiedInputs).toBe(128);
    // one box per point needs the certificate: not reported
    expect(r.plainParameters).toBeNull();
    for (let x = -64; x < 64; x++)
      expect(evaluateReference(r.network, [BigInt(x)])[0]).toBe(BigInt(table[x + 64]));
  });

  it('the registry skips a construction whose certificate search fails when two-level-wrap applies', () => {
    const s = settingOf(
      makeConfiguration({ format: 'ap_fixed<8,4,AP_TRN_ZERO,AP_WRAP>', activation: 'relu' }),
    );
    const table = randomTable(256, -128, 256, 6);
    const noCert = () => {
      throw new FxnnError('no certificate of universality was found (test)', 'activation');
    };
    expect(compileTable(s, noCert, table, 1, true).method).toBe('two-level-wrap');
    // no construction left: the certificate's error, as before (identity with toward-zero: no low plateau,
    // so not two-level-periodic, and no sign chain, so not two-level-bits; leaky-relu builds since)
    const id = settingOf(
      makeConfiguration({ format: 'ap_fixed<8,4,AP_TRN_ZERO,AP_WRAP>', activation: 'identity' }),
    );
    expect(() => compileTable(id, noCert, table, 1, true)).toThrow(/no certificate of universality/);
  });

  it('saturation where two-level fails (floor on Q3.4): the column x − 2^j·block, exact', () => {
    const o: Options = { format: 'Q3.4', activation: 'relu', rounding: 'floor' };
    const c = makeConfiguration(o);
    const s = settingOf(c);
    expect(wrapMode(s)).toBe('saturate');
    const table = randomTable(s.size, s.min, s.size, 5);
    const r = compileTable(s, null as never, table, 1, true, 'two-level-wrap');
    expect(firstMismatch(o, r.net, table)).toBeNull();
  });

  it('a corrupted row weight is caught by the reference evaluator', () => {
    const o: Options = { format: 'ap_fixed<8,4>', activation: 'relu' };
    const s = settingOf(makeConfiguration(o));
    const table = randomTable(s.size, s.min, s.size, 3);
    const net = buildTwoLevelWrap({ s, table, d: 1, cert: null as never })!.net;
    const rows = net.layers[net.layers.length - 2];
    const n = rows.find((r) => r.edges.length > 2)!;
    const e = n.edges[0] as unknown as [number, number];
    e[1] = e[1] === 1 ? 2 : 1;
    expect(firstMismatch(o, net, table)).not.toBeNull();
  });

  it('does not apply: other activations, binary weights, d = 2, and saturation where two-level applies', () => {
    const t = (o: Options, d = 1) => {
      const s = settingOf(makeConfiguration(o));
      return planTwoLevelWrap({ s, table: new Int32Array(s.size ** d), d, cert: null as never });
    };
    expect(t({ format: 'ap_fixed<8,4>', activation: 'gelu' })).toBeNull();
    expect(t({ format: 'ap_fixed<8,4>', activation: 'relu', weights: 'binary' })).toBeNull();
    expect(t({ format: 'ap_fixed<6,3>', activation: 'relu' }, 2)).toBeNull();
    expect(t({ format: 'Q3.4', activation: 'relu' })).toBeNull();
  });
});

describe('threshold neurons under wrap (step, d = 1)', () => {
  it.each([
    [{ format: 'ap_fixed<8,4>', activation: 'step' }],
    [{ format: 'ap_fixed<8,4,AP_RND,AP_WRAP>', activation: 'step', accumulation: 'exact' }],
    [{ format: 'ap_fixed<6,3>', activation: 'step', bias: 'first' }],
  ] as Array<[Options]>)('%o: exact under the BigInt reference and the sweep, plan exact', (o) => {
    const c = makeConfiguration(o);
    const s = settingOf(c);
    for (const seed of [1, 2]) {
      const table = randomTable(s.size, s.min, s.size, seed);
      const t = { s, table, d: 1, cert: null as never };
      const built = wrapThresholds.build(t)!;
      expect(built.method).toBe('thresholds-wrap');
      expect(layeredSize(built.net).parameters).toBe(wrapThresholds.plan(t));
      expect(firstMismatch(o, built.net, table)).toBeNull();
      // the sweep bisects this first layer (no first-layer sum leaves 𝕀): the same outputs
      expect(Array.from(evaluateAllInputs(toNetwork(c, built.net)).outputs[0])).toEqual(Array.from(table));
    }
  });

  it('floor never steps between min and min + ε with a positive weight: a falling neuron there', () => {
    const s = settingOf(makeConfiguration({ format: 'ap_fixed<8,4>', activation: 'step' }));
    for (let w = 1; w <= s.one / 2; w++) expect(s.mul(w, s.min)).toBe(s.mul(w, s.min + 1));
    const table = new Int32Array(s.size);
    table[0] = 5;
    const net = wrapThresholds.build({ s, table, d: 1, cert: null as never })!.net;
    expect(net.layers[0].some((n) => n.edges.length === 1 && n.edges[0][1] < 0)).toBe(true);
    expect(firstMismatch({ format: 'ap_fixed<8,4>', activation: 'step' }, net, table)).toBeNull();
  });
});
