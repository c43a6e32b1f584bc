/**
 * Adversarial audit of the analytic path above 16 bits (docs/theory.md §9.5: Lemmas F, G, BE, the affine
 * obstruction under wrap and error, family and cyclic certificates): `decideWide` is run on the 4–6-bit
 * analogues of its configurations, where the tabulated engine decides exhaustively, across every rounding
 * mode (Lemma G's four and the four it excludes), the three engine overflow modes, both accumulations,
 * both bias orders, both weight sets and the Q, SQ and UQ encodings. Its verdict may be weaker than the
 * exhaustive one, never opposite; every certificate it reports is written out and checked on every input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUILTIN_NAMES } from '../src/activations/builtin-activations.js';
import { ROUNDING_MODES } from '../src/core/rounding.js';
import { unlimitedBudget } from '../src/engine/budget.js';
import { verifyCertificate } from '../src/engine/certificate.js';
import { checkDist } from '../src/engine/dist.js';
import { activationShape } from '../src/engine/wide/activation-shape.js';
import { decideWide } from '../src/engine/wide/decide-wide.js';
import { materializeWideCertificate } from '../src/engine/wide/materialize-wide.js';
import {
  findWideCertificate,
  verifyWideCertificate,
  type WideCertificate,
} from '../src/engine/wide/wide-certificate.js';
import { wideSetting } from '../src/engine/wide/wide-setting.js';
import { wideSigma } from '../src/engine/wide/wide-sigma.js';
import { binaryApplicable, makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { decide } from '../src/expressivity/verdict.js';

const configArb = fc
  .record({
    m: fc.integer({ min: 0, max: 4 }),
    n: fc.integer({ min: 0, max: 5 }),
    kind: fc.constantFrom('Q', 'Q', 'SQ', 'UQ'),
    act: fc.constantFrom(...BUILTIN_NAMES),
    rounding: fc.constantFrom(...ROUNDING_MODES),
    overflow: fc.constantFrom('saturate', 'wrap', 'error', 'error'),
    accumulation: fc.constantFrom('sequential', 'exact'),
    bias: fc.constantFrom('last', 'first'),
    weights: fc.constantFrom('all', 'binary', 'binary'),
  })
  .map((o) => ({ ...o, bits: o.m + o.n + (o.kind === 'UQ' ? 0 : 1) }))
  .filter(
    (o) =>
      o.bits >= 4 &&
      o.bits <= Number(process.env.AUDIT_BITS ?? 5) &&
      !(o.kind === 'SQ' && o.overflow === 'wrap'),
  )
  .map((o) =>
    makeConfiguration({
      format: `${o.kind}${o.m}.${o.n}`,
      activation: o.act,
      rounding: o.rounding,
      overflow: o.overflow,
      accumulation: o.accumulation,
      bias: o.bias,
      weights: o.weights,
    }),
  )
  .filter((c) => c.weights === 'all' || binaryApplicable(c.format));

describe('audit: the analytic path never contradicts the exhaustive engine (4–5 bits)', () => {
  it('universal only with a certificate that passes the exhaustive check; not-universal never against decide', {
    timeout: Number(process.env.AUDIT_TIMEOUT ?? 60_000),
  }, () => {
    const seen = { universal: 0, notUniversal: 0, error: 0 };
    fc.assert(
      fc.property(configArb, (c) => {
        if (!activationShape(c.activation)) return;
        const wide = decideWide(c, unlimitedBudget());
        if (wide.verdict === 'undetermined') return;
        const s = settingOf(c);
        if (c.policy.overflow === 'error') seen.error++;
        const exact = decide(c);
        const label = `${c.activation.key} ${c.format.spec} ${c.policy.rounding} ${c.policy.overflow} ${c.accumulation} ${c.bias} ${c.weights}: ${wide.reason}`;
        if (wide.verdict === 'not-universal') {
          seen.notUniversal++;
          expect(exact.verdict, label).not.toBe('universal');
          // a DIST witness must be one: the two codes give equal values under every unary neuron
          if (wide.dist?.holds === false) expect(checkDist(s).holds, label).toBe(false);
          return;
        }
        seen.universal++;
        expect(exact.verdict, label).not.toBe('not-universal');
        const r = wideSigma(wideSetting(c), activationShape(c.activation)!);
        if (typeof r === 'string') return;
        const found = findWideCertificate(r, unlimitedBudget()).certificate;
        // universal without a family certificate only by the linear-unit theorem (§5)
        if (!found) expect(wide.reason, label).toMatch(/linear-unit/);
        else expect(verifyCertificate(s, materializeWideCertificate(s, found, r.setting)), label).toBeNull();
      }),
      { numRuns: Number(process.env.AUDIT_RUNS ?? 120), seed: Number(process.env.AUDIT_SEED ?? 2026) },
    );
    expect(seen.universal).toBeGreaterThan(10);
    expect(seen.notUniversal).toBeGreaterThan(3);
    expect(seen.error).toBeGreaterThan(3);
  });
});

/** One-code mutants of a family certificate: delay, AND, a split, a rest step, a gain window, a single. */
function mutants(c: WideCertificate): WideCertificate[] {
  const out: WideCertificate[] = [];
  const bump = (steps: readonly (readonly [bigint, bigint])[], d: bigint) =>
    steps.map(([w, b], i) => (i === 0 ? ([w, b + d] as const) : ([w, b] as const)));
  for (const d of [1n, -1n]) {
    out.push({ ...c, delay: bump(c.delay, d) });
    out.push({ ...c, and: { ...c.and, b: c.and.b + d } });
    out.push({ ...c, and: { ...c.and, w: c.and.w + d } });
    c.families.forEach((f, i) => {
      const families = (g: typeof f) => c.families.map((x, j) => (j === i ? g : x));
      out.push({ ...c, families: families({ ...f, split: f.split + d }) });
      if (f.ge && f.ge.length > 0) out.push({ ...c, families: families({ ...f, ge: bump(f.ge, d) }) });
      if (f.le && f.le.length > 0) out.push({ ...c, families: families({ ...f, le: bump(f.le, d) }) });
      if (f.window) {
        out.push({ ...c, families: families({ ...f, window: [f.window[0] - d, f.window[1]] }) });
        out.push({ ...c, families: families({ ...f, window: [f.window[0], f.window[1] + d] }) });
      }
    });
    if (c.singles.length > 0) {
      const [x, ...rest] = c.singles;
      out.push({ ...c, singles: [{ ...x, steps: bump(x.steps, d) }, ...rest] });
      out.push({ ...c, singles: [{ ...x, t: x.t + d }, ...rest] });
    }
    if (c.amplifier && c.amplifier.length > 0) out.push({ ...c, amplifier: bump(c.amplifier, d) });
  }
  return out;
}

