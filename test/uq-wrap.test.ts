import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifyCertificate } from '../src/engine/certificate.js';
import {
  findChainCertificate,
  materializeChainCertificate,
  verifyChainCertificate,
} from '../src/engine/chain-certificate.js';
import { cyclicApplies, cyclicProved, leastCyclicSplit } from '../src/engine/cyclic-thresholds.js';
import { reachableUnary } from '../src/engine/fixpoint.js';
import { chainImage, intervalSetting, sigmaRanges, stepPre } from '../src/engine/interval-chain.js';
import { fullRange, outputRange } from '../src/engine/output-range.js';
import { unary } from '../src/engine/setting.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { decide } from '../src/expressivity/verdict.js';
import { recheckClassical } from './reference-gadget.js';

// UQm.n under overflow wrap (docs/theory.md §10.8): every weight is ≥ 0, so the cyclic chains of §10.3
// rotate by +1 only (L_z = [(1, top − z), R]) on a window J = [split, top] of length ≤ (N + 1)/2, and
// interval images are taken in windows (each operation wraps by one multiple of N over the interval).

const config = (format: string, activation: string, extra: Record<string, string> = {}) =>
  makeConfiguration({ format, activation, overflow: 'wrap', ...extra });

describe('interval images in windows (wrap)', () => {
  const cases = ['identity', 'relu', 'gelu', 'tanh', 'softplus', 'sigmoid'].flatMap((a) =>
    ['UQ2.3', 'UQ1.3', 'ap_fixed<6,3>'].flatMap((f) => [
      settingOf(config(f, a)),
      settingOf(config(f, a, { accumulation: 'exact', rounding: 'ceil' })),
      settingOf(config(f, a, { bias: 'first', rounding: 'nearest-even' })),
      settingOf(config(f, a, { rounding: 'nearest-away', accumulation: 'exact', bias: 'first' })),
    ]),
  );

  it('contain every output of a chain on an interval, also where a whole side wraps (random chains)', () => {
    let wrapped = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: cases.length - 1 }),
        fc.array(fc.tuple(fc.integer(), fc.integer()), { minLength: 1, maxLength: 3 }),
        fc.integer(),
        fc.integer(),
        (k, raw, p, q) => {
          const s = cases[k];
          const code = (v: number) => s.min + (((v % s.size) + s.size) % s.size);
          const steps = raw.map(([w, b]) => [code(w), code(b)] as const);
          const lo = Math.min(code(p), code(q));
          const hi = Math.max(code(p), code(q));
          const img = chainImage(sigmaRanges(s), steps, lo, hi);
          if (img === null) return; // no claim: some operation wraps by different multiples of N
          // the no-wrap shadow would have refused it: some operation wraps on the whole interval
          const sh = intervalSetting(s);
          if (!(stepPre(sh, steps[0][0], steps[0][1], lo) >= s.min)) wrapped++;
          for (let x = lo; x <= hi; x++) {
            let h = x;
            for (const [w, b] of steps) h = unary(s, w, h, b);
            expect(h).toBeGreaterThanOrEqual(img[0]);
            expect(h).toBeLessThanOrEqual(img[1]);
          }
        },
      ),
      { numRuns: 1500, seed: 8 },
    );
    // the property is not vacuous: images through a wrapping first step were claimed and checked
    expect(wrapped).toBeGreaterThan(20);
  });

  it('refuse an interval on which an operation wraps by two different multiples of N', () => {
    const s = settingOf(config('UQ2.3', 'identity'));
    // x ⊕ 16: codes 0 … 15 stay, 16 … 31 wrap; [10, 20] straddles the wrap
    expect(chainImage(sigmaRanges(s), [[s.one, 16]], 10, 20)).toBeNull();
    // [16, 31] wraps as a whole onto [0, 15]
    expect(chainImage(sigmaRanges(s), [[s.one, 16]], 16, 31)).toEqual([0, 15]);
  });
});

