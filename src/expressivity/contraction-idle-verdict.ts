import type { Budget } from '../engine/budget.js';
import { verifyCertificate } from '../engine/certificate.js';
import {
  type ContractionIdleCertificate,
  findContractionIdleCertificate,
} from '../engine/contraction-idle-certificate.js';
import { materializeIdleChainCertificate } from '../engine/idle-chain-certificate.js';
import type { Setting } from '../engine/setting.js';
import { startValue } from '../engine/start-idle-certificate.js';
import { codeToDecimal } from '../value.js';
import { EXHAUSTIVE_SEARCH_VALUES } from './certificates.js';
import { summarizeIdleChain } from './idle-chain-verdict.js';
import { type Searched, searchCertificate } from './searched-certificate.js';
import { summarizeStart } from './start-idle-verdict.js';

/**
 * The contraction idle certificate (docs/theory.md §9.7, "Contraction rest chains") of a tabulated format
 * under sequential accumulation, searched last (after every other search found none): an idle chain
 * certificate (§9.7) or a start-term certificate (§8.10) whose rest chains contract each side of a split
 * step by step, verified by its form's verifier before it is returned (the chain form, up to 256 values,
 * also written out for the exhaustive `verifyCertificate`); `{ tried }` when none is found; null when the
 * budget ran out.
 */
export function contractionIdleUniversal(s: Setting, budget: Budget): Searched<ContractionIdleCertificate> {
  return searchCertificate(s, budget, 'contraction idle certificate', findChecked, (found) => {
    const dec = (code: number) => codeToDecimal(BigInt(code), s.format);
    const c = found.certificate;
    const depth = Math.max(...c.ge.map((g) => g?.length ?? 0));
    const common = `a = ${dec(c.a)}, I = {${dec(c.idle)}}: every threshold is a gain head ±½ onto a step of σ_F followed by a contraction rest chain (up to ${depth} steps in all, each step shrinking both sides of the split while keeping them apart), proved on its intervals by interval images; AND and delay checked on {ι, a}`;
    if (found.form === 'chain')
      return {
        summary: summarizeIdleChain(s, found.certificate),
        reason: `a contraction idle certificate in chain form (${common}; emitters of copies of the delay read by weights ω with ω ⊗ ι = 0, checked for every y; docs/theory.md §9.7); by the composition lemma with idle sets every f : 𝕀^d → 𝕀 is computed`,
      };
    const st = found.certificate;
    const how = st.start
      ? `${st.start.copies} copies of a constant chain K read first with ${dec(st.start.weight)} bring the output neuron's accumulator to ${dec(startValue(s, st))}`
      : `the bias ${dec(st.beta)}, added first, is the accumulator's start`;
    return {
      summary: summarizeStart(s, st),
      reason: `a contraction start-term idle certificate (${common}; the weights killing ι read a with one sign only, so ${how}, and from there the emitters' terms reach every y, checked for every y; docs/theory.md §8.10, §9.7); by the composition lemma with idle sets every f : 𝕀^d → 𝕀 is computed`,
    };
  });
}

/**
 * The search, with the chain form written out and checked by the exhaustive `verifyCertificate` up to 256
 * values (the proof says that cannot fail, so a failure is a bug and throws); the start-term form's prefix
 * is not a G4 emitter, it is checked by `verifyStartIdleCertificate` alone (and by N_f in the tests).
 */
function findChecked(s: Setting, budget: Budget) {
  const found = findContractionIdleCertificate(s, budget);
  const c = found.certificate;
  if (c?.form === 'chain' && s.size <= EXHAUSTIVE_SEARCH_VALUES) {
    const failure = verifyCertificate(s, materializeIdleChainCertificate(s, c.certificate));
    if (failure)
      throw new Error(
        `contraction idle certificate fails the exhaustive check on ${s.format.spec}: ${failure}`,
      );
  }
  return found;
}
