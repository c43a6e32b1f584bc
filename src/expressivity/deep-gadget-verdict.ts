import type { Budget } from '../engine/budget.js';
import {
  type DeepGadgetCertificate,
  findDeepGadgetCertificate,
  verifyDeepGadgetCertificate,
} from '../engine/deep-gadget-certificate.js';
import type { Setting } from '../engine/setting.js';
import { codeToDecimal } from '../value.js';
import { summarize } from './certificates.js';
import { type Searched, searchCertificate } from './searched-certificate.js';

/**
 * The deep gadget certificate (docs/theory.md §8.11) of a format of at most 16 values, searched after every
 * other search found none: the certificate, verified by `verifyDeepGadgetCertificate` (every gadget on every
 * input of its domain) before it is returned, with its summary and the verdict's reason; `{ tried }` when
 * none is found; null when the budget ran out.
 */
export function deepGadgetUniversal(s: Setting, budget: Budget): Searched<DeepGadgetCertificate> {
  return searchCertificate(
    s,
    budget,
    'deep gadget certificate',
    (st, b) => {
      const found = findDeepGadgetCertificate(st, b);
      // the search verifies what it returns; checked once more here, where a failure would be a bug
      if (found.certificate) {
        const failure = verifyDeepGadgetCertificate(st, found.certificate);
        if (failure)
          throw new Error(`deep gadget certificate fails its check on ${st.format.spec}: ${failure}`);
      }
      return found;
    },
    (c) => {
      const dec = (code: number) => codeToDecimal(BigInt(code), s.format);
      const cert = c.certificate;
      const depths = `detectors of depth ${cert.detectors[0].layers.length}, an AND of depth ${cert.and.layers.length}, a delay of depth ${cert.delay.layers.length}`;
      const how =
        c.mode === 'kill'
          ? `idle outputs read by weights that kill them, output bias ${dec(cert.beta)}; by the composition lemma with idle sets (docs/theory.md §8.3)`
          : `under wrap the output neuron sums modulo ${s.size}: emitters are copies of the delay read with ${dec(cert.omega)}, whose terms on a and ι differ by an odd number of codes, and the output bias β_f cancels the idle constants; by the modular composition lemma (docs/theory.md §8.9)`;
      return {
        summary: summarize(s, cert),
        reason: `a deep gadget certificate (a = ${dec(cert.e)}, I = {${cert.idle.map(dec).join(', ')}}; ${depths}, layered networks found by enumerating their functions and checked on every input of their domains, docs/theory.md §8.11); ${how} every f : 𝕀^d → 𝕀 is computed`,
      };
    },
  );
}
