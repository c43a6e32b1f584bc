import type { Budget } from '../engine/budget.js';
import {
  type DeepStartCertificate,
  deepStartCount,
  findDeepStartCertificate,
  verifyDeepStartCertificate,
} from '../engine/deep-start-certificate.js';
import { type Gadget, gadgetNeurons, gadgetParameters } from '../engine/gadget.js';
import type { Setting } from '../engine/setting.js';
import { codeToDecimal } from '../value.js';
import type { CertificateSummary } from './certificates.js';
import { type Searched, searchCertificate } from './searched-certificate.js';

/**
 * The deep start certificate (docs/theory.md §8.14, Proposition DS) of a format of at most 16 values under
 * sequential accumulation, searched after every other search and obstruction of `decide`: the certificate,
 * verified by `verifyDeepStartCertificate` (every gadget on every input of its domain, every y) before it is
 * returned, with its summary and the verdict's reason; `{ tried }` when none is found; null when the budget
 * ran out.
 */
export function deepStartUniversal(s: Setting, budget: Budget): Searched<DeepStartCertificate> {
  return searchCertificate(
    s,
    budget,
    'deep start certificate',
    (st, b) => {
      const found = findDeepStartCertificate(st, b);
      // the search verifies what it returns; checked once more here, where a failure would be a bug
      if (found.certificate) {
        const failure = verifyDeepStartCertificate(st, found.certificate);
        if (failure)
          throw new Error(`deep start certificate fails its check on ${st.format.spec}: ${failure}`);
      }
      return found;
    },
    (c) => {
      const dec = (code: number) => codeToDecimal(BigInt(code), s.format);
      const p = c.prefix;
      const depths = `detectors of depth ${c.detectors[0].layers.length}, an AND of depth ${c.and.layers.length}, a delay and a constant gadget K of depth ${c.delay.layers.length}`;
      return {
        summary: summarizeDeepStart(s, c),
        reason: `a deep start certificate (a = ${dec(c.a)}, ι = ${dec(c.idle)}; ${depths}, layered networks found by enumerating their functions and checked on every input of their domains, docs/theory.md §8.11); sequential accumulation: ω = ${dec(c.unit)} kills ι (every idle emitter adds 0, Lemma A) and reads a as ${dec(s.mul(c.unit, c.a))}; the output neuron reads first ${p.count} copies of K (value ${dec(p.value)}) with the weight ${dec(p.weight)}, then E_y's k_y copies of P with ω, and the bias β = ${dec(c.beta)} ${s.bias}, which gives y for every y; by Proposition DS (docs/theory.md §8.14) every f : 𝕀^d → 𝕀 is computed`,
      };
    },
  );
}

export function summarizeDeepStart(s: Setting, c: DeepStartCertificate): CertificateSummary {
  const dec = (code: number) => codeToDecimal(BigInt(code), s.format);
  const det = c.detectors.reduce((x: Gadget, g) => (gadgetParameters(g) > gadgetParameters(x) ? g : x));
  let most = 0;
  for (let y = s.min; y <= s.max; y++) most = Math.max(most, deepStartCount(s, c, y) ?? 0);
  return {
    e: dec(c.a),
    a: dec(c.a),
    idle: [dec(c.idle)],
    omega: dec(c.unit),
    detector: { parameters: gadgetParameters(det), neurons: gadgetNeurons(det), depth: det.layers.length },
    and: { parameters: gadgetParameters(c.and), depth: c.and.layers.length },
    delay: { parameters: gadgetParameters(c.delay), depth: c.delay.layers.length },
    emitter: {
      parameters: most * gadgetParameters(c.delay),
      depth: c.delay.layers.length,
      maxTerms: most + c.prefix.count,
    },
    beta: dec(c.beta),
  };
}
