import { describe, expect, it } from 'vitest';
import { jumpTerms, stepPoint, thresholdNeurons } from '../src/constructions/threshold-neurons.js';
import { layeredSize } from '../src/engine/layered-net.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { construct, toNetwork } from '../src/expressivity/construct.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';
import { randomTable } from '../src/prng.js';

type Options = Parameters<typeof makeConfiguration>[0];

/** The table the network computes, input by input, with the BigInt reference evaluator. */
function computed(o: Options, c: NonNullable<ReturnType<typeof thresholdNeurons.build>>): bigint[] {
  const conf = makeConfiguration(o);
  const s = settingOf(conf);
  const network = toNetwork(conf, c.net);
  const out: bigint[] = [];
  for (let x = s.min; x <= s.max; x++) out.push(evaluateReference(network, [BigInt(x)])[0]);
  return out;
}

function target(o: Options, table: Int32Array) {
  const s = settingOf(makeConfiguration(o));
  return {
    s,
    table,
    d: 1,
    get cert(): never {
      throw new Error('thresholds must not ask for the certificate');
    },
  };
}

describe('threshold neurons (σ_F a step on codes, d = 1)', () => {
  it('finds the step point of step and of nothing else among a few activations', () => {
    expect(stepPoint(settingOf(makeConfiguration({ format: 'Q3.4', activation: 'step' })))).toBe(0);
    for (const activation of ['relu', 'tanh', 'sigmoid', 'hard-sigmoid'])
      expect(stepPoint(settingOf(makeConfiguration({ format: 'Q3.4', activation })))).toBeNull();
  });

  it('splits a jump into terms of one sign, each a value, summing to the jump', () => {
    const s = settingOf(makeConfiguration({ format: 'Q3.4', activation: 'step' }));
    for (const [a, b] of [
      [-128, 127],
      [127, -128],
      [5, 5],
      [-3, 124],
      [0, -128],
    ]) {
      const terms = jumpTerms(s, a, b);
      expect(terms.reduce((p, w) => p + w, 0)).toBe(b - a);
      for (const w of terms) {
        expect(w).toBeGreaterThanOrEqual(s.min);
        expect(w).toBeLessThanOrEqual(s.max);
        expect(Math.sign(w)).toBe(Math.sign(b - a));
      }
      const jump = b - a;
      expect(terms.length).toBe(jump > 0 ? Math.ceil(jump / s.max) : jump < 0 ? Math.ceil(jump / s.min) : 0);
    }
  });

  for (const format of ['Q3.4', 'Q4.3', 'Q2.3']) {
    for (const seed of [1, 2]) {
      it(`computes a random table on ${format} (seed ${seed}) on every input, with the planned size`, () => {
        const o = { format, activation: 'step' };
        const s = settingOf(makeConfiguration(o));
        const table = randomTable(s.size, s.min, s.size, seed);
        const t = target(o, table);
        const c = thresholdNeurons.build(t);
        expect(c).not.toBeNull();
        expect(computed(o, c!)).toEqual([...table].map(BigInt));
        expect(layeredSize(c!.net).parameters).toBe(thresholdNeurons.plan(t));
        // issue 13's bar on the 8-bit formats
        if (s.size === 256) expect(layeredSize(c!.net).parameters / s.size).toBeLessThan(4);
      });
    }
  }

  it('handles the extreme jumps min → max → min and a constant run', () => {
    const o = { format: 'Q2.3', activation: 'step' };
    const s = settingOf(makeConfiguration(o));
    const table = new Int32Array(s.size).map((_, i) => (i % 3 === 0 ? s.max : i % 3 === 1 ? s.min : 0));
    table.fill(7, 10, 20);
    const c = thresholdNeurons.build(target(o, table));
    expect(computed(o, c!)).toEqual([...table].map(BigInt));
  });

  it('does not apply to other settings', () => {
    const table = new Int32Array(256);
    for (const o of [
      { format: 'Q3.4', activation: 'tanh' },
      { format: 'Q3.4', activation: 'step', accumulation: 'exact' as const },
      { format: 'Q3.4', activation: 'step', overflow: 'wrap' as const },
    ])
      expect(thresholdNeurons.plan(target(o, table))).toBeNull();
  });

  it('is what construct picks for a random step table on Q3.4', () => {
    const config = makeConfiguration({ format: 'Q3.4', activation: 'step' });
    const table = randomTable(256, -128, 256, 3);
    const report = construct(config, table, 1);
    expect(report.method).toBe('thresholds');
    expect(report.ratio).toBeLessThan(4);
  });
});