describe('cyclic certificates by +1 rotations on UQ formats (wrap), checked on every input', () => {
  const cells: Array<[string, string, Record<string, string>]> = [
    ['UQ2.3', 'identity', {}],
    ['UQ2.3', 'identity', { rounding: 'ceil' }],
    ['UQ2.3', 'relu', { accumulation: 'exact', rounding: 'nearest-away' }],
    ['UQ3.2', 'gelu', { bias: 'first' }],
    ['UQ2.3', 'silu', { rounding: 'toward-zero' }],
    ['UQ3.3', 'elu', { rounding: 'nearest-even', accumulation: 'exact' }],
    ['UQ3.3', 'tanh', {}],
    ['UQ3.3', 'tanh', { rounding: 'ceil', accumulation: 'exact' }],
  ];
  for (const [format, activation, extra] of cells) {
    it(`${activation} on ${format} ${JSON.stringify(extra)}: found, verified, materialized, mutations rejected`, () => {
      const c = config(format, activation, extra);
      const s = settingOf(c);
      expect(cyclicApplies(s)).toBe(true);
      const { certificate, tried } = findChainCertificate(s);
      expect(certificate?.cyclic, tried.join('; ')).toBeDefined();
      if (!certificate?.cyclic) return;
      const { split } = certificate.cyclic;
      const top = certificate.cyclic.top ?? s.max;
      expect(2 * (top - split)).toBeLessThanOrEqual(s.size - 1);
      if (top === s.max) expect(split).toBeGreaterThanOrEqual(leastCyclicSplit(s));
      // no weight −1 on UQ: every L_z rotates by +1 onto top
      for (let z = s.min; z <= s.max; z++)
        expect(certificate.le[z - s.min]?.[0]).toEqual([s.one, top - z < 0 ? top - z + s.size : top - z]);
      expect(verifyChainCertificate(s, certificate)).toBeNull();
      const full = materializeChainCertificate(s, certificate);
      expect(verifyCertificate(s, full)).toBeNull();
      recheckClassical(c, full, s.min, s.max);
      // mutations: a rotation one code off (U and L), and a window one code too long
      const z = 3;
      for (const dir of ['ge', 'le'] as const) {
        const table = (dir === 'ge' ? certificate.ge : certificate.le).slice();
        const chain = table[z - s.min] as readonly (readonly [number, number])[];
        const b = chain[0][1] === s.max ? s.min : chain[0][1] + 1;
        table[z - s.min] = [[chain[0][0], b], ...chain.slice(1)];
        const broken = dir === 'ge' ? { ...certificate, ge: table } : { ...certificate, le: table };
        expect(verifyChainCertificate(s, broken)).toMatch(/cyclic chain [UL] of code 3/);
        expect(verifyCertificate(s, materializeChainCertificate(s, broken))).not.toBeNull();
      }
      const r = sigmaRanges(s);
      const u = certificate.ge[z - s.min] as readonly (readonly [number, number])[];
      expect(cyclicProved(s, r, certificate.e, split, 'ge', z, u, top)).toBe(true);
      if (top === s.max) expect(cyclicProved(s, r, certificate.e, split - 1, 'ge', z, u)).toBe(false);
      else expect(cyclicProved(s, r, certificate.e, split, 'ge', z, u, top + 1)).toBe(false);
    });
  }

  it('tanh on UQ3.3 uses a window at the bottom of the codes (σ_F saturates on [N/2, max])', () => {
    const s = settingOf(config('UQ3.3', 'tanh'));
    const { certificate } = findChainCertificate(s);
    expect(certificate?.cyclic?.top).toBeDefined();
    expect(certificate?.cyclic?.split).toBe(s.min);
  });

  it('agrees with the fixpoint on 2-bit UQ formats: universal cells compute every function 𝕀 → 𝕀', () => {
    let checked = 0;
    for (const f of ['UQ1.1', 'UQ2.0', 'UQ0.2'])
      for (const a of ['identity', 'relu', 'tanh', 'gelu'])
        for (const rounding of ['floor', 'ceil', 'nearest-even']) {
          const s = settingOf(config(f, a, { rounding }));
          const { certificate } = findChainCertificate(s);
          if (!certificate) continue;
          expect(verifyChainCertificate(s, certificate)).toBeNull();
          const fix = reachableUnary(s, { distinctSources: true, sigmaOutput: false });
          expect(fix.status).toBe('done');
          if (fix.status === 'done') expect(fix.missing, `${a} ${f} ${rounding}`).toBeNull();
          checked++;
        }
    expect(checked).toBeGreaterThan(10);
  });
});

