import type { Budget } from '../engine/budget.js';
import {
  type FeaturePairCertificate,
  featurePairDetector,
  findFeaturePairCertificate,
  materializeFeaturePairCertificate,
} from '../engine/feature-pair-certificate.js';
import { featureThresholdsApply } from '../engine/feature-thresholds.js';
import type { Setting } from '../engine/setting.js';
import { type CertificateSummary, summarizeChainShaped } from './certificates.js';
import { type Searched, searchCertificate } from './searched-certificate.js';

/**
 * The feature-pair certificate (docs/theory.md §10.9) of a configuration under overflow `error`: with binary
 * weights (the first layer is σ_F(±x) only) after the chain certificates found none, with all weights last of
 * all (Proposition FP assumes nothing of W: §10.9 "Feature pairs with all weights"), and first where Remark NA
 * shows that no chain certificate exists (`unaryTieMerge`: silu, hard-swish on SQm.1 under nearest-away): the
 * certificate, verified by `verifyFeaturePairCertificate` before it is returned, with its summary and the
 * verdict's reason; `{ tried }` when none is found or it does not apply; null when the budget ran out.
 */
export function featurePairUniversal(s: Setting, budget: Budget): Searched<FeaturePairCertificate> {
  if (!featureThresholdsApply(s))
    return { tried: ['needs overflow error and a σ_F other than the identity'] };
  const binary = s.weightSet === 'binary';
  return searchCertificate(
    s,
    budget,
    'feature-pair certificate',
    findFeaturePairCertificate,
    (c) => {
      const reason = binary
        ? 'a feature-pair certificate (the first layer is σ_F(x) and σ_F(−x) only, and x ↦ (σ_F(x), σ_F(−x)) is injective; every value level of each feature detected by two chains proved by interval images, D_z = AND of the two levels of z; AND, delay and emitters checked on their inputs; docs/theory.md §10.9); by the composition lemma every f : 𝕀^d → 𝕀 is computed'
        : 'a feature-pair certificate with all weights (the features σ_F(x) and σ_F(−x), x ↦ (σ_F(x), σ_F(−x)) injective; every value level of each feature detected by two chains proved by interval images, D_z = AND of the two levels of z; AND, delay and emitters checked on their inputs; Proposition FP, docs/theory.md §10.9, feature pairs with all weights); by the composition lemma every f : 𝕀^d → 𝕀 is computed';
      return { summary: summarizeFeaturePair(s, c), reason };
    },
    materializeFeaturePairCertificate,
  );
}

/** Sizes of the certificate's gadgets: every detector has one shape (four padded chains, three ANDs). */
export function summarizeFeaturePair(s: Setting, c: FeaturePairCertificate): CertificateSummary {
  return summarizeChainShaped(s, c, featurePairDetector(s, c, 0));
}
