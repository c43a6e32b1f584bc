import type { Budget } from '../engine/budget.js';
import { chainGadget, gadgetParameters } from '../engine/gadget.js';
import { largestIdleChainDetector } from '../engine/idle-chain-certificate.js';
import {
  findPairedIdleCertificate,
  type PairedIdleCertificate,
  pairedEmitterTerms,
} from '../engine/paired-idle-certificate.js';
import type { Setting } from '../engine/setting.js';
import { codeToDecimal } from '../value.js';
import { type CertificateSummary, summarizeIdleShaped } from './certificates.js';
import { type Searched, searchCertificate } from './searched-certificate.js';

/**
 * The paired idle certificate (docs/theory.md §8.8) of a tabulated format under exact accumulation,
 * searched after the other searches found none: the certificate, verified by
 * `verifyPairedIdleCertificate` before it is returned, with its summary and the verdict's reason;
 * `{ tried }` when none is found; null when the budget ran out.
 */
export function pairedIdleUniversal(s: Setting, budget: Budget): Searched<PairedIdleCertificate> {
  return searchCertificate(s, budget, 'paired idle certificate', findPairedIdleCertificate, (c) => {
    const dec = (code: number) => codeToDecimal(BigInt(code), s.format);
    const reason = `a paired idle certificate (a = ${dec(c.a)}, I = {${dec(c.idle)}}: threshold chains proved on their intervals by interval images, AND, delay P and constant chain C checked on {ι, a}; every emitter output is a pair (P, C) read with (ω, −ω), which the exact accumulator adds as ω·(a − ι) when active and exactly 0 when idle, checked for every y; docs/theory.md §8.8); by the composition lemma with cancelling pairs every f : 𝕀^d → 𝕀 is computed`;
    return { summary: summarizePaired(s, c), reason };
  });
}

/** Sizes of the certificate's gadgets: one detector per shape, the emitter with the most pairs. */
export function summarizePaired(s: Setting, c: PairedIdleCertificate): CertificateSummary {
  const detector = largestIdleChainDetector(s, c);
  let maxPairs = 0;
  for (let y = s.min; y <= s.max; y++) maxPairs = Math.max(maxPairs, pairedEmitterTerms(s, c, y));
  // E_y: maxPairs pairs (a copy of P and a copy of C), 2·maxPairs output terms
  const pair = gadgetParameters(chainGadget(c.delay)) + gadgetParameters(chainGadget(c.constant));
  const emitter = { parameters: maxPairs * pair, maxTerms: 2 * maxPairs };
  return summarizeIdleShaped(s, c, detector, c.emitters.run, emitter, decimal(s, c.beta));
}

const decimal = (s: Setting, code: number) => codeToDecimal(BigInt(code), s.format);