describe('audit: one-code mutants of family certificates (4–5 bits)', () => {
  it('a mutant the analytic verifier accepts passes the exhaustive check; most are rejected', () => {
    let rejected = 0;
    let accepted = 0;
    let certs = 0;
    fc.assert(
      fc.property(configArb, (c) => {
        const shape = activationShape(c.activation);
        if (!shape) return;
        const r = wideSigma(wideSetting(c), shape);
        if (typeof r === 'string') return;
        const found = findWideCertificate(r, unlimitedBudget()).certificate;
        if (!found) return;
        certs++;
        const s = settingOf(c);
        for (const m of mutants(found)) {
          if (verifyWideCertificate(r, m) !== null) {
            rejected++;
            continue;
          }
          accepted++;
          const label = `${c.activation.key} ${c.format.spec} ${c.policy.rounding} ${c.policy.overflow} ${c.accumulation} ${c.bias} ${c.weights} ${m.mode}`;
          expect(verifyCertificate(s, materializeWideCertificate(s, m, r.setting)), label).toBeNull();
        }
      }),
      { numRuns: 120, seed: 404 },
    );
    expect(certs).toBeGreaterThan(5);
    expect(rejected).toBeGreaterThan(certs);
    expect(accepted).toBeGreaterThanOrEqual(0);
  });
});

describe('audit: the analytic verifier refuses a bias outside 𝕀', () => {
  it('elu on Q3.0 (saturate, all weights): a stored step with bias max + ε is rejected (it was accepted before)', () => {
    const c = makeConfiguration({ format: 'Q3.0', activation: 'elu' });
    const r = wideSigma(wideSetting(c), activationShape(c.activation)!);
    if (typeof r === 'string') throw new Error(r);
    const found = findWideCertificate(r, unlimitedBudget()).certificate;
    expect(found).not.toBeNull();
    if (!found) return;
    expect(verifyWideCertificate(r, found)).toBeNull();
    const s = r.setting;
    const outside = mutants(found).filter(
      (m) =>
        [
          m.delay,
          m.and.rest,
          ...m.singles.map((x) => x.steps),
          ...m.families.flatMap((f) => [f.ge ?? [], f.le ?? []]),
        ]
          .flat()
          .some(([, b]) => b < s.min || b > s.max) ||
        m.and.b < s.min ||
        m.and.b > s.max,
    );
    expect(outside.length).toBeGreaterThan(0);
    for (const m of outside) expect(verifyWideCertificate(r, m)).toMatch(/bias is not a value/);
  });
});
