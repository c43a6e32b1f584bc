import type { Budget } from '../engine/budget.js';
import {
  type ChainCertificate,
  largestChainDetector,
  materializeChainCertificate,
} from '../engine/chain-certificate.js';
import { findFloorReluCertificate, floorReluApplies } from '../engine/floor-relu-chains.js';
import type { Setting } from '../engine/setting.js';
import { summarizeChainShaped } from './certificates.js';
import { type Searched, searchCertificate } from './searched-certificate.js';

/**
 * The integer ReLU chain certificate with a −1 floor (docs/theory.md §10.9, Lemma IR₋): σ_F(v) = −1 below 0,
 * 0 at 0 and 1, v − 1 above, on a symmetric integer format under overflow `error` with all weights; searched
 * after every other certificate; verified by `verifyChainCertificate` before it is returned.
 */
export function floorReluUniversal(s: Setting, budget: Budget): Searched<ChainCertificate> {
  const no = floorReluApplies(s);
  if (no) return { tried: [no] };
  return searchCertificate(
    s,
    budget,
    'integer ReLU chain certificate with a −1 floor',
    findFloorReluCertificate,
    (c) => ({
      summary: summarizeChainShaped(s, c, largestChainDetector(s, c)),
      reason:
        'an integer ReLU chain certificate with a −1 floor (σ_F is −1 below 0, 0 at 0 and 1, v − 1 above, on the codes of a symmetric integer format, and nothing may overflow; e = −1: thresholds σ_F(±x), σ_F(h + 1 ∓ t), σ_F(−g − 1) and inversions σ_F(−u − 1); every chain proved on its two intervals by interval images, AND, delay and emitters checked on their inputs; docs/theory.md §10.9, Lemma IR₋); by the composition lemma every f : 𝕀^d → 𝕀 is computed',
    }),
    materializeChainCertificate,
  );
}
