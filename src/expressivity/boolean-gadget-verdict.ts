import {
  type BooleanGadgetCertificate,
  findBooleanGadgetCertificate,
  modularCount,
  pairedCount,
  startCount,
} from '../engine/boolean-gadget-certificate.js';
import type { Budget } from '../engine/budget.js';
import { type Gadget, gadgetNeurons, gadgetParameters } from '../engine/gadget.js';
import type { Setting } from '../engine/setting.js';
import { codeToDecimal } from '../value.js';
import type { CertificateSummary } from './certificates.js';

/**
 * The boolean gadget certificate (docs/theory.md §8.12, Proposition BG) of a format of at most 16 values
 * under exact accumulation, searched after every other search and obstruction of `decide`: the certificate
 * (verified by `verifyBooleanGadgetCertificate` before it is returned) with its summary and the verdict's
 * reason, or `{ tried }`.
 */
export function booleanGadgetUniversal(
  s: Setting,
  budget: Budget,
):
  | { certificate: BooleanGadgetCertificate; summary: CertificateSummary; reason: string }
  | { tried: string[] } {
  const found = findBooleanGadgetCertificate(s, budget);
  const c = found.certificate;
  if (!c) return { tried: found.tried };
  const dec = (code: number) => codeToDecimal(BigInt(code), s.format);
  const prefix = c.prefix;
  const emitters =
    c.kind === 'start' && prefix
      ? `sequential accumulation: ω = ${dec(c.unit)} kills ι (every idle emitter adds 0, Lemma A) and reads a as ${dec(s.mul(c.unit, c.a))}; the output neuron reads first ${prefix.count} copies of a constant gadget K (value ${dec(prefix.value)}) with the weight ${dec(prefix.weight)}, then E_y's k_y copies of P with ω, and the bias β = ${dec(c.beta)} ${s.bias}, which gives y for every y (docs/theory.md §8.10)`
      : c.kind === 'paired'
        ? `every emitter output is a pair (a copy of P, a copy of C) read with (±ω, ∓ω), ω = ${dec(c.unit)}, which the exact accumulator adds as ±ω·(a − ι) when active and exactly 0 when idle, and rnd(β·2^F + k_y·ω·(a − ι)) = y for every y (β = ${dec(c.beta)}; docs/theory.md §8.8)`
        : `E_y is k_y copies of P read with u = ${dec(c.unit)}, k_y·u·(a − ι) ≡ y·2^F (mod N·2^F) for every y; the idle products, with dummy copies of C, sum to a multiple of 2^F, which the output bias β_f cancels modulo N (overflow wrap; docs/theory.md §8.9)`;
  const reason = `a boolean gadget certificate (a = ${dec(c.a)}, ι = ${dec(c.idle)}: detectors built from literals σ_F(w·x + b) with values in {ι, a}, NOT, AND and delay gadgets found by enumeration, each checked on every input of its domain; ${emitters}); by Proposition BG (docs/theory.md §8.12) every f : 𝕀^d → 𝕀 is computed`;
  return { certificate: c, summary: summarizeBoolean(s, c), reason };
}

export function summarizeBoolean(s: Setting, c: BooleanGadgetCertificate): CertificateSummary {
  const dec = (code: number) => codeToDecimal(BigInt(code), s.format);
  const det = c.detectors.reduce((x: Gadget, g) => (gadgetParameters(g) > gadgetParameters(x) ? g : x));
  let most = 0;
  for (let y = s.min; y <= s.max; y++) {
    const k =
      c.kind === 'paired'
        ? 2 * Math.abs(pairedCount(s, c, y) ?? 0)
        : c.kind === 'start'
          ? (startCount(s, c, y) ?? 0)
          : modularCount(s, c, y);
    most = Math.max(most, k);
  }
  const pair =
    gadgetParameters(c.delay) + (c.kind === 'paired' && c.constant ? gadgetParameters(c.constant) : 0);
  return {
    e: dec(c.a),
    a: dec(c.a),
    idle: [dec(c.idle)],
    omega: dec(c.unit),
    detector: { parameters: gadgetParameters(det), neurons: gadgetNeurons(det), depth: det.layers.length },
    and: { parameters: gadgetParameters(c.and), depth: c.and.layers.length },
    delay: { parameters: gadgetParameters(c.delay), depth: 1 },
    emitter: { parameters: (c.kind === 'paired' ? most / 2 : most) * pair, depth: 1, maxTerms: most },
    beta: c.kind === 'modular' ? 'β_f (depends on f)' : dec(c.beta),
  };
}
