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
import { findWideCertificate } from '../src/engine/wide/wide-certificate.js';
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
      { numRuns: Number(process.env.AUDIT_RUNS ?? 150), seed: Number(process.env.AUDIT_SEED ?? 2026) },
    );
    expect(seen.universal).toBeGreaterThan(10);
    expect(seen.notUniversal).toBeGreaterThan(3);
    expect(seen.error).toBeGreaterThan(3);
  });
});
