import type { Budget } from '../engine/budget.js';
import {
  type CopyChainCertificate,
  copyChainsApply,
  findCopyChainCertificate,
  largestCopyChainDetector,
  materializeCopyChainCertificate,
} from '../engine/copy-chain-certificate.js';
import type { Setting } from '../engine/setting.js';
import { summarizeChainShaped } from './certificates.js';
import { type Searched, searchCertificate } from './searched-certificate.js';

/**
 * The copy-chain certificate (docs/theory.md §10.9, copy chains) of a configuration of at most 8 values,
 * searched last: threshold gadgets whose steps may read two copies of the previous function, found by a
 * breadth-first search over functions on 𝕀 and checked on every code, then AND, delay and emitters;
 * verified by `verifyCopyChainCertificate` and, written out, by the exhaustive `verifyCertificate`.
 */
export function copyChainUniversal(s: Setting, budget: Budget): Searched<CopyChainCertificate> {
  const no = copyChainsApply(s);
  if (no) return { tried: [no] };
  return searchCertificate(
    s,
    budget,
    'copy-chain certificate',
    findCopyChainCertificate,
    (c) => ({
      summary: summarizeChainShaped(s, c, largestCopyChainDetector(s, c)),
      reason:
        'a copy-chain certificate (every threshold e·[x ≥ t], e·[x ≤ t] is a chain of layers whose neurons may read two copies of the previous function, e.g. 1⊗g ⊕ (−½)⊗g, found by a breadth-first search over the functions on 𝕀 and checked on every input, every neuron valid; AND, delay and emitters checked on their inputs; docs/theory.md §10.9, copy chains); by the composition lemma every f : 𝕀^d → 𝕀 is computed',
    }),
    materializeCopyChainCertificate,
  );
}
