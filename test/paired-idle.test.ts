import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkDist } from '../src/engine/dist.js';
import { lastTermObstruction } from '../src/engine/last-term.js';
import { outputRange } from '../src/engine/output-range.js';
import {
  findPairedIdleCertificate,
  type PairedIdleCertificate,
  verifyPairedIdleCertificate,
} from '../src/engine/paired-idle-certificate.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { decide } from '../src/expressivity/verdict.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';
import { randomTable } from '../src/prng.js';
import { compilePaired as compile } from './paired-network.js';

// Paired idle certificates (docs/theory.md §8.8): under exact accumulation, emitter outputs come in pairs
// (a copy of the delay P read with ω, a copy of the constant chain C read with −ω) whose idle products
// cancel in the exact sum. Networks N_f compiled from a certificate are run on every input by the BigInt
// reference evaluator of src/network; mutated certificates are rejected.

const cells = [
  ['sigmoid', 'Q1.4', 'all', 'last', 'saturate'],
  ['softplus', 'Q0.4', 'all', 'first', 'saturate'],
  ['hard-sigmoid', 'Q1.3', 'all', 'last', 'error'],
  ['sigmoid', 'Q1.3', 'binary', 'last', 'saturate'],
  ['softplus', 'Q1.4', 'binary', 'first', 'saturate'],
  ['sigmoid', 'Q1.4', 'all', 'last', 'wrap'],
  ['hard-sigmoid', 'Q1.4', 'binary', 'last', 'saturate'],
] as const;

describe('paired idle certificates on small formats (exact accumulation, σ_F never 0)', () => {
  it.each(cells)(
    '%s on %s, %s weights, bias %s, %s: N_f computes random tables on every input',
    (activation, format, weights, bias, overflow) => {
      const c = makeConfiguration({ format, activation, weights, bias, overflow, accumulation: 'exact' });
      const s = settingOf(c);
      expect(s.sigma.includes(0)).toBe(false);
      const cert = findPairedIdleCertificate(s).certificate;
      expect(cert).not.toBeNull();
      if (!cert) return;
      expect(verifyPairedIdleCertificate(s, cert)).toBeNull();
      for (const seed of [1, 2, 3]) {
        const f = randomTable(s.size, s.min, s.max, seed);
        const net = compile(c, cert, f);
        for (let x = s.min; x <= s.max; x++)
          expect(Number(evaluateReference(net, [BigInt(x)])[0])).toBe(f[x - s.min]);
      }
      expect(decide(c).verdict).toBe('universal');
    },
  );
});

describe('mutations are rejected', () => {
  const c = makeConfiguration({ format: 'Q1.4', activation: 'sigmoid', accumulation: 'exact' });
  const s = settingOf(c);
  const cert = findPairedIdleCertificate(s).certificate as PairedIdleCertificate;
  const f = randomTable(s.size, s.min, s.max, 7);

  it('C replaced by the delay (C(a) = a: the active pair cancels too)', () => {
    const bad = { ...cert, constant: cert.delay };
    expect(verifyPairedIdleCertificate(s, bad)).toMatch(/C fails/);
    const net = compile(c, bad, f);
    let wrong = 0;
    for (let x = s.min; x <= s.max; x++)
      if (Number(evaluateReference(net, [BigInt(x)])[0]) !== f[x - s.min]) wrong++;
    expect(wrong).toBeGreaterThan(0);
  });

  it('a run weight outside W, β outside 𝕀, a threshold bias moved, the levels swapped', () => {
    // the rule's run weight outside W (its sums reach every y, but no network of the configuration has it)
    expect(verifyPairedIdleCertificate(s, { ...cert, emitters: { run: s.max + 1 } })).toMatch(
      /not both in W/,
    );
    // β outside 𝕀
    expect(verifyPairedIdleCertificate(s, { ...cert, beta: s.max + 1 })).toMatch(/β/);
    const ge = [...cert.ge];
    const t = 3 - s.min;
    const chain = ge[t] as ReadonlyArray<readonly [number, number]>;
    ge[t] = [[chain[0][0], chain[0][1] + 1], ...chain.slice(1)];
    expect(verifyPairedIdleCertificate(s, { ...cert, ge })).toMatch(/x ≥ code 3/);
    expect(verifyPairedIdleCertificate(s, { ...cert, a: cert.idle, idle: cert.a })).not.toBeNull();
  });

  it('the same certificate under sequential accumulation is refused, and its N_f fails there', () => {
    const seq = makeConfiguration({ format: 'Q1.4', activation: 'sigmoid', accumulation: 'sequential' });
    expect(verifyPairedIdleCertificate(settingOf(seq), cert)).toMatch(/exact accumulation/);
    // sequential: the pair terms are rounded one by one, (ω ⊗ a) − (ω ⊗ ι) ≠ rnd(ω·(a − ι)) in general
    const net = compile(seq, cert, f);
    let wrong = 0;
    for (let x = s.min; x <= s.max; x++)
      if (Number(evaluateReference(net, [BigInt(x)])[0]) !== f[x - s.min]) wrong++;
    expect(wrong).toBeGreaterThan(0);
  });
});

describe('a property: every paired certificate found computes random tables, and no obstruction disagrees', () => {
  it('over formats, activations, roundings, overflow modes, bias orders and weight sets (exact accumulation)', () => {
    let checked = 0;
    fc.assert(
      fc.property(
        fc.constantFrom('sigmoid', 'softplus', 'hard-sigmoid', 'tanh', 'relu'),
        fc.constantFrom('Q0.3', 'Q0.4', 'Q1.3', 'Q1.4', 'Q2.3'),
        fc.constantFrom('nearest-even', 'nearest-away', 'floor', 'ceil', 'toward-zero'),
        fc.constantFrom('saturate', 'wrap', 'error'),
        fc.constantFrom('last', 'first'),
        fc.constantFrom('all', 'binary'),
        fc.integer({ min: 1, max: 1000 }),
        (activation, format, rounding, overflow, bias, weights, seed) => {
          if (weights === 'binary' && format.startsWith('Q0.')) return;
          const c = makeConfiguration({
            format,
            activation,
            rounding,
            overflow,
            bias,
            weights,
            accumulation: 'exact',
          });
          const s = settingOf(c);
          const cert = findPairedIdleCertificate(s).certificate;
          if (!cert) return;
          checked++;
          expect(verifyPairedIdleCertificate(s, cert)).toBeNull();
          const f = randomTable(s.size, s.min, s.max, seed);
          const net = compile(c, cert, f);
          for (let x = s.min; x <= s.max; x++)
            expect(Number(evaluateReference(net, [BigInt(x)])[0])).toBe(f[x - s.min]);
          // the obstructions agree: DIST holds and the output range is not an obstruction
          expect(checkDist(s).holds).toBe(true);
          const range = outputRange(s);
          expect(range.largest < s.size && range.hiddenValues < s.size && range.shallowSwap === false).toBe(
            false,
          );
          expect(lastTermObstruction(s).applies).toBe(false);
        },
      ),
      { numRuns: 40, seed: 21 },
    );
    expect(checked).toBeGreaterThan(8);
  });
});
