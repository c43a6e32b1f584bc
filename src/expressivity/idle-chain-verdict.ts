import type { Budget } from '../engine/budget.js';
import { chainGadget, gadgetParameters } from '../engine/gadget.js';
import {
  findIdleChainCertificate,
  type IdleChainCertificate,
  largestIdleChainDetector,
  materializeIdleChainCertificate,
} from '../engine/idle-chain-certificate.js';
import { idleEmitterTerms } from '../engine/idle-emitters.js';
import type { Setting } from '../engine/setting.js';
import { codeToDecimal } from '../value.js';
import { type CertificateSummary, summarizeIdleShaped } from './certificates.js';
import { type Searched, searchCertificate } from './searched-certificate.js';

/**
 * The idle-set certificate in chain form (docs/theory.md §9.7) of a tabulated format, searched after the
 * other searches found none (σ_F without a zero above 256 values, or searches that failed; up to 256
 * values the certificate is also written out and checked by the exhaustive `verifyCertificate`):
 * the certificate, verified by `verifyIdleChainCertificate` before it is returned, with its summary and
 * the verdict's reason; `{ tried }` when none is found; null when the budget ran out (the caller's later
 * phases stop on it too).
 */
export function idleChainUniversal(s: Setting, budget: Budget): Searched<IdleChainCertificate> {
  return searchCertificate(
    s,
    budget,
    'idle chain certificate',
    findIdleChainCertificate,
    (c) => {
      const summary = summarizeIdleChain(s, c);
      const dec = (code: number) => codeToDecimal(BigInt(code), s.format);
      const reason = `an idle-set certificate in chain form (a = ${dec(c.a)}, I = {${dec(c.idle)}}: threshold chains proved on their intervals by interval images, AND and delay checked on {ι, a}, emitters of copies of the delay read by weights ω with ω ⊗ ι = 0, checked for every y; docs/theory.md §8, §9.7); by the composition lemma with idle sets every f : 𝕀^d → 𝕀 is computed`;
      return { summary, reason };
    },
    materializeIdleChainCertificate,
  );
}

/** Sizes of the certificate's gadgets: one detector per shape, the emitter with the most terms. */
export function summarizeIdleChain(s: Setting, c: IdleChainCertificate): CertificateSummary {
  const detector = largestIdleChainDetector(s, c);
  let maxTerms = 0;
  for (let y = s.min; y <= s.max; y++) maxTerms = Math.max(maxTerms, idleEmitterTerms(c.emitters, y));
  // E_y: maxTerms copies of the delay side by side
  const parameters = maxTerms * gadgetParameters(chainGadget(c.delay));
  return summarizeIdleShaped(s, c, detector, c.emitters.omega, { parameters, maxTerms }, decimal(s, c.beta));
}

const decimal = (s: Setting, code: number) => codeToDecimal(BigInt(code), s.format);
