import { describe, expect, it } from 'vitest';
import { unlimitedBudget } from '../src/engine/budget.js';
import { verifyCertificate } from '../src/engine/certificate.js';
import { activationShape } from '../src/engine/wide/activation-shape.js';
import { materializeWideCertificate } from '../src/engine/wide/materialize-wide.js';
import { findWideCertificate } from '../src/engine/wide/wide-certificate.js';
import { wideSetting } from '../src/engine/wide/wide-setting.js';
import { wideSigma } from '../src/engine/wide/wide-sigma.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { decide } from '../src/expressivity/verdict.js';

// Formats of at most 256 values: `decide` tries the analytic path's family certificates (docs/theory.md §9.5)
// last, after every search and obstruction (random cell: identity on Q5.1, floor, error, exact, bias last;
// §10.6). The certificate written out must pass the exhaustive check of every gadget on every input.
describe('family certificates on formats of at most 256 values (docs/theory.md §9.5, §10.6)', () => {
  for (const format of ['Q3.1', 'Q4.1', 'Q5.1'])
    for (const bias of ['last', 'first'])
      it(`identity ${format} floor error exact ${bias}: universal, the family certificate checked on every input`, () => {
        const c = makeConfiguration({
          activation: 'identity',
          format,
          rounding: 'floor',
          overflow: 'error',
          accumulation: 'exact',
          bias,
          weights: 'all',
        });
        const v = decide(c);
        expect(v.verdict).toBe('universal');
        // the shrinking chains of §10.9 (Proposition SC) are searched before the family certificates and decide
        // these cells first; the family certificate itself is checked below
        expect(v.reason).toMatch(/family certificate|shrinking-chain certificate/);
        const r = wideSigma(wideSetting(c), activationShape(c.activation)!);
        if (typeof r === 'string') throw new Error(r);
        const found = findWideCertificate(r, unlimitedBudget()).certificate;
        expect(found).not.toBeNull();
        const s = settingOf(c);
        const net = materializeWideCertificate(s, found!, r.setting);
        expect(verifyCertificate(s, net)).toBeNull();
        // a mutant: the active value moved by one code (the detectors output the old one): refused
        const broken = { ...net, e: net.e + 1 };
        expect(verifyCertificate(s, broken)).not.toBeNull();
      });
});
