import type { Budget } from '../engine/budget.js';
import {
  type ChainCertificate,
  largestChainDetector,
  materializeChainCertificate,
} from '../engine/chain-certificate.js';
import type { Setting } from '../engine/setting.js';
import { findShrinkChainCertificate, shrinkChainsApply } from '../engine/shrink-chain-certificate.js';
import { summarizeChainShaped } from './certificates.js';
import { type Searched, searchCertificate } from './searched-certificate.js';

/**
 * The shrinking-chain certificate (docs/theory.md §10.9, Proposition SC) of a configuration whose σ_F is the
 * identity on the codes, under overflow `error` with all weights, searched after the chain certificates
 * found none: a chain certificate with threshold chains as deep as the format needs, verified by
 * `verifyChainCertificate` before it is returned; `{ tried }` when none is found or it does not apply; null
 * when the budget ran out.
 */
export function shrinkChainUniversal(s: Setting, budget: Budget): Searched<ChainCertificate> {
  const no = shrinkChainsApply(s);
  if (no) return { tried: [no] };
  return searchCertificate(
    s,
    budget,
    'shrinking-chain certificate',
    findShrinkChainCertificate,
    (c) => {
      const reason =
        'a shrinking-chain certificate (σ_F is the identity on the codes and nothing may overflow, so each threshold chain is a head w⊗x ⊕ b with |w| ≤ ½ that puts t − 1 and t on two sides of a split, then steps with small weights that narrow both sides to two neighbouring values, as deep as the format needs; every chain proved on its two intervals by interval images, AND, delay and emitters checked on their inputs; docs/theory.md §10.9, Proposition SC); by the composition lemma every f : 𝕀^d → 𝕀 is computed';
      return { summary: summarizeChainShaped(s, c, largestChainDetector(s, c)), reason };
    },
    materializeChainCertificate,
  );
}
