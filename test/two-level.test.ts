import { describe, expect, it } from 'vitest';
import { constructionLine } from '../src/cli/construct-command.js';
import { buildTwoLevel, planTwoLevel } from '../src/constructions/two-level.js';
import { layeredSize } from '../src/engine/layered-net.js';
import { certificateFor } from '../src/expressivity/certificates.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { construct, toNetwork, verifyOnAll } from '../src/expressivity/construct.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';
import { randomTable } from '../src/prng.js';

type Options = Parameters<typeof makeConfiguration>[0];

/** Input i of 𝕀^d (x1 slowest) as codes. */
function inputAt(min: number, N: number, d: number, i: number): bigint[] {
  const x: bigint[] = new Array(d);
  let rest = i;
  for (let k = d - 1; k >= 0; k--) {
    x[k] = BigInt(min + (rest % N));
    rest = Math.floor(rest / N);
  }
  return x;
}

/**
 * The two-level network of a random table on 𝕀^d, its size equal to the plan, every output re-checked
 * by the BigInt reference evaluator; then a corrupted entry weight (one more ε) must fail verification.
 */
function checkByReference(o: Options, seed: number, d = 2, stride = 1): number {
  const c = makeConfiguration(o);
  const s = settingOf(c);
  const N = s.size;
  const table = randomTable(N ** d, s.min, N, seed);
  // two-level needs no certificate
  const t = {
    s,
    get cert(): never {
      throw new Error('two-level asked for the certificate');
    },
    table,
    d,
  };
  const built = buildTwoLevel(t)!;
  expect(built).not.toBeNull();
  const parameters = layeredSize(built.net).parameters;
  expect(parameters).toBe(planTwoLevel(t));
  const net = toNetwork(c, built.net);
  // every input by the network evaluator of construct, every `stride`-th by the BigInt reference
  verifyOnAll(s, built.net, table, d);
  for (let i = 0; i < table.length; i += stride) {
    const x = inputAt(s.min, N, d, i);
    const got = evaluateReference(net, x)[0];
    if (got !== BigInt(table[i])) expect(`${x}: ${got}`).toBe(`${x}: ${table[i]}`);
  }
  // corrupt the first entry weight of the first row neuron (the output's first source, a positive
  // entry w ≤ max − 1 taken to w + 1): the output changes at that entry's input
  const layers = built.net.layers.map((l) =>
    l.map((n) => ({ bias: n.bias, edges: n.edges.map((e) => [...e]) })),
  );
  const rowLayer = layers[layers.length - 2];
  const target = rowLayer.find((n) => n.edges.some(([, w]) => w > 0 && w < s.max))!;
  const edge = target.edges.find(([, w]) => w > 0 && w < s.max)!;
  edge[1] += 1;
  const bad = { inputs: built.net.inputs, layers: layers as unknown as typeof built.net.layers };
  expect(() => verifyOnAll(s, bad, table, d)).toThrow(/instead of/);
  return parameters / table.length;
}

