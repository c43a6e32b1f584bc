import { checkDist } from '../engine/dist.js';
import { reachableUnary } from '../engine/fixpoint.js';
import { outputRange } from '../engine/output-range.js';
import { codeToDecimal } from '../value.js';
import { type CertificateSummary, certificateFor, summarize } from './certificates.js';
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
 * Decides a configuration: `not-applicable` for binary weights on a format without ±1; `universal`
 * trivially for a one-value format (SQ0.0: every function is the constant 0); `not-universal`
 * when DIST fails, with the witness pair (necessary, THEORY §5.1; docs/theory.md §2); `universal` with a
 * verified certificate, the search's or the linear-unit condition's (sufficient, THEORY §5.2;
 * docs/theory.md §5); `not-universal` by the output-range obstruction (§6) or the tiny-format fixpoint
 * (§4); otherwise `undetermined`, saying what the search tried, or that no certificate can exist because
 * σ_F has no zero. The linear-unit condition is reported on every cell where DIST holds.
 */
export function decide(
  c: Configuration,
  /** Told when a phase starts (for progress on long formats). */
  onPhase?: (phase: 'dist' | 'certificate' | 'output-range' | 'fixpoint') => void,
): Verdict {
  if (c.weights === 'binary' && !binaryApplicable(c.format)) {
    return {
      verdict: 'not-applicable',
      dist: null,
      certificate: null,
      reason: `binary weights {-1, 1} are not values of ${c.format.spec}`,
      analytic: null,
    };
  }
  if (c.format.size === 1n) {
    // 𝕀 = {0}: every f : 𝕀^d → 𝕀 is the constant 0
    return {
      verdict: 'universal',
      dist: { holds: true, witness: null },
      certificate: null,
      reason: `${c.format.spec} has one value, 0: every f : 𝕀^d → 𝕀 is the constant 0, which a network computes with one output neuron of bias 0 and no edges (trivially universal; DIST holds vacuously)`,
      analytic: null,
    };
  }
  const s = settingOf(c);
  onPhase?.('dist');
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
  onPhase?.('certificate');
  const { setting, report, source, analytic: lu } = certificateFor(c);
  const analytic = { holds: lu.holds, failure: lu.failure };
  const certificate = report.certificate;
  if (certificate) {
    const how =
      source === 'search'
        ? 'a certificate found by the search (detectors, AND, delay, emitters) verified on every input of each gadget'
        : 'the certificate of the linear-unit condition (docs/theory.md §5), verified on every input of each gadget';
    return {
      verdict: 'universal',
      dist: distOut,
      certificate: summarize(setting, certificate),
      reason: `${how}; by the composition lemma every f : 𝕀^d → 𝕀 is computed${lu.holds && source === 'search' ? '; the analytic linear-unit condition holds too (docs/theory.md §5)' : ''}`,
      analytic,
    };
  }
  // the output neuron reaches fewer than |𝕀| values whatever the hidden layers (docs/theory.md §6)
  onPhase?.('output-range');
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
  onPhase?.('fixpoint');
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
      ? `DIST holds but the certificate search found none${report.tried.length > 0 ? `: ${report.tried.join('; ')}` : ''}${fixNote}; the linear-unit condition does not apply: ${lu.failure}`
      : `DIST holds, and no certificate can exist: σ_F is never 0 on ${c.format.spec}, while the delay gadget must output 0 at 0 (docs/construction.md, "Open cells")${fixNote}`,
    analytic,
  };
}
