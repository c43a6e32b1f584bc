import { type Budget, BudgetExceeded } from '../engine/budget.js';
import { chainGadget, gadgetNeurons, gadgetParameters } from '../engine/gadget.js';
import { largestIdleChainDetector } from '../engine/idle-chain-certificate.js';
import {
  findPairedIdleCertificate,
  type PairedIdleCertificate,
  pairedEmitterTerms,
} from '../engine/paired-idle-certificate.js';
import type { Setting } from '../engine/setting.js';
import { codeToDecimal } from '../value.js';
import type { CertificateSummary } from './certificates.js';

/**
 * The paired idle certificate (docs/theory.md §8.8) of a tabulated format under exact accumulation,
 * searched after the other searches found none: the certificate, verified by
 * `verifyPairedIdleCertificate` before it is returned, with its summary and the verdict's reason;
 * `{ tried }` when none is found; null when the budget ran out.
 */
export function pairedIdleUniversal(
  s: Setting,
  budget: Budget,
):
  | { certificate: PairedIdleCertificate; summary: CertificateSummary; reason: string }
  | { tried: string[] }
  | null {
  let found: ReturnType<typeof findPairedIdleCertificate>;
  try {
    found = findPairedIdleCertificate(s, budget);
  } catch (e) {
    if (e instanceof BudgetExceeded) return null;
    throw e;
  }
  const c = found.certificate;
  if (!c) return { tried: found.tried };
  const dec = (code: number) => codeToDecimal(BigInt(code), s.format);
  const reason = `a paired idle certificate (a = ${dec(c.a)}, I = {${dec(c.idle)}}: threshold chains proved on their intervals by interval images, AND, delay P and constant chain C checked on {ι, a}; every emitter output is a pair (P, C) read with (ω, −ω), which the exact accumulator adds as ω·(a − ι) when active and exactly 0 when idle, checked for every y; docs/theory.md §8.8); by the composition lemma with cancelling pairs every f : 𝕀^d → 𝕀 is computed`;
  return { certificate: c, summary: summarizePaired(s, c), reason };
}

/** Sizes of the certificate's gadgets: one detector per shape, the emitter with the most pairs. */
export function summarizePaired(s: Setting, c: PairedIdleCertificate): CertificateSummary {
  const detector = largestIdleChainDetector(s, c);
  let maxPairs = 0;
  for (let y = s.min; y <= s.max; y++) maxPairs = Math.max(maxPairs, pairedEmitterTerms(s, c, y));
  const delay = chainGadget(c.delay);
  const dec = (code: number) => codeToDecimal(BigInt(code), s.format);
  const pair = gadgetParameters(delay) + gadgetParameters(chainGadget(c.constant));
  return {
    e: dec(c.a),
    a: dec(c.a),
    idle: [dec(c.idle)],
    omega: dec(c.emitters.run),
    detector: {
      parameters: gadgetParameters(detector),
      neurons: gadgetNeurons(detector),
      depth: detector.layers.length,
    },
    and: { parameters: gadgetParameters(c.and), depth: c.and.layers.length },
    delay: { parameters: gadgetParameters(delay), depth: delay.layers.length },
    // E_y: maxPairs pairs (a copy of P and a copy of C), 2·maxPairs output terms
    emitter: { parameters: maxPairs * pair, depth: delay.layers.length, maxTerms: 2 * maxPairs },
    beta: dec(c.beta),
  };
}
