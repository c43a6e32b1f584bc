import type { Budget } from '../engine/budget.js';
import {
  type ChainCertificate,
  largestChainDetector,
  materializeChainCertificate,
} from '../engine/chain-certificate.js';
import {
  findIntegerReluCertificate,
  findScaledReluCertificate,
  integerReluApplies,
  scaledReluApplies,
} from '../engine/integer-relu-chains.js';
import type { Setting } from '../engine/setting.js';
import { summarizeChainShaped } from './certificates.js';
import { type Searched, searchCertificate } from './searched-certificate.js';

/**
 * The integer ReLU chain certificate (docs/theory.md §10.9, Lemma IR) of a configuration whose σ_F is the
 * ReLU table on a symmetric integer format under overflow `error` with all weights, searched after the chain
 * certificates found none; verified by `verifyChainCertificate` before it is returned.
 */
export function integerReluUniversal(s: Setting, budget: Budget): Searched<ChainCertificate> {
  const no = integerReluApplies(s);
  if (no) return { tried: [no] };
  return searchCertificate(
    s,
    budget,
    'integer ReLU chain certificate',
    findIntegerReluCertificate,
    (c) => ({
      summary: summarizeChainShaped(s, c, largestChainDetector(s, c)),
      reason:
        'an integer ReLU chain certificate (σ_F is the ReLU table on the codes of a symmetric integer format and nothing may overflow, so every chain starts with σ_F(±x); thresholds σ_F(x), σ_F(h − t + 1) or σ_F(−x), σ_F(h + t), then σ_F(1 − g) inversions; every chain proved on its two intervals by interval images, AND, delay and emitters checked on their inputs; docs/theory.md §10.9, Lemma IR); by the composition lemma every f : 𝕀^d → 𝕀 is computed',
    }),
    materializeChainCertificate,
  );
}

/**
 * Lemma IR on SQm.n (docs/theory.md §10.9, "Lemma IR with fraction bits"): the chains of Lemma IR with the
 * weights ±1 (codes ±2^n); searched after every other certificate; verified before it is returned.
 */
export function scaledReluUniversal(s: Setting, budget: Budget): Searched<ChainCertificate> {
  const no = scaledReluApplies(s);
  if (no) return { tried: [no] };
  return searchCertificate(
    s,
    budget,
    'integer ReLU chain certificate with fraction bits',
    findScaledReluCertificate,
    (c) => ({
      summary: summarizeChainShaped(s, c, largestChainDetector(s, c)),
      reason:
        'an integer ReLU chain certificate on a symmetric format with fraction bits (σ_F is the ReLU table on the codes and nothing may overflow; the chains of Lemma IR with weights ±1, so every product is exact: σ_F(±x), σ_F(h − t + ε) or σ_F(h + t), then σ_F(ε − g) inversions; every chain proved on its two intervals by interval images, AND, delay and emitters checked on their inputs; docs/theory.md §10.9, Lemma IR with fraction bits); by the composition lemma every f : 𝕀^d → 𝕀 is computed',
    }),
    materializeChainCertificate,
  );
}
