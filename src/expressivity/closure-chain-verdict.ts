import type { Budget } from '../engine/budget.js';
import {
  type ChainCertificate,
  largestChainDetector,
  materializeChainCertificate,
} from '../engine/chain-certificate.js';
import { closureChainApplies, findClosureChainCertificate } from '../engine/closure-chain-certificate.js';
import type { Setting } from '../engine/setting.js';
import { summarizeChainShaped } from './certificates.js';
import { type Searched, searchCertificate } from './searched-certificate.js';

/**
 * The chain certificate with closure thresholds (docs/theory.md §10.9, "Closure thresholds") on formats of
 * at most 32 values: every threshold chain the shortest unary chain of depth ≤ 6 with its table; searched
 * after every other certificate; verified by `verifyChainCertificate` (and, materialised, by the exhaustive
 * gadget check) before it is returned.
 */
export function closureChainUniversal(s: Setting, budget: Budget): Searched<ChainCertificate> {
  const no = closureChainApplies(s);
  if (no) return { tried: [no] };
  return searchCertificate(
    s,
    budget,
    'chain certificate with closure thresholds',
    findClosureChainCertificate,
    (c) => ({
      summary: summarizeChainShaped(s, c, largestChainDetector(s, c)),
      reason:
        'a chain certificate whose threshold chains are the shortest unary chains with the threshold tables, found by the breadth-first closure of unary chains (every neuron valid on every input); every chain proved on its two intervals by interval images, AND, delay and emitters checked on their inputs (docs/theory.md §10.9, closure thresholds); by the composition lemma every f : 𝕀^d → 𝕀 is computed',
    }),
    materializeChainCertificate,
  );
}
