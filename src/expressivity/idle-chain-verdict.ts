import { type Budget, BudgetExceeded } from '../engine/budget.js';
import { verifyCertificate } from '../engine/certificate.js';
import { chainGadget, gadgetNeurons, gadgetParameters } from '../engine/gadget.js';
import {
  findIdleChainCertificate,
  type IdleChainCertificate,
  largestIdleChainDetector,
  materializeIdleChainCertificate,
} from '../engine/idle-chain-certificate.js';
import { idleEmitterTerms } from '../engine/idle-emitters.js';
import type { Setting } from '../engine/setting.js';
import { codeToDecimal } from '../value.js';
import { type CertificateSummary, EXHAUSTIVE_SEARCH_VALUES } from './certificates.js';

/**
 * The idle-set certificate in chain form (docs/theory.md §9.7) of a tabulated format, searched after the
 * other searches found none (σ_F without a zero above 256 values, or searches that failed; up to 256
 * values the certificate is also written out and checked by the exhaustive `verifyCertificate`):
 * the certificate, verified by `verifyIdleChainCertificate` before it is returned, with its summary and
 * the verdict's reason; `{ tried }` when none is found; null when the budget ran out (the caller's later
 * phases stop on it too).
 */
export function idleChainUniversal(
  s: Setting,
  budget: Budget,
):
  | { certificate: IdleChainCertificate; summary: CertificateSummary; reason: string }
  | { tried: string[] }
  | null {
  let found: ReturnType<typeof findIdleChainCertificate>;
  try {
    found = findIdleChainCertificate(s, budget);
  } catch (e) {
    if (e instanceof BudgetExceeded) return null;
    throw e;
  }
  const c = found.certificate;
  if (!c) return { tried: found.tried };
  // up to 256 values the written-out certificate is also checked exhaustively (every detector on every input)
  if (s.size <= EXHAUSTIVE_SEARCH_VALUES) {
    const failure = verifyCertificate(s, materializeIdleChainCertificate(s, c));
    // the interval proofs say this cannot happen: a failure is a bug in them or in their implementation
    if (failure)
      throw new Error(`idle chain certificate fails the exhaustive check on ${s.format.spec}: ${failure}`);
  }
  const summary = summarizeIdleChain(s, c);
  const dec = (code: number) => codeToDecimal(BigInt(code), s.format);
  const reason = `an idle-set certificate in chain form (a = ${dec(c.a)}, I = {${dec(c.idle)}}: threshold chains proved on their intervals by interval images, AND and delay checked on {ι, a}, emitters of copies of the delay read by weights ω with ω ⊗ ι = 0, checked for every y; docs/theory.md §8, §9.7); by the composition lemma with idle sets every f : 𝕀^d → 𝕀 is computed`;
  return { certificate: c, summary, reason };
}

/** Sizes of the certificate's gadgets: one detector per shape, the emitter with the most terms. */
export function summarizeIdleChain(s: Setting, c: IdleChainCertificate): CertificateSummary {
  const detector = largestIdleChainDetector(s, c);
  let maxTerms = 0;
  for (let y = s.min; y <= s.max; y++) maxTerms = Math.max(maxTerms, idleEmitterTerms(c.emitters, y));
  const delay = chainGadget(c.delay);
  const dec = (code: number) => codeToDecimal(BigInt(code), s.format);
  return {
    e: dec(c.a),
    a: dec(c.a),
    idle: [dec(c.idle)],
    omega: dec(c.emitters.omega),
    detector: {
      parameters: gadgetParameters(detector),
      neurons: gadgetNeurons(detector),
      depth: detector.layers.length,
    },
    and: { parameters: gadgetParameters(c.and), depth: c.and.layers.length },
    delay: { parameters: gadgetParameters(delay), depth: delay.layers.length },
    // E_y: maxTerms copies of the delay side by side
    emitter: { parameters: maxTerms * gadgetParameters(delay), depth: delay.layers.length, maxTerms },
    beta: dec(c.beta),
  };
}
