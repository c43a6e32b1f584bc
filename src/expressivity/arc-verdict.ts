import {
  type ArcCertificate,
  arcEmitterCount,
  findArcCertificate,
  materializeArcCertificate,
} from '../engine/arc-certificate.js';
import { verifyDeepGadgetCertificate } from '../engine/deep-gadget-certificate.js';
import type { Setting } from '../engine/setting.js';
import { codeToDecimal } from '../value.js';
import type { CertificateSummary } from './certificates.js';

/** Up to this many values the arc certificate is also written out and checked by §8.11's exhaustive verifier. */
export const ARC_MATERIALIZE_VALUES = 256;

/**
 * The arc certificate (docs/theory.md §8.13, Proposition ARC) of a two-valued σ_F table under `wrap`,
 * searched after every other search and obstruction of `decide`: the certificate (verified by
 * `verifyArcCertificate`; up to 256 values also written out as a deep gadget certificate and checked on
 * every input by `verifyDeepGadgetCertificate`) with its summary and the verdict's reason, or `{ tried }`.
 */
export function arcUniversal(
  s: Setting,
): { certificate: ArcCertificate; summary: CertificateSummary; reason: string } | { tried: string[] } {
  const found = findArcCertificate(s);
  const c = found.certificate;
  if (!c) return { tried: found.tried };
  if (s.size <= ARC_MATERIALIZE_VALUES) {
    const failure = verifyDeepGadgetCertificate(s, materializeArcCertificate(s, c));
    if (failure)
      throw new Error(`arc certificate fails the exhaustive check on ${s.format.spec}: ${failure}`);
  }
  const dec = (code: number) => codeToDecimal(BigInt(code), s.format);
  const k = c.fanIn;
  const reason = `an arc certificate: σ_F takes two values, a = ${dec(c.a)} exactly on the ${c.length} pre-activation codes from ${dec(c.start)} on modulo ${s.size} and ι = ${dec(c.iota)} elsewhere, so under wrap each literal σ_F(1 ⊗ x ⊕ b) is a on an arc of ${c.length} codes of x; D_z ANDs ${k} literals whose complementary arcs cover every x ≠ z (checked by arithmetic for every z, each literal on the engine at its arc's ends), with one ${k}-input neuron of weights 1 and bias ${dec(c.andBias)} checked on {ι, a}^${k}; AND and delay are one neuron each; E_y is k_y ≡ y·δ⁻¹ (mod ${s.size}) copies of the delay read with u = ${dec(c.unit.weight)} (δ = ${c.unit.active - c.unit.idle} codes), and the output bias β_f cancels the idle terms modulo ${s.size}; by Proposition ARC and the modular composition lemma (docs/theory.md §8.13, §8.9) every f : 𝕀^d → 𝕀 is computed`;
  let most = 0;
  for (let y = s.min; y <= s.max; y++) most = Math.max(most, arcEmitterCount(s, c, y));
  const summary: CertificateSummary = {
    e: dec(c.a),
    a: dec(c.a),
    idle: [dec(c.iota)],
    omega: dec(c.unit.weight),
    detector: { parameters: 2 * k + k + 1, neurons: k + 1, depth: 2 },
    and: { parameters: 3, depth: 1 },
    delay: { parameters: 2, depth: 1 },
    emitter: { parameters: 2 * most, depth: 1, maxTerms: most },
    beta: 'β_f (depends on f)',
  };
  return { certificate: c, summary, reason };
}
