import type { Budget } from '../engine/budget.js';
import {
  findHalvingHeadCertificate,
  type HalvingHeadCertificate,
  halvingHeadDetector,
  materializeHalvingHeadCertificate,
} from '../engine/halving-head-certificate.js';
import type { Setting } from '../engine/setting.js';
import { type CertificateSummary, summarizeChainShaped } from './certificates.js';
import { type Searched, searchCertificate } from './searched-certificate.js';

/**
 * The halving-head certificate (docs/theory.md §10.9, Proposition HH) of a configuration whose σ_F is the
 * identity on the codes, under overflow `error` with sequential accumulation and all weights, searched
 * after the chain certificates found none: verified by `verifyHalvingHeadCertificate` before it is
 * returned; `{ tried }` when none is found or it does not apply; null when the budget ran out.
 */
export function halvingHeadUniversal(s: Setting, budget: Budget): Searched<HalvingHeadCertificate> {
  if (s.weightSet !== 'all' || s.policy.overflow !== 'error' || s.accumulation !== 'sequential')
    return { tried: ['needs overflow error, sequential accumulation and all weights'] };
  return searchCertificate(
    s,
    budget,
    'halving-head certificate',
    findHalvingHeadCertificate,
    (c) => {
      const reason =
        "a halving-head certificate (σ_F is the identity on the codes; every threshold gadget starts with a head of two layers, c + ½⊗x or c + x + (−½)⊗x (under toward-zero x/2 rounded toward and away from zero), one of which separates each pair of neighbours, followed by a rest chain proved by interval images on the head's images; AND, delay and emitters checked on their inputs; docs/theory.md §10.9); by the composition lemma every f : 𝕀^d → 𝕀 is computed";
      return { summary: summarizeHalvingHead(s, c), reason };
    },
    materializeHalvingHeadCertificate,
  );
}

/** Sizes of the certificate's gadgets, given an inner detector (two heads, two rests, the AND). */
export function summarizeHalvingHead(s: Setting, c: HalvingHeadCertificate): CertificateSummary {
  return summarizeChainShaped(s, c, halvingHeadDetector(s, c, 0));
}
