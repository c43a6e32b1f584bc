import { describe, expect, it } from 'vitest';
import { exactCountsOnGrid, outputValues } from '../src/engine/output-range.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { decide } from '../src/expressivity/verdict.js';

// The output range under exact accumulation when every term is a multiple of the code 1 (docs/theory.md
// §10.5): |R_β| counted in O(1) must equal the size of the enumerated R_β, for every β.

const cfg = (activation: string, format: string, overflow: string, weights: string, rounding = 'floor') =>
  makeConfiguration({
    activation,
    format,
    rounding,
    overflow,
    weights,
    accumulation: 'exact',
    bias: 'last',
  } as never);

describe('exact output-range counts on the grid of the code 1', () => {
  it('equal the enumerated |R_β| for every β (step, identity, relu, hard-sigmoid; Q, SQ, UQ; saturate, error; all and binary weights)', () => {
    let checked = 0;
    for (const activation of ['step', 'identity', 'relu', 'hard-sigmoid', 'sigmoid'])
      for (const format of ['Q2.1', 'Q3.0', 'SQ2.2', 'UQ3.1', 'Q1.3', 'UQ4.0'])
        for (const overflow of ['saturate', 'error'])
          for (const weights of ['all', 'binary']) {
            if (weights === 'binary' && format.startsWith('UQ')) continue;
            const s = settingOf(cfg(activation, format, overflow, weights));
            const fast = exactCountsOnGrid(s);
            if (!fast) continue;
            const slow = outputValues(s);
            for (let beta = s.min; beta <= s.max; beta++)
              expect(fast(beta), `${activation} ${format} ${overflow} ${weights} β=${beta}`).toBe(
                slow(beta).size,
              );
            checked++;
          }
    expect(checked).toBeGreaterThan(20);
    // off the grid (g a fraction of the code 1) or under wrap: no shortcut
    expect(exactCountsOnGrid(settingOf(cfg('identity', 'Q2.1', 'saturate', 'all')))).toBeNull();
    expect(exactCountsOnGrid(settingOf(cfg('step', 'Q3.0', 'wrap', 'binary')))).toBeNull();
  });

  it('step with binary weights on Q14.1 (floor, saturate, exact): ✗ by the output range in seconds (it ran out of a 120 s budget)', () => {
    const t = performance.now();
    const v = decide(cfg('step', 'Q14.1', 'saturate', 'binary'));
    expect(v.verdict).toBe('not-universal');
    expect(v.reason).toMatch(/output-range/);
    expect(performance.now() - t).toBeLessThan(60_000);
  });
});
