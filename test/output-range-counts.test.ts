import { describe, expect, it } from 'vitest';
import { outputRange, outputValues } from '../src/engine/output-range.js';
import type { Setting } from '../src/engine/setting.js';
import { binaryApplicable, makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { parseFormat } from '../src/format.js';

/**
 * R_β by its definition (docs/theory.md §6), with none of output-range.ts's shortcuts (the ±ε probe, the
 * prefix counts, the early stops): T = every non-zero valid w⊗v, the closure of the start under ⊕ t by
 * a plain worklist, then ⊕ β (bias last).
 */
function bruteValues(s: Setting, beta: number): Set<number> {
  const valid = (v: number) => v >= s.min && v <= s.max;
  const terms = new Set<number>();
  for (const w of s.weights)
    for (const v of s.sigma)
      if (valid(v) && v !== 0 && valid(s.mul(w, v)) && s.mul(w, v) !== 0) terms.add(s.mul(w, v));
  const start = s.bias === 'first' ? beta : 0;
  const reach = new Set<number>([start]);
  const work = [start];
  while (work.length > 0) {
    const a = work.pop() as number;
    for (const t of terms) {
      const b = s.add(a, t);
      if (valid(b) && !reach.has(b)) {
        reach.add(b);
        work.push(b);
      }
    }
  }
  if (s.bias === 'first') return reach;
  const out = new Set<number>();
  for (const a of reach) if (valid(s.add(a, beta))) out.add(s.add(a, beta));
  return out;
}

describe('the output-range counts against R_β by its definition', () => {
  it('every β, every overflow mode and bias order, all and binary weights (sequential)', () => {
    let obstructed = 0;
    for (const format of ['Q1.2', 'Q2.1', 'Q0.3', 'UQ2.2', 'SQ1.2'])
      for (const activation of ['identity', 'relu', 'sigmoid', 'step', 'hard-sigmoid', 'tanh'])
        for (const overflow of ['saturate', 'wrap', 'error'])
          for (const bias of ['last', 'first'])
            for (const weights of ['all', 'binary']) {
              if (overflow === 'wrap' && format.startsWith('SQ')) continue;
              if (weights === 'binary' && !binaryApplicable(parseFormat(format))) continue;
              const s = settingOf(makeConfiguration({ format, activation, overflow, bias, weights }));
              const where = `${activation} ${format} ${overflow} ${bias} ${weights}`;
              let best = { largest: 0, beta: s.min };
              const at = outputValues(s);
              for (let beta = s.min; beta <= s.max; beta++) {
                const brute = bruteValues(s, beta);
                expect(
                  [...at(beta)].sort((a, b) => a - b),
                  `${where} β=${beta}`,
                ).toEqual([...brute].sort((a, b) => a - b));
                if (brute.size > best.largest) best = { largest: brute.size, beta };
              }
              const r = outputRange(s);
              expect(r.largest, where).toBe(best.largest);
              if (r.largest < s.size) {
                obstructed++;
                expect(r.beta, where).toBe(best.beta);
              }
            }
    // the comparison covers obstructed cells too (where R_β is not all of 𝕀)
    expect(obstructed).toBeGreaterThan(10);
  });
});

describe('the output range under exact accumulation against the gcd of every product', () => {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  it('R_β = {rnd(β·2ⁿ + k·g)} with g the gcd of every w·v, computed product by product', () => {
    for (const format of ['Q1.2', 'Q2.1', 'UQ2.2', 'SQ1.2', 'UQ3.0'])
      for (const activation of ['identity', 'relu', 'sigmoid', 'gelu', 'softplus'])
        for (const overflow of ['saturate', 'wrap', 'error'])
          for (const weights of ['all', 'binary']) {
            if (overflow === 'wrap' && format.startsWith('SQ')) continue;
            if (weights === 'binary' && !binaryApplicable(parseFormat(format))) continue;
            const s = settingOf(
              makeConfiguration({ format, activation, overflow, weights, accumulation: 'exact' }),
            );
            let g = 0;
            for (const w of s.weights)
              for (const v of s.sigma) if (v >= s.min && v !== 0) g = gcd(g, Math.abs(w * v));
            const at = outputValues(s);
            for (let beta = s.min; beta <= s.max; beta++) {
              const brute = new Set<number>();
              if (g === 0) brute.add(beta);
              else {
                const span = 2 * s.size * s.one;
                for (let x = beta * s.one - span - ((((beta * s.one) % g) + g) % g); x <= span; x += g) {
                  if ((((x - beta * s.one) % g) + g) % g !== 0) continue;
                  const y = s.roundWide(x);
                  if (y >= s.min && y <= s.max) brute.add(y);
                }
              }
              expect(
                [...at(beta)].sort((a, b) => a - b),
                `${activation} ${format} ${overflow} ${weights} β=${beta}`,
              ).toEqual([...brute].sort((a, b) => a - b));
            }
          }
  });
});
