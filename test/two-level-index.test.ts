import { describe, expect, it } from 'vitest';
import { constructionLine } from '../src/cli/construct-command.js';
import { planTwoLevel } from '../src/constructions/two-level.js';
import { buildTwoLevelIndex, planTwoLevelIndex } from '../src/constructions/two-level-index.js';
import { gateRecipe } from '../src/constructions/wide-gates.js';
import { layeredSize } from '../src/engine/layered-net.js';
import { neuron, unary } from '../src/engine/setting.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { construct, toNetwork, verifyOnAll } from '../src/expressivity/construct.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';
import { randomTable } from '../src/prng.js';

type Options = Parameters<typeof makeConfiguration>[0];

const target = (o: Options, seed: number) => {
  const c = makeConfiguration(o);
  const s = settingOf(c);
  return {
    c,
    t: {
      s,
      get cert(): never {
        throw new Error('two-level-index asked for the certificate');
      },
      table: randomTable(s.size, s.min, s.size, seed),
      d: 1,
    },
  };
};

/**
 * The network of a random table: its size equal to the plan, every input re-checked by the BigInt
 * reference evaluator, and a corrupted entry weight failing verification. Returns the ratio.
 */
function checkByReference(o: Options, seed: number): number {
  const { c, t } = target(o, seed);
  const { s, table } = t;
  const built = buildTwoLevelIndex(t);
  expect(built).not.toBeNull();
  const parameters = layeredSize(built!.net).parameters;
  expect(parameters).toBe(planTwoLevelIndex(t));
  verifyOnAll(s, built!.net, table, 1);
  const net = toNetwork(c, built!.net);
  for (let p = 0; p < s.size; p++) {
    const got = evaluateReference(net, [BigInt(s.min + p)])[0];
    if (got !== BigInt(table[p])) expect(`${s.min + p}: ${got}`).toBe(`${s.min + p}: ${table[p]}`);
  }
  // a positive entry weight w < max taken to w + 1 changes the output at that entry's input
  const layers = built!.net.layers.map((l) =>
    l.map((n) => ({ bias: n.bias, edges: n.edges.map((e) => [...e]) })),
  );
  const edge = layers[layers.length - 2]
    .find((n) => n.edges.some(([, w]) => w > 0 && w < s.max))!
    .edges.find(([, w]) => w > 0 && w < s.max)!;
  edge[1] += 1;
  const bad = { inputs: 1, layers: layers as unknown as NonNullable<typeof built>['net']['layers'] };
  expect(() => verifyOnAll(s, bad, table, 1)).toThrow(/instead of/);
  return parameters / s.size;
}

