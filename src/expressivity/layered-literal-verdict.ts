import type { BooleanGadgetCertificate } from '../engine/boolean-gadget-certificate.js';
import { verifyBooleanGadgetCertificate } from '../engine/boolean-gadget-certificate.js';
import type { Budget } from '../engine/budget.js';
import { findLayeredLiteralCertificate } from '../engine/layered-literal-certificate.js';
import type { Setting } from '../engine/setting.js';
import { codeToDecimal } from '../value.js';
import { summarizeBoolean } from './boolean-gadget-verdict.js';
import { type Searched, searchCertificate } from './searched-certificate.js';

/**
 * The boolean gadget certificate with two-layer literals (docs/theory.md §8.12, "Two-layer literals") of a
 * format of at most 32 values, searched after every other search and obstruction of `decide`: verified by
 * `verifyBooleanGadgetCertificate` (every gadget on every input of its domain, every y) before it is
 * returned; `{ tried }` when none is found; null when the budget ran out.
 */
export function layeredLiteralUniversal(s: Setting, budget: Budget): Searched<BooleanGadgetCertificate> {
  return searchCertificate(
    s,
    budget,
    'two-layer literal certificate',
    (st, b) => {
      const found = findLayeredLiteralCertificate(st, b);
      // the search verifies what it returns; checked once more here, where a failure would be a bug
      if (found.certificate) {
        const failure = verifyBooleanGadgetCertificate(st, found.certificate);
        if (failure)
          throw new Error(`two-layer literal certificate fails its check on ${st.format.spec}: ${failure}`);
      }
      return found;
    },
    (c) => {
      const dec = (code: number) => codeToDecimal(BigInt(code), s.format);
      const emitters =
        c.kind === 'start' && c.prefix
          ? `sequential accumulation: ω = ${dec(c.unit)} kills ι (every idle emitter adds 0, Lemma A) and reads a as ${dec(s.mul(c.unit, c.a))}; the output neuron reads first ${c.prefix.count} copies of a constant gadget K (value ${dec(c.prefix.value)}) with the weight ${dec(c.prefix.weight)}, then E_y's k_y copies of P with ω, and the bias β = ${dec(c.beta)} ${s.bias} (docs/theory.md §8.10)`
          : `every emitter output is a pair (a copy of P, a copy of C) read with (±ω, ∓ω), ω = ${dec(c.unit)}, which the exact accumulator adds as ±ω·(a − ι) when active and exactly 0 when idle, and rnd(β·2^F + k_y·ω·(a − ι)) = y for every y (β = ${dec(c.beta)}; docs/theory.md §8.8)`;
      return {
        summary: summarizeBoolean(s, c),
        reason: `a two-layer literal certificate (a = ${dec(c.a)}, ι = ${dec(c.idle)}: detectors of depth ${c.detectors[0].layers.length}, AND trees of literals σ_F(w₂·σ_F(w₁·x + b₁) + b₂) with values in {ι, a}; AND and delay gadgets found by enumeration, each checked on every input of its domain; ${emitters}); by Proposition BG (docs/theory.md §8.12) every f : 𝕀^d → 𝕀 is computed`,
      };
    },
  );
}
