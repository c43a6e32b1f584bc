import { describe, expect, it } from 'vitest';
import { unlimitedBudget } from '../src/engine/budget.js';
import { verifyCertificate } from '../src/engine/certificate.js';
import { reachableUnary } from '../src/engine/fixpoint.js';
import { activationShape } from '../src/engine/wide/activation-shape.js';
import { decideWide } from '../src/engine/wide/decide-wide.js';
import { materializeWideCertificate } from '../src/engine/wide/materialize-wide.js';
import {
  findWideCertificate,
  verifyWideCertificate,
  type WideCertificate,
} from '../src/engine/wide/wide-certificate.js';
import { plusCyclicApplies } from '../src/engine/wide/wide-plus-cyclic.js';
import { wideSetting } from '../src/engine/wide/wide-setting.js';
import { type WideSigma, wideSigma } from '../src/engine/wide/wide-sigma.js';
import { type Configuration, makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { recheckClassical } from './reference-gadget.js';

// Lemma C+ (docs/theory.md §9.5): cyclic families by +1 rotations on the window [s, max] for unsigned formats
// under wrap. The same lemma on 5–6-bit UQ formats, written out gadget by gadget, must pass the exhaustive
// verifier and the reference evaluator; mutants must fail; 2-bit formats must agree with the fixpoint.

const sigmaOf = (c: Configuration): WideSigma => {
  const r = wideSigma(wideSetting(c), activationShape(c.activation)!);
  if (typeof r === 'string') throw new Error(r);
  return r;
};

const plusCert = (c: Configuration): WideCertificate | null => {
  const cert = findWideCertificate(sigmaOf(c), unlimitedBudget()).certificate;
  return cert?.plus ? cert : null;
};

/** The exhaustive verdict on a certificate written out (a thrown materialization counts as a failure). */
const exhaustive = (c: Configuration, cert: WideCertificate): string | null => {
  const s = settingOf(c);
  try {
    return verifyCertificate(s, materializeWideCertificate(s, cert));
  } catch (e) {
    return String(e);
  }
};

describe('Lemma C+: +1 rotations on a window, written out on small UQ formats', () => {
  it('applies only to unsigned formats under wrap with all weights', () => {
    const ok = (format: string, overflow: string, weights = 'all') =>
      plusCyclicApplies(sigmaOf(makeConfiguration({ activation: 'relu', format, overflow, weights })));
    expect(ok('UQ3.3', 'wrap')).toBe(true);
    expect(ok('UQ3.3', 'saturate')).toBe(false);
    expect(ok('Q3.3', 'wrap')).toBe(false);
    expect(ok('UQ0.5', 'wrap')).toBe(false); // 1 is not a value
  });

  it('every certificate found passes the exhaustive verifier and the reference evaluator; mutants fail', {
    timeout: 60_000,
  }, () => {
    let found = 0;
    let ceil = 0;
    let mutants = 0;
    for (const format of ['UQ3.3', 'UQ2.3', 'UQ3.2'])
      for (const activation of ['identity', 'relu', 'leaky-relu', 'elu', 'gelu', 'silu', 'hard-swish'])
        for (const [rounding, accumulation, bias] of [
          ['floor', 'sequential', 'first'],
          ['nearest-even', 'exact', 'last'],
          ['nearest-zero', 'sequential', 'last'],
          ['toward-zero', 'exact', 'first'],
          ['ceil', 'sequential', 'last'],
          ['ceil', 'exact', 'first'],
        ]) {
          const c = makeConfiguration({ activation, format, overflow: 'wrap', rounding, accumulation, bias });
          const cert = plusCert(c);
          if (!cert) continue;
          found++;
          if (rounding === 'ceil') ceil++;
          const r = sigmaOf(c);
          expect(verifyWideCertificate(r, cert)).toBeNull();
          const s = settingOf(c);
          const full = materializeWideCertificate(s, cert);
          expect(verifyCertificate(s, full), `${activation} ${format} ${rounding}`).toBeNull();
          recheckClassical(c, full, s.min, s.max);
          const f = cert.families[0];
          // L_z with −1 (the §10.3 family) is refused: −1 is not a weight
          expect(verifyWideCertificate(r, { ...cert, plus: false })).not.toBeNull();
          // a window longer than (N − 1)/2: the arcs of U_z and L_z meet twice
          const n = BigInt(s.size);
          const long = { ...cert, families: [{ ...f, split: BigInt(s.max) - (n - 1n) / 2n - 1n }] };
          expect(verifyWideCertificate(r, long)).not.toBeNull();
          expect(exhaustive(c, long)).not.toBeNull();
          // moved splits: whatever the analytic verifier accepts, the exhaustive check accepts too
          for (const d of [-1n, 1n, 2n]) {
            const moved = { ...cert, families: [{ ...f, split: f.split + d }] };
            if (verifyWideCertificate(r, moved) === null) expect(exhaustive(c, moved)).toBeNull();
            else mutants++;
          }
        }
    expect(found).toBeGreaterThan(60);
    expect(ceil).toBeGreaterThan(10);
    expect(mutants).toBeGreaterThan(10);
  });

  it('agrees with the fixpoint on 2-bit UQ formats: where it finds a certificate, every function 𝕀 → 𝕀 is computed', () => {
    let checked = 0;
    for (const format of ['UQ1.1', 'UQ2.0'])
      for (const activation of ['identity', 'relu', 'gelu', 'silu'])
        for (const rounding of ['floor', 'nearest-even', 'nearest-up', 'toward-zero']) {
          const c = makeConfiguration({ activation, format, overflow: 'wrap', rounding });
          if (!plusCert(c)) continue;
          const fix = reachableUnary(settingOf(c), { distinctSources: true, sigmaOutput: false });
          expect(fix.status).toBe('done');
          if (fix.status === 'done') expect(fix.missing, `${activation} ${format} ${rounding}`).toBeNull();
          checked++;
        }
    expect(checked).toBeGreaterThan(4);
  });

  it('decides UQ16.16 relu under wrap (toward-zero, sequential, bias first) universal by Lemma C+', () => {
    const c = makeConfiguration({
      activation: 'relu',
      format: 'UQ16.16',
      overflow: 'wrap',
      rounding: 'toward-zero',
      accumulation: 'sequential',
      bias: 'first',
    });
    const v = decideWide(c, unlimitedBudget());
    expect(v.verdict).toBe('universal');
    expect(v.reason).toMatch(/Lemma C\+/);
  });
});