describe('audit: what verifyChainCertificate accepts on UQ under wrap, mutated or not, the exhaustive check accepts', () => {
  it('random UQ configurations, every step of the threshold chains moved by one code (weight or bias)', {
    timeout: 60_000,
  }, () => {
    let accepted = 0;
    let mutatedAccepted = 0;
    let mutatedRejected = 0;
    fc.assert(
      fc.property(
        fc.record({
          format: fc.constantFrom('UQ1.3', 'UQ2.2', 'UQ2.3', 'UQ3.2'),
          act: fc.constantFrom('identity', 'relu', 'gelu', 'silu', 'tanh', 'elu', 'hard-swish', 'mish'),
          rounding: fc.constantFrom(
            'floor',
            'ceil',
            'nearest-even',
            'nearest-away',
            'toward-zero',
            'nearest-up',
          ),
          accumulation: fc.constantFrom('sequential', 'exact'),
          bias: fc.constantFrom('last', 'first'),
        }),
        fc.nat(),
        fc.nat(),
        (o, seedA, seedB) => {
          const c = config(o.format, o.act, {
            rounding: o.rounding,
            accumulation: o.accumulation,
            bias: o.bias,
          });
          const s = settingOf(c);
          const { certificate: cert } = findChainCertificate(s);
          if (!cert) return;
          const label = `${o.act} ${o.format} ${o.rounding} ${o.accumulation} ${o.bias}`;
          expect(verifyChainCertificate(s, cert), label).toBeNull();
          accepted++;
          expect(verifyCertificate(s, materializeChainCertificate(s, cert)), label).toBeNull();
          for (const dir of ['ge', 'le'] as const) {
            const table = dir === 'ge' ? cert.ge : cert.le;
            const z = s.min + ((seedA + (dir === 'le' ? 7 : 0)) % s.size);
            const chain = table[z - s.min] as readonly (readonly [number, number])[];
            const i = seedB % chain.length;
            for (const [dw, db] of [
              [0, 1],
              [0, -1],
              [1, 0],
              [-1, 0],
            ]) {
              const [w, b] = chain[i];
              if (w + dw < s.min || w + dw > s.max || b + db < s.min || b + db > s.max) continue;
              const moved = chain.map((st, k) => (k === i ? ([w + dw, b + db] as const) : st));
              const copy = table.slice();
              copy[z - s.min] = moved;
              const v = dir === 'ge' ? { ...cert, ge: copy } : { ...cert, le: copy };
              if (verifyChainCertificate(s, v) === null) {
                mutatedAccepted++;
                expect(
                  verifyCertificate(s, materializeChainCertificate(s, v)),
                  `mutant of ${label}`,
                ).toBeNull();
              } else mutatedRejected++;
            }
          }
        },
      ),
      { numRuns: 40, seed: 12 },
    );
    expect(accepted).toBeGreaterThan(15);
    expect(mutatedRejected).toBeGreaterThan(20);
    // some moved chains are still right (and proved): the exhaustive check must agree on them too
    expect(mutatedAccepted).toBeGreaterThan(0);
  });
});

describe('the output range under wrap', () => {
  it('one of ±ε as a term fills R_β: agrees with the enumeration on small UQ formats', () => {
    for (const a of ['softplus', 'sigmoid', 'identity', 'hard-sigmoid'])
      for (const bias of ['last', 'first']) {
        const s = settingOf(config('UQ2.3', a, { bias }));
        const why = fullRange(s);
        // enumeration: the accumulator values reachable from the start by terms w⊗v (v a non-zero σ_F value)
        const terms = new Set<number>();
        for (const v of s.sigma) if (v !== 0) for (const w of s.weights) terms.add(s.mul(w, v));
        const starts = bias === 'first' ? [s.min] : [0];
        for (const start of starts) {
          const seen = new Set([start]);
          const todo = [start];
          while (todo.length > 0) {
            const acc = todo.pop() as number;
            for (const t of terms) {
              const n = s.add(acc, t);
              if (!seen.has(n)) {
                seen.add(n);
                todo.push(n);
              }
            }
          }
          if (why) expect(seen.size, `${a} ${bias}`).toBe(s.size);
        }
        expect(why, `${a} ${bias}`).not.toBeNull();
      }
  });

  it('softplus on UQ8.8 (wrap, sequential): the range test answers at once, and the cell is decided fast', () => {
    const c = config('UQ8.8', 'softplus', { rounding: 'nearest-even' });
    const t0 = Date.now();
    expect(outputRange(settingOf(c)).full).toMatch(/ε is a term w⊗σ_F\(h\) and overflow wraps/);
    // universal by an idle chain certificate under wrap (docs/theory.md §10.8, test/uq-wrap-idle.test.ts)
    expect(decide(c).verdict).toBe('universal');
    expect(Date.now() - t0).toBeLessThan(20_000);
  });
});