describe('two-level tables over a rounded block index (relu, d = 1)', () => {
  it('Q3.4: exact on every input (BigInt reference), plan exact, smaller than two-level by blocks', () => {
    for (const seed of [1, 2]) {
      const ratio = checkByReference({ format: 'Q3.4', activation: 'relu' }, seed);
      expect(ratio).toBeLessThan(2.2);
      const { t } = target({ format: 'Q3.4', activation: 'relu' }, seed);
      expect(planTwoLevelIndex(t)!).toBeLessThan(planTwoLevel(t)!);
    }
  });

  // the proof holds in every rounding, accumulation (bias last) and the checks decide the pieces
  it.each<Options>([
    { format: 'Q3.4', activation: 'relu', rounding: 'nearest-away' },
    { format: 'Q3.4', activation: 'relu', rounding: 'toward-zero' },
    { format: 'Q3.4', activation: 'relu', rounding: 'ceil' },
    { format: 'Q3.4', activation: 'relu', accumulation: 'exact' },
    { format: 'Q4.3', activation: 'relu' },
    { format: 'Q2.2', activation: 'relu' },
  ])('$format $rounding $accumulation: exact on every input where it applies', (o) => {
    const { t } = target(o, 3);
    if (planTwoLevelIndex(t) !== null) expect(checkByReference(o, 3)).toBeLessThan(6);
  });

  it('does not apply with the bias first, wrapping overflow, binary weights or d ≠ 1', () => {
    for (const o of [
      { format: 'Q3.4', activation: 'relu', bias: 'first' },
      { format: 'Q3.4', activation: 'relu', overflow: 'wrap' },
      { format: 'Q3.4', activation: 'relu', weights: 'binary' },
      { format: 'Q3.4', activation: 'elu' },
    ] as Options[])
      expect(planTwoLevelIndex(target(o, 1).t)).toBeNull();
    const { t } = target({ format: 'Q2.2', activation: 'relu' }, 1);
    expect(
      planTwoLevelIndex({ s: t.s, cert: undefined as never, table: randomTable(1024, -16, 32, 1), d: 2 }),
    ).toBeNull();
  });

  it('gates: 0 on their block, in [one, max] with min ⊗ G = min elsewhere (recomputed from the recipe)', () => {
    const s = settingOf(makeConfiguration({ format: 'Q3.4', activation: 'relu' }));
    // 40 values of y in 13 blocks of 1 to 5 values, and the merged ends
    const vals = Array.from({ length: 40 }, (_, i) => 2 * i + 1);
    const blockOf = vals.map((_, i) => Math.floor((i * 13) / 40));
    for (const merge of [false, true]) {
      const g = gateRecipe(s, vals, merge, blockOf)!;
      expect(g).not.toBeNull();
      const T = g.shifts.map(([, w, o]) => vals.map((v) => unary(s, w, v, o)));
      const R = g.ramps.map((r, k) => (k === 0 ? [] : T[r.shift].map((t) => unary(s, r.g, t, r.b))));
      expect(g.pieces.length).toBe(merge ? 12 : 13);
      g.pieces.forEach((pc, q) => {
        vals.forEach((_, p) => {
          const v = neuron(
            s,
            pc.edges.map((e) => e[1]),
            pc.edges.map((e) => R[e[0]][p]),
            pc.bias,
          );
          const inside = blockOf[p] === q || (merge && q === 0 && blockOf[p] === 12);
          if (inside) expect(v).toBe(0);
          else {
            expect(v).toBeGreaterThanOrEqual(s.one);
            expect(s.mul(s.min, v)).toBe(s.min);
          }
        });
      });
    }
  });

  it('construct picks it on Q3.4 and names it in the report', () => {
    const c = makeConfiguration({ format: 'Q3.4', activation: 'relu' });
    const table = randomTable(256, -128, 256, 4);
    const r = construct(c, table, 1);
    expect(r.method).toBe('two-level-index');
    expect(r.verifiedInputs).toBe(256);
    expect(r.predictedParameters).toBe(r.size.parameters);
    expect(constructionLine(r)).toMatch(
      /^construction two-level-index: \d+ parameters as planned \(exact\); \d+ row neurons/,
    );
    const forced = construct(c, table, 1, { construction: 'two-level' });
    expect(forced.size.parameters).toBeGreaterThan(r.size.parameters);
  });
});

describe('two-level d = 2 with wide gates (wide-gates.ts)', () => {
  it('Q2.3: construct picks two-level, verified on every input, ratio ≤ 1.30 (steps and windows: 1.325)', () => {
    const c = makeConfiguration({ format: 'Q2.3', activation: 'relu' });
    const table = randomTable(4096, -32, 64, 1);
    const r = construct(c, table, 2);
    expect(r.method).toBe('two-level');
    expect(r.verifiedInputs).toBe(4096);
    expect(r.predictedParameters).toBe(r.size.parameters);
    expect(r.ratio).toBeLessThanOrEqual(1.3);
    for (let i = 0; i < 4096; i += 7) {
      const x = [BigInt(-32 + Math.floor(i / 64)), BigInt(-32 + (i % 64))];
      expect(evaluateReference(r.network, x)[0]).toBe(BigInt(table[i]));
    }
  });
});