describe('two-level construction (relu)', () => {
  it('Q2.2, default policy: the network computes random tables on every input (BigInt reference)', () => {
    for (const seed of [1])
      expect(checkByReference({ format: 'Q2.2', activation: 'relu' }, seed)).toBeLessThan(1.9);
  });

  // the row neurons' proof holds in every rounding, accumulation and bias order (docs/construction.md)
  it.each<Options>([
    { format: 'Q2.2', activation: 'relu', rounding: 'ceil' },
    { format: 'Q2.2', activation: 'relu', rounding: 'nearest-away', bias: 'first' },
    { format: 'Q2.2', activation: 'relu', accumulation: 'exact' },
    { format: 'Q2.2', activation: 'relu', bias: 'first', rounding: 'toward-zero' },
  ])('$rounding $overflow $accumulation $bias: exact on every input (BigInt reference)', (o) => {
    checkByReference(o, 3);
  });

  it('Q2.3: construct picks it, verified on every input, ratio ≤ 1.35 (issue 13: ≤ 1.4)', () => {
    const c = makeConfiguration({ format: 'Q2.3', activation: 'relu' });
    const r = construct(c, randomTable(4096, -32, 64, 1), 2);
    expect(r.method).toBe('two-level');
    expect(r.verifiedInputs).toBe(4096);
    expect(r.ratio).toBeLessThanOrEqual(1.35);
    // forcing another construction gives a larger network
    const rows = construct(c, randomTable(4096, -32, 64, 1), 2, { construction: 'rows' });
    expect(rows.method).toBe('rows');
    expect(rows.size.parameters).toBeGreaterThan(2 * r.size.parameters);
  });

  it('d = 1 (blocks of the code): Q3.4 and Q4.3, verified and re-checked by the BigInt reference, ratio ≤ 2.25', () => {
    for (const format of ['Q3.4', 'Q4.3']) {
      const c = makeConfiguration({ format, activation: 'relu' });
      const table = randomTable(256, -128, 256, 2);
      // on Q3.4 the rounded block index (two-level-index.ts) is smaller
      const r = construct(c, table, 1, { construction: 'two-level' });
      expect(r.method).toBe('two-level');
      expect(r.ratio).toBeLessThanOrEqual(2.25);
      for (let x = -128; x <= 127; x++)
        expect(evaluateReference(r.network, [BigInt(x)])[0]).toBe(BigInt(table[x + 128]));
    }
    // exact accumulation and another rounding
    const c = makeConfiguration({
      format: 'Q2.2',
      activation: 'relu',
      accumulation: 'exact',
      rounding: 'ceil',
    });
    const table = randomTable(32, -16, 32, 5);
    const r = construct(c, table, 1);
    expect(r.method).toBe('two-level');
    for (let x = -16; x <= 15; x++)
      expect(evaluateReference(r.network, [BigInt(x)])[0]).toBe(BigInt(table[x + 16]));
  });

  it('d = 3 (rows the joint values of x1, x2): Q2.1 with ceil, 4096 inputs (every 5th by the BigInt reference)', () => {
    expect(checkByReference({ format: 'Q2.1', activation: 'relu', rounding: 'ceil' }, 4, 3, 5)).toBeLessThan(
      1.7,
    );
  });

  it("construct's report names the construction and its plan against the network built", () => {
    const c = makeConfiguration({ format: 'Q2.3', activation: 'relu' });
    const table = randomTable(4096, -32, 64, 3);
    const r = construct(c, table, 2);
    expect(r.method).toBe('two-level');
    expect(r.predictedParameters).toBe(r.size.parameters);
    expect(constructionLine(r)).toBe(
      `construction two-level: ${r.size.parameters} parameters as planned (exact); ${r.boxes} row neurons; one box per point: ${r.plainParameters} parameters`,
    );
    const b = construct(c, table, 2, { construction: 'boxes' });
    expect(b.predictedParameters).toBeLessThanOrEqual(b.size.parameters);
    expect(constructionLine(b)).toMatch(
      new RegExp(
        `^construction boxes: ${b.size.parameters} parameters( \\(planned at least \\d+\\)| as planned \\(exact\\)); \\d+ boxes`,
      ),
    );
  });

  it('d = 1: every variant checked by the BigInt reference, and a corrupted weight fails', () => {
    for (const [o, bound] of [
      [{ format: 'Q3.4', activation: 'relu' }, 2.25],
      [{ format: 'Q4.3', activation: 'relu', rounding: 'toward-zero' }, 2.25],
      [{ format: 'Q2.2', activation: 'relu', accumulation: 'exact', rounding: 'nearest-away' }, 4.7],
    ] as Array<[Options, number]>)
      expect(checkByReference(o, 7, 1)).toBeLessThanOrEqual(bound);
  });

  it('applies only where its hypotheses hold: relu, 2·one ≤ max, all weights, d ≤ 4', () => {
    const table = randomTable(1024, -16, 32, 1);
    const at = (o: Options, d = 2, tb = table) => {
      const c = makeConfiguration(o);
      const s = settingOf(c);
      return planTwoLevel({ s, cert: certificateFor(c).report.certificate!, table: tb, d });
    };
    expect(at({ format: 'Q2.2', activation: 'relu' })).not.toBeNull();
    expect(at({ format: 'Q2.2', activation: 'elu' })).toBeNull();
    expect(at({ format: 'Q2.2', activation: 'relu', weights: 'binary' })).toBeNull();
    expect(at({ format: 'Q2.2', activation: 'relu' }, 1, randomTable(32, -16, 32, 1))).not.toBeNull();
    expect(at({ format: 'Q2.2', activation: 'relu' }, 3, randomTable(32768, -16, 32, 1))).not.toBeNull();
    expect(at({ format: 'Q1.1', activation: 'relu' }, 5, randomTable(1024, -2, 4, 1))).toBeNull();
    // d = 1 needs the bias last (or exact accumulation): the remainder's partial sums
    expect(
      at({ format: 'Q2.2', activation: 'relu', bias: 'first' }, 1, randomTable(32, -16, 32, 1)),
    ).toBeNull();
    // shifts x ⊕ o overflow: saturation needed; floor cannot tell min from min + ε in one shift
    expect(at({ format: 'Q2.2', activation: 'relu', overflow: 'wrap' })).toBeNull();
    expect(at({ format: 'Q2.2', activation: 'relu', overflow: 'error' })).toBeNull();
    expect(at({ format: 'Q2.2', activation: 'relu', rounding: 'floor' })).toBeNull();
    // Q1.3: one = 8, max = 15 < 2·one
    expect(at({ format: 'Q1.3', activation: 'relu' }, 2, randomTable(1024, -16, 32, 1))).toBeNull();
    const c = makeConfiguration({ format: 'Q2.2', activation: 'elu' });
    expect(() => construct(c, table, 2, { construction: 'two-level' })).toThrow(/--construction two-level/);
    expect(() => construct(c, table, 2, { construction: 'nope' })).toThrow(/--construction: expected one of/);
  });
});
