import { describe, expect, it } from 'vitest';
import {
  exactStart,
  findStartIdleCertificate,
  type StartIdleCertificate,
  startValue,
  verifyStartIdleCertificate,
} from '../src/engine/start-idle-certificate.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';
import { randomTable } from '../src/prng.js';
import { compileStart } from './start-network.js';

// Exact prefixes of start-term certificates (docs/theory.md §8.10, "Exact prefixes"): under `error` the
// constant prefix must reach max (or min) exactly, with m ≤ 64 equal terms w_c ⊗ c; `exactStart` finds w_c
// by bisection on the monotone w ↦ w ⊗ c. Checked against a brute force over every weight and m, and
// through networks N_f run on every input by the BigInt reference evaluator.

const setting = (activation: string, format: string, rounding: string, bias: 'first' | 'last' = 'last') =>
  settingOf(makeConfiguration({ format, activation, rounding, overflow: 'error', bias }));

/** The accumulation of m terms t from 0 with the setting's ⊕ (NaN once it overflows). */
const accumulate = (s: ReturnType<typeof setting>, t: number, m: number) => {
  let acc = 0;
  for (let j = 0; j < m && acc >= s.min; j++) acc = s.add(acc, t);
  return acc;
};

describe('exactStart against a brute force over every weight and every m ≤ 64', () => {
  const cells = [
    ['sigmoid', 'Q2.3', 'ceil'],
    ['sigmoid', 'Q1.4', 'floor'],
    ['softplus', 'Q2.3', 'ceil'],
    ['hard-sigmoid', 'Q1.4', 'ceil'],
    ['sigmoid', 'SQ2.3', 'ceil'],
    ['softplus', 'Q1.5', 'floor'],
  ] as const;
  it.each(cells)('%s on %s (%s): every prefix returned sums exactly; none missed', (a, f, r) => {
    const s = setting(a, f, r);
    let found = 0;
    for (const target of [s.max, s.min])
      for (let b = s.min; b <= s.max; b++) {
        const c = s.sigma[b - s.min];
        if (!(c >= s.min) || c === 0) continue;
        const got = exactStart(s, 2, target, [b]);
        if (got) {
          found++;
          expect(got.chain).toEqual([
            [0, 0],
            [0, b],
          ]);
          expect(accumulate(s, s.mul(got.weight, c), got.copies)).toBe(target);
          continue;
        }
        // none returned: no weight and m ≤ 64 whose m terms sum exactly to the target (w ↦ w ⊗ c is
        // monotone and valid on an interval of weights around 0, so the bisections miss nothing)
        for (let w = s.min; w <= s.max; w++) {
          const t = s.mul(w, c);
          if (!(t >= s.min)) continue;
          for (let m = 1; m <= 64; m++) expect(accumulate(s, t, m), `w=${w}, m=${m}`).not.toBe(target);
        }
      }
    expect(found).toBeGreaterThan(0);
  });
});

describe('start-term certificates with an exact prefix', () => {
  it.each([
    ['sigmoid', 'Q2.3', 'ceil'],
    ['softplus', 'Q2.3', 'ceil'],
    ['hard-sigmoid', 'Q1.4', 'ceil'],
  ] as const)(
    '%s on %s (%s, error, bias last): the found prefix replaced by exactStart’s, N_f right on every input',
    (a, f, r) => {
      const c = makeConfiguration({ format: f, activation: a, rounding: r, overflow: 'error', bias: 'last' });
      const s = settingOf(c);
      const cert = findStartIdleCertificate(s).certificate as StartIdleCertificate;
      expect(cert?.start).toBeTruthy();
      const target = startValue(s, cert);
      const k = cert.start?.chain[cert.start.chain.length - 1][1] as number;
      const start = exactStart(s, cert.delay.length, target, [k]);
      expect(start).not.toBeNull();
      const exact = { ...cert, start };
      expect(verifyStartIdleCertificate(s, exact)).toBeNull();
      const tbl = randomTable(s.size, s.min, s.max, 4);
      const net = compileStart(c, exact, tbl);
      for (let x = s.min; x <= s.max; x++)
        expect(Number(evaluateReference(net, [BigInt(x)])[0])).toBe(tbl[x - s.min]);
      // one copy fewer, or the weight moved by one code: refused (the prefix misses the target)
      const st = start as NonNullable<typeof start>;
      expect(
        verifyStartIdleCertificate(s, { ...exact, start: { ...st, copies: st.copies + 1 } }),
      ).not.toBeNull();
      expect(
        verifyStartIdleCertificate(s, { ...exact, start: { ...st, weight: st.weight + s.one } }),
      ).not.toBeNull();
    },
  );

  it('sigmoid on Q3.12 (ceil, error, sequential, bias last): 7 terms 4682ε ⊗ 4095ε = 4681ε reach max; verified', () => {
    const s = setting('sigmoid', 'Q3.12', 'ceil');
    const cert = findStartIdleCertificate(s).certificate as StartIdleCertificate;
    expect(cert).not.toBeNull();
    expect(cert.start?.copies).toBe(7);
    expect(cert.start?.weight).toBe(4682);
    expect(s.mul(4682, 4095)).toBe(4681);
    expect(startValue(s, cert)).toBe(s.max);
    expect(verifyStartIdleCertificate(s, cert)).toBeNull();
    expect(
      verifyStartIdleCertificate(s, {
        ...cert,
        start: { ...(cert.start as NonNullable<StartIdleCertificate['start']>), weight: 4681 },
      }),
    ).toMatch(/E_/);
  });
});
