/**
 * Audit (docs/theory.md §9.2): a certificate is a set of networks of the configuration, so both verifiers
 * must refuse a parameter outside it. Before the fix, `verifyChainCertificate` and the exhaustive
 * `verifyCertificate` evaluated whatever parameters they were given: with binary weights {−1, 1}, an AND
 * gadget whose weight was moved by one code (−1 − ε, outside W) still gives e·[u = v = e] on {0, e}², and
 * both accepted the certificate, i.e. a universality proof using a weight the configuration lacks.
 */
import { describe, expect, it } from 'vitest';
import { verifyCertificate } from '../src/engine/certificate.js';
import {
  findChainCertificate,
  materializeChainCertificate,
  verifyChainCertificate,
} from '../src/engine/chain-certificate.js';
import { runGadget } from '../src/engine/gadget.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';

describe('audit: certificates use only the configuration’s weights and biases', () => {
  for (const [format, activation] of [
    ['Q2.3', 'tanh'],
    ['Q2.4', 'leaky-relu'],
    ['Q2.3', 'silu'],
  ]) {
    it(`${activation} on ${format}, binary weights: an AND weight outside {−1, 1} is rejected by both verifiers`, () => {
      const s = settingOf(makeConfiguration({ format, activation, weights: 'binary' }));
      const { certificate: c } = findChainCertificate(s);
      expect(c).not.toBeNull();
      if (!c) return;
      expect(verifyChainCertificate(s, c)).toBeNull();
      expect(verifyCertificate(s, materializeChainCertificate(s, c))).toBeNull();
      const n = c.and.layers[0][0];
      let sameBehaviour = 0;
      for (const d of [1, 2]) {
        const edges = n.edges.map(([i, w]) => [i, w + Math.sign(w) * d] as const);
        const and = { ...c.and, layers: [[{ ...n, edges }], ...c.and.layers.slice(1)] };
        // the mutated AND still computes AND on {0, e}² (so only the weight-set check can refuse it)
        let same = true;
        for (const u of [0, c.e])
          for (const v of [0, c.e])
            if (runGadget(s, and, [u, v])[0] !== runGadget(s, c.and, [u, v])[0]) same = false;
        if (same) sameBehaviour++;
        const m = { ...c, and };
        expect(verifyChainCertificate(s, m)).toMatch(/outside the weight set/);
        expect(verifyCertificate(s, materializeChainCertificate(s, m))).toMatch(/outside the weight set/);
      }
      expect(sameBehaviour).toBeGreaterThan(0);
    });
  }

  it('a bias outside the format is rejected', () => {
    const s = settingOf(makeConfiguration({ format: 'Q2.3', activation: 'tanh', weights: 'binary' }));
    const { certificate: c } = findChainCertificate(s);
    if (!c) throw new Error('no certificate');
    const delay = c.delay.map(([w, b], i) => (i === 0 ? ([w, b + s.size] as const) : ([w, b] as const)));
    expect(verifyChainCertificate(s, { ...c, delay })).toMatch(/outside the configuration/);
  });
});
