import { Budget, BudgetExceeded, DEFAULT_SECONDS } from '../engine/budget.js';
import { checkDist } from '../engine/dist.js';
import { reachableUnary } from '../engine/fixpoint.js';
import { outputRange } from '../engine/output-range.js';
import { codeToDecimal } from '../value.js';
import { type CertificateSummary, certificateFor } from './certificates.js';
import { binaryApplicable, type Configuration, settingOf } from './configuration.js';

export type VerdictName = 'universal' | 'not-universal' | 'undetermined' | 'not-applicable';

/** One verdict with its evidence (THEORY §5.4). */
export interface Verdict {
  readonly verdict: VerdictName;
  readonly dist: { holds: boolean; witness: [string, string] | null } | null;
  readonly certificate: CertificateSummary | null;
  readonly reason: string;
  /**
   * The analytic sufficient condition (docs/theory.md §5, "linear units"): whether it holds, and the
   * first hypothesis that fails. Null where it is not evaluated (DIST fails, or not applicable).
   */
  readonly analytic: { holds: boolean; failure: string | null } | null;
}

/**
 * Decides a configuration: `not-applicable` for binary weights on a format without ±1; `not-universal`
 * when DIST fails, with the witness pair (necessary, THEORY §5.1; docs/theory.md §2); `universal` with a
 * verified certificate, the search's or the linear-unit condition's (sufficient, THEORY §5.2;
 * docs/theory.md §5); `not-universal` by the output-range obstruction (§6) or the tiny-format fixpoint
 * (§4); otherwise `undetermined`, saying what the search tried, or that no certificate can exist because
 * σ_F has no zero. The linear-unit condition is reported on every cell where DIST holds.
 */
export function decide(c: Configuration, options: DecideOptions = {}): Verdict {
  const budget = new Budget(options.budget ?? 1);
  try {
    return decideWithin(c, budget);
  } catch (e) {
    if (!(e instanceof BudgetExceeded)) throw e;
    return {
      verdict: 'undetermined',
      dist: null,
      certificate: null,
      reason: `stopped: ${e.message} (raise it with --budget, a multiple of the default ${DEFAULT_SECONDS} s)`,
      analytic: null,
    };
  }
}

/** Options of `decide`. */
export interface DecideOptions {
  /** Multiple of the default time and work budget (docs/theory.md §9; `check --budget`). Default 1. */
  readonly budget?: number;
}

function decideWithin(c: Configuration, budget: Budget): Verdict {
  if (c.weights === 'binary' && !binaryApplicable(c.format)) {
    return {
      verdict: 'not-applicable',
      dist: null,
      certificate: null,
      reason: `binary weights {-1, 1} are not values of ${c.format.spec}`,
      analytic: null,
    };
  }
  const s = settingOf(c);
  const dist = checkDist(s);
  const witness = dist.witness
    ? ([
        codeToDecimal(BigInt(dist.witness[0]), c.format),
        codeToDecimal(BigInt(dist.witness[1]), c.format),
      ] as [string, string])
    : null;
  const distOut = { holds: dist.holds, witness };
  if (!dist.holds) {
    return {
      verdict: 'not-universal',
      dist: distOut,
      certificate: null,
      reason: `DIST fails: no first-layer neuron σ_F(w⊗x ⊕ b) separates x = ${witness?.[0]} from x = ${witness?.[1]}, so no network computes a function with f(${witness?.[0]}) ≠ f(${witness?.[1]}) (docs/theory.md, necessary condition)`,
      analytic: null,
    };
  }
  const { report, source, analytic: lu, summary, stopped } = certificateFor(c, budget);
  const analytic = { holds: lu.holds, failure: lu.failure };
  if (stopped) {
    return {
      verdict: 'undetermined',
      dist: distOut,
      certificate: null,
      reason: `DIST holds; the certificate search stopped: ${report.tried.join('; ')} (raise it with --budget)`,
      analytic,
    };
  }
  if (summary) {
    const how =
      source === 'search'
        ? 'a certificate found by the search (detectors, AND, delay, emitters) verified on every input of each gadget'
        : source === 'chain'
          ? 'a chain certificate (threshold chains proved on their intervals by interval images, AND, delay and emitters checked on their inputs; docs/theory.md §9)'
          : 'the certificate of the linear-unit condition (docs/theory.md §5), verified on every input of each gadget';
    return {
      verdict: 'universal',
      dist: distOut,
      certificate: summary,
      reason: `${how}; by the composition lemma every f : 𝕀^d → 𝕀 is computed${lu.holds && source === 'search' ? '; the analytic linear-unit condition holds too (docs/theory.md §5)' : ''}`,
      analytic,
    };
  }
  // the output neuron reaches fewer than |𝕀| values whatever the hidden layers (docs/theory.md §6)
  budget.spend(s.weights.length * s.size, 'the output-range obstruction');
  const range = outputRange(s);
  if (range.largest < s.size && range.hiddenValues < s.size) {
    const lo = codeToDecimal(BigInt(s.min), c.format);
    const lo1 = codeToDecimal(BigInt(s.min + 1), c.format);
    return {
      verdict: 'not-universal',
      dist: distOut,
      certificate: null,
      reason: `output-range obstruction: with hidden layers the output neuron accumulates terms w⊗σ_F(·) and reaches at most ${range.largest} of the ${s.size} values for any bias (${range.largest} with bias ${codeToDecimal(BigInt(range.beta), c.format)}), and without them a network is monotone in x, so no network computes the function that swaps ${lo} and ${lo1} and fixes every other x (docs/theory.md §6)`,
      analytic,
    };
  }
  // tiny formats: the set of 1-input functions networks compute is a computable fixpoint (THEORY §5.4)
  const fix = reachableUnary(s);
  if (fix.status === 'done' && fix.missing) {
    const shown = fix.missing.map((code) => codeToDecimal(BigInt(code), c.format)).join(', ');
    return {
      verdict: 'not-universal',
      dist: distOut,
      certificate: null,
      reason: `no 1-input network computes f = (${shown}) on ${c.format.spec} in increasing x: networks compute ${fix.computed} of ${fix.total} functions 𝕀 → 𝕀 (fixpoint obstruction, docs/theory.md)`,
      analytic,
    };
  }
  const fixNote =
    fix.status === 'done'
      ? `; every function 𝕀 → 𝕀 is computed for d = 1 (fixpoint), d ≥ 2 open`
      : `; fixpoint not run: ${fix.reason}`;
  return {
    verdict: 'undetermined',
    dist: distOut,
    certificate: null,
    reason: s.sigma.includes(0)
      ? `DIST holds but the certificate search found none: ${report.tried.join('; ')}${fixNote}; the linear-unit condition does not apply: ${lu.failure}`
      : `DIST holds, and no certificate can exist: σ_F is never 0 on ${c.format.spec}, while the delay gadget must output 0 at 0 (docs/construction.md, "Open cells")${fixNote}`,
    analytic,
  };
}
