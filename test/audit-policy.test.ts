/**
 * Audit: `decide` gives a verdict only under the overflow modes its proofs assume (saturate, wrap with
 * N = 0, error; docs/theory.md §1). `makeConfiguration` refuses the others, but a Configuration built by
 * hand reached the engine: before the guard, wrap-sign-magnitude on Q3.12 (relu) was reported universal by
 * a chain certificate proved with interval images, which need a monotone overflow (§9.1), and the analytic
 * path read saturate-zero as saturate (Lemma S) on Q7.16.
 */
import { describe, expect, it } from 'vitest';
import { type Configuration, makeConfiguration } from '../src/expressivity/configuration.js';
import { decide } from '../src/expressivity/verdict.js';

describe('audit: decide refuses overflow modes outside its theory', () => {
  for (const [overflow, format, bits] of [
    ['wrap-sign-magnitude', 'Q3.12', 0],
    ['saturate-zero', 'Q2.3', 0],
    ['saturate-symmetric', 'Q7.16', 0],
    ['wrap', 'Q2.3', 2],
  ] as const) {
    it(`${overflow}${bits ? ` with N = ${bits}` : ''} on ${format}: undetermined, naming the mode`, () => {
      const c0 = makeConfiguration({
        format,
        activation: 'relu',
        overflow: overflow.startsWith('wrap') ? 'wrap' : 'saturate',
      });
      const c: Configuration = {
        ...c0,
        policy: { ...c0.policy, overflow, ...(bits ? { saturationBits: bits } : {}) },
      };
      const v = decide(c);
      expect(v.verdict).toBe('undetermined');
      expect(v.reason).toMatch(new RegExp(`overflow ${overflow}`));
    });
  }
  it('the three modes of the theory pass the guard (relu on Q2.3)', () => {
    for (const overflow of ['saturate', 'wrap', 'error'])
      expect(decide(makeConfiguration({ format: 'Q2.3', activation: 'relu', overflow })).reason).not.toMatch(
        /proofs cover saturate, wrap and error only/,
      );
  });
});
