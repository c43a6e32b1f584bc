import type { Budget } from '../engine/budget.js';
import { chainGadget, gadgetParameters } from '../engine/gadget.js';
import { largestIdleChainDetector } from '../engine/idle-chain-certificate.js';
import { idleEmitterTerms } from '../engine/idle-emitters.js';
import type { Setting } from '../engine/setting.js';
import {
  findStartIdleCertificate,
  type StartIdleCertificate,
  startValue,
} from '../engine/start-idle-certificate.js';
import { codeToDecimal } from '../value.js';
import { type CertificateSummary, summarizeIdleShaped } from './certificates.js';
import { type Searched, searchCertificate } from './searched-certificate.js';

/**
 * The start-term idle certificate (docs/theory.md §8.10) of a tabulated format under sequential
 * accumulation, searched after the idle chain search of §9.7 found none: the certificate, verified by
 * `verifyStartIdleCertificate` before it is returned, with its summary and the verdict's reason;
 * `{ tried }` when none is found; null when the budget ran out.
 */
export function startIdleUniversal(s: Setting, budget: Budget): Searched<StartIdleCertificate> {
  return searchCertificate(s, budget, 'start-term idle certificate', findStartIdleCertificate, (c) =>
    describeStart(s, c, 'a start-term idle certificate'),
  );
}

/**
 * The same search with prefixes of up to N copies of K (the first pass stops at 64), run by `decide` after
 * every other search and obstruction, where the first pass found a certificate but no prefix reaching its
 * target: under `error` the prefix must hit max exactly, and an 8-bit max of 127 codes (prime) needs 127
 * copies of a term ε (docs/theory.md §8.10, "Long prefixes").
 */
export function longStartIdleUniversal(s: Setting, budget: Budget): Searched<StartIdleCertificate> {
  return searchCertificate(
    s,
    budget,
    'long-prefix start-term idle certificate',
    (st, b) => findStartIdleCertificate(st, b, { maxCopies: st.size }),
    (c) => describeStart(s, c, 'a long-prefix start-term idle certificate'),
  );
}

function describeStart(s: Setting, c: StartIdleCertificate, lead: string) {
  const dec = (code: number) => codeToDecimal(BigInt(code), s.format);
  const start = startValue(s, c);
  const how = c.start
    ? `${c.start.copies} copies of a constant chain K read first with ${dec(c.start.weight)} bring the output neuron's accumulator to ${dec(start)}`
    : `the bias ${dec(c.beta)}, added first, is the accumulator's start`;
  const reason = `${lead} (a = ${dec(c.a)}, I = {${dec(c.idle)}}: threshold chains proved on their intervals by interval images, AND and delay checked on {ι, a}; the weights killing ι read a with one sign only, so ${how}, and from there the emitters' terms (copies of the delay read by weights ω with ω ⊗ ι = 0) reach every y, checked for every y; docs/theory.md §8.10); by the composition lemma with idle sets every f : 𝕀^d → 𝕀 is computed`;
  return { summary: summarizeStart(s, c), reason };
}

/** Sizes of the certificate's gadgets: one detector per shape, the emitter with the most terms. */
export function summarizeStart(s: Setting, c: StartIdleCertificate): CertificateSummary {
  const detector = largestIdleChainDetector(s, c);
  const start = startValue(s, c);
  let maxTerms = 0;
  for (let y = s.min; y <= s.max; y++) maxTerms = Math.max(maxTerms, idleEmitterTerms(c.emitters, y - start));
  const parameters = maxTerms * gadgetParameters(chainGadget(c.delay));
  return summarizeIdleShaped(s, c, detector, c.emitters.omega, { parameters, maxTerms }, decimal(s, c.beta));
}

const decimal = (s: Setting, code: number) => codeToDecimal(BigInt(code), s.format);
