import { describe, expect, it } from 'vitest';
import { verifyCertificate } from '../src/engine/certificate.js';
import {
  findChainCertificate,
  materializeChainCertificate,
  verifyChainCertificate,
} from '../src/engine/chain-certificate.js';
import { fanEmitters } from '../src/engine/fan-emitters.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { recheckClassical } from './reference-gadget.js';

// Fan emitters (docs/theory.md §10.2): one shared two-layer gadget whose outputs are 0 at 0 and
// 1, 2, …, 2^J (and copies of 2^J) at e, read with signs ±1. On small formats the chain search finds
// shorter emitters; here the fan emitters replace them and the whole certificate is checked again.

const cells: Array<[string, string, string, Record<string, string>]> = [
  ['Q2.3', 'gelu', 'binary', {}],
  ['Q2.3', 'identity', 'binary', {}],
  ['Q2.3', 'sigmoid', 'binary', {}],
  ['Q1.4', 'tanh', 'binary', { accumulation: 'exact' }],
  ['Q2.3', 'silu', 'binary', { bias: 'first' }],
  ['ap_fixed<6,3>', 'sigmoid', 'all', {}],
];

describe('fan emitters', () => {
  for (const [format, activation, weights, extra] of cells) {
    it(`${activation} on ${format}, ${weights} weights ${JSON.stringify(extra)}: every emitter gives its y (both verifiers, reference evaluator)`, () => {
      const c = makeConfiguration({ format, activation, weights, ...extra });
      const s = settingOf(c);
      const { certificate } = findChainCertificate(s);
      expect(certificate).not.toBeNull();
      if (!certificate) return;
      const fan = fanEmitters(s, certificate.e);
      if (typeof fan === 'string') throw new Error(fan);
      // a real fan: a shared first layer of copies and more than one output
      const some = fan.emitters.find((em) => em.weights.length > 0);
      expect(some?.gadget.layers.length).toBe(2);
      expect(some?.weights.every((w) => Math.abs(w) === s.one)).toBe(true);
      const cert = { ...certificate, ...fan };
      expect(verifyChainCertificate(s, cert)).toBeNull();
      const full = materializeChainCertificate(s, cert);
      expect(verifyCertificate(s, full)).toBeNull();
      recheckClassical(c, full, s.min, s.max);
      // a flipped sign gives another y: both verifiers reject it
      const y = s.max - 2;
      const em = cert.emitters[y - s.min];
      const flipped = [...em.weights];
      flipped[0] = -flipped[0];
      const emitters = cert.emitters.slice();
      emitters[y - s.min] = { ...em, weights: flipped };
      const broken = { ...cert, emitters };
      expect(verifyChainCertificate(s, broken)).toMatch(new RegExp(`E_${y} gives`));
      expect(verifyCertificate(s, materializeChainCertificate(s, broken))).not.toBeNull();
    });
  }

  it('say why when σ_F has no zero (binary weights cannot read an idle value then)', () => {
    const s = settingOf(makeConfiguration({ format: 'Q1.3', activation: 'softplus', weights: 'binary' }));
    expect(fanEmitters(s, 1)).toMatch(/zero of σ_F/);
  });

  it('are refused, not built, when their output terms in all would exceed the bound (mish on Q13.2 ran out of memory)', () => {
    // mish_F reaches only small powers of two from the first layer there, so c ≈ −min/2^J copies per emitter
    const s = settingOf(makeConfiguration({ format: 'Q13.2', activation: 'mish' }));
    const before = process.memoryUsage().heapUsed;
    const r = fanEmitters(s, 2);
    expect(r).toMatch(/output terms in all/);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(200e6);
  });
});
