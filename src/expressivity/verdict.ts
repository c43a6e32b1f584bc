import { alternatingObstruction } from '../engine/alternating-layers.js';
import { booleanGadgetApplies } from '../engine/boolean-gadget-certificate.js';
import { Budget, BudgetExceeded, DEFAULT_SECONDS } from '../engine/budget.js';
import { EXHAUSTIVE_SEARCH } from '../engine/certificate.js';
import { CLOSURE_MAX_SIZE } from '../engine/closure-chain-certificate.js';
import { contractionApplies } from '../engine/contraction-idle-certificate.js';
import { COPY_CHAIN_MAX_VALUES } from '../engine/copy-chain-certificate.js';
import { deepGadgetApplies } from '../engine/deep-gadget-certificate.js';
import { deepStartApplies } from '../engine/deep-start-certificate.js';
import { checkDist } from '../engine/dist.js';
import { affineShift } from '../engine/exact-affine.js';
import { EXACT_SPAN_LATE_LIMITS, EXACT_SPAN_MAX_SIZE } from '../engine/exact-span-certificate.js';
import { reachableUnary } from '../engine/fixpoint.js';
import { lastTermObstruction } from '../engine/last-term.js';
import { layeredLiteralApplies } from '../engine/layered-literal-certificate.js';
import { readableLevelsExist } from '../engine/levels.js';
import { linearUnitCondition } from '../engine/linear-unit-condition.js';
import { SPAN_MAX_SIZE } from '../engine/modular-span-certificate.js';
import { monotoneObstruction } from '../engine/monotone-obstruction.js';
import { outputRange } from '../engine/output-range.js';
import { ENGINE_MAX_BITS } from '../engine/setting.js';
import { thresholdSpanApplies } from '../engine/threshold-span-certificate.js';
import { unaryTieMerge } from '../engine/unary-tie-merge.js';
import { activationShape } from '../engine/wide/activation-shape.js';
import { decideWide } from '../engine/wide/decide-wide.js';
import { tabulatedShape } from '../engine/wide/tabulated-shape.js';
import { codeToDecimal } from '../value.js';
import { arcUniversal } from './arc-verdict.js';
import { booleanGadgetUniversal } from './boolean-gadget-verdict.js';
import {
  type CertificateSummary,
  certificateFor,
  EXHAUSTIVE_FIRST_SHARE,
  resumeExhaustive,
} from './certificates.js';
import { closureChainUniversal } from './closure-chain-verdict.js';
import { binaryApplicable, type Configuration, engineOverflow, settingOf } from './configuration.js';
import { contractionIdleUniversal } from './contraction-idle-verdict.js';
import { copyChainUniversal } from './copy-chain-verdict.js';
import { deepGadgetUniversal } from './deep-gadget-verdict.js';
import { deepStartUniversal } from './deep-start-verdict.js';
import { exactSpanUniversal } from './exact-span-verdict.js';
import { featurePairUniversal } from './feature-pair-verdict.js';
import { floorReluUniversal } from './floor-relu-verdict.js';
import { halvingHeadUniversal } from './halving-head-verdict.js';
import { idleChainUniversal } from './idle-chain-verdict.js';
import { integerReluUniversal, scaledReluUniversal } from './integer-relu-verdict.js';
import { layeredLiteralUniversal } from './layered-literal-verdict.js';
import { modularIdleUniversal } from './modular-idle-verdict.js';
import { modularSpanUniversal } from './modular-span-verdict.js';
import { pairedIdleUniversal } from './paired-idle-verdict.js';
import type { Searched } from './searched-certificate.js';
import { shiftSpanUniversal } from './shift-span-verdict.js';
import { shrinkChainUniversal } from './shrink-chain-verdict.js';
import { longStartIdleUniversal, startIdleUniversal } from './start-idle-verdict.js';
import { thresholdSpanUniversal } from './threshold-span-verdict.js';

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
 * Decides a configuration (every verdict assumes fxnn's model: distinct sources, identity output layer;
 * docs/theory.md §1 lists each result's hypotheses): `not-applicable` for binary weights on a format
 * without ±1; `universal` trivially for a one-value format (SQ0.0: every function is the constant 0);
 * `not-universal` when DIST fails and |𝕀| ≥ 3, with the witness pair (Theorem 1, THEORY
 * §5.1; docs/theory.md §2.2); `universal` with a verified certificate, the search's or the linear-unit
 * condition's (sufficient, THEORY §5.2; docs/theory.md §5); `not-universal` by the output-range
 * obstruction (§6, any overflow mode: R_β is enumerated exactly under wrap, and networks without hidden
 * layers are checked directly) or by the distinct-source fixpoint (§4.4; never the repeated-edge
 * closure); otherwise `undetermined`, saying what the search tried, or that no certificate can exist
 * because σ_F has no zero, and what a full fixpoint shows (d = 1 only). The linear-unit condition is
 * reported on every cell where DIST holds.
 */
export function decide(c: Configuration, options: DecideOptions = {}): Verdict {
  const budget = new Budget(options.budget ?? 1);
  try {
    return decideWithin(c, budget, options.onPhase, options);
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
  /** Told when a phase starts (for progress on long formats). */
  readonly onPhase?: (phase: 'dist' | 'certificate' | 'output-range' | 'fixpoint') => void;
  /**
   * Told, before a `universal` verdict is returned, which certificate decided it (`construct` builds N_f
   * from it: src/expressivity/decided-network.ts). Only reports; the verdict does not depend on it.
   */
  readonly onCertificate?: (found: DecidedCertificate) => void;
}

/**
 * The certificate behind a `universal` verdict: `key` names its kind (a search of `decide`: `featurePair`,
 * `modular`, …; `classic` for the certificate of `certificateFor` or the resumed exhaustive search, a
 * Certificate of src/engine/certificate.ts; `deepGadget`, `booleanGadget`; `family` for the analytic path,
 * which carries none here), `certificate` the kind's own certificate (read lazily: a chain certificate is
 * written out on first access).
 */
export interface DecidedCertificate {
  readonly key: string;
  readonly certificate: unknown;
}

function decideWithin(
  c: Configuration,
  budget: Budget,
  onPhase?: (phase: 'dist' | 'certificate' | 'output-range' | 'fixpoint') => void,
  options?: DecideOptions,
): Verdict {
  // the proofs assume saturate, wrap (N = 0) or error (THEORY §2): a Configuration built by hand with
  // another mode (saturate-zero, saturate-symmetric, wrap-sign-magnitude, wrap with N > 0) bypasses
  // `makeConfiguration`'s check, and e.g. interval images (§9.1) need a monotone overflow (audit)
  if (!engineOverflow(c.policy))
    return {
      verdict: 'undetermined',
      dist: null,
      certificate: null,
      reason: `overflow ${c.policy.overflow}${c.policy.saturationBits ? ` with N = ${c.policy.saturationBits}` : ''}: the engine's proofs cover saturate, wrap and error only (docs/theory.md §1)`,
      analytic: null,
    };
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
  // above 16 bits σ_F is not tabulated: the analytic path (docs/theory.md §9.5)
  if (c.format.bits > ENGINE_MAX_BITS) return decideWide(c, budget);
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
  // Theorem 1 needs N ≥ 3 (docs/theory.md §2.2): on 1-bit formats the fixpoint decides d = 1 instead
  if (!dist.holds && s.size >= 3) {
    return {
      verdict: 'not-universal',
      dist: distOut,
      certificate: null,
      reason: `DIST fails: no first-layer neuron σ_F(w⊗x ⊕ b) separates x = ${witness?.[0]} from x = ${witness?.[1]}, so every network with a hidden layer has f(${witness?.[0]}) = f(${witness?.[1]}), and networks without one compute at most |W|·|B| + |B| functions, fewer than those with f(${witness?.[0]}) ≠ f(${witness?.[1]}) (distinct sources; docs/theory.md §2.2)`,
      analytic: null,
    };
  }
  // non-negative weights, a non-decreasing σ_F and no wrap-around: every network is non-decreasing
  // (docs/theory.md §10.7); decided before the certificate search, which cannot succeed
  if (monotoneObstruction(s)) {
    const lo = codeToDecimal(BigInt(s.min), c.format);
    const hi = codeToDecimal(BigInt(s.max), c.format);
    return {
      verdict: 'not-universal',
      dist: distOut,
      certificate: null,
      reason: `monotone obstruction: every weight is ≥ 0, σ_F is non-decreasing and overflow ${c.policy.overflow === 'error' ? 'raises' : 'saturates'}, so every network computes a function non-decreasing in each input; the function with f(${lo}) = ${hi} and f(x) = ${lo} elsewhere decreases, so no network computes it (any rounding, accumulation, bias order, edges and output layer; docs/theory.md §10.7)`,
      analytic: null,
    };
  }
  onPhase?.('certificate');
  // σ_F the identity under toward-zero, `error`, sequential, all weights: no unary chain tells −ε from 0, so
  // no family or chain certificate exists (docs/theory.md §10.9); the halving heads are tried first there
  const sigmaIdentity = s.sigma.every((v, i) => v === s.min + i);
  const headsApply =
    s.accumulation === 'sequential' && c.policy.overflow === 'error' && c.weights === 'all' && sigmaIdentity;
  // a certificate found before the search list, with the linear-unit condition reported alongside
  const universalBefore = (found: { summary: CertificateSummary; reason: string }): Verdict => {
    const lu = linearUnitCondition(s);
    return {
      verdict: 'universal',
      dist: distOut,
      certificate: found.summary,
      reason: found.reason,
      analytic: { holds: lu.holds, failure: lu.failure },
    };
  };
  // the early search's result, reused by the search list below instead of searching again
  let early: ReturnType<typeof halvingHeadUniversal> | undefined;
  if (headsApply && c.policy.rounding === 'toward-zero') {
    early = halvingHeadUniversal(s, budget);
    if (early && 'certificate' in early) {
      options?.onCertificate?.({ key: 'halvingHead', certificate: early.certificate });
      return universalBefore(early);
    }
  }
  // Remark NA (docs/theory.md §10.9): on SQm.1 under error, nearest-away, sequential, with σ_F(1) = σ_F(2) and
  // σ_F(−1) = σ_F(v) for some v ≤ −2 (silu, hard-swish), no unary chain tells −1 from every x ≤ −2, so no chain
  // or family certificate exists; the feature-pair certificate (Proposition FP, any weight set) is tried first,
  // on a third of the budget (if that runs out, the search list below tries it again with the rest)
  let earlyPair: ReturnType<typeof featurePairUniversal> | undefined;
  if (unaryTieMerge(s) !== null) {
    earlyPair = featurePairUniversal(s, budget.slice(1 / 3)) ?? undefined;
    if (earlyPair && 'certificate' in earlyPair) {
      options?.onCertificate?.({ key: 'featurePair', certificate: earlyPair.certificate });
      return universalBefore(earlyPair);
    }
  }
  // unsigned formats under wrap with all weights above 4,096 values: the shift span certificate (docs/theory.md
  // §10.10) costs well under a second where the chain searches before it cost seconds, so it is tried first;
  // signed formats under wrap (codes −N/2..N/2 − 1, the same residues) get it last only
  const shiftSpanApplies = c.policy.overflow === 'wrap' && c.weights === 'all';
  let earlySpan: ReturnType<typeof shiftSpanUniversal> | undefined;
  if (shiftSpanApplies && s.min === 0 && s.size > 4096) {
    earlySpan = shiftSpanUniversal(s, budget);
    if (earlySpan && 'certificate' in earlySpan) {
      options?.onCertificate?.({ key: 'shiftSpan', certificate: earlySpan.certificate });
      return universalBefore(earlySpan);
    }
  }
  // overflow error, all weights, 257 to 65,536 values: the family certificates (docs/theory.md §9.5,
  // Lemmas G, G′, G″; proved for every threshold at once, a few interval searches) first, before the chain
  // search, whose emitter search under exact accumulation can spend the whole budget (§10.6, errall)
  if (c.policy.overflow === 'error' && c.weights === 'all' && s.size > 256 && s.sigma.includes(0)) {
    const family = familyCertificate(c, budget, s.sigma, s.min, true);
    if (family) {
      options?.onCertificate?.({ key: 'family', certificate: null });
      const lu = linearUnitCondition(s);
      return { ...family, dist: distOut, analytic: { holds: lu.holds, failure: lu.failure } };
    }
  }
  // up to 256 values the exhaustive search gets a first, short pass (EXHAUSTIVE_FIRST_SHARE of the budget):
  // when it runs out, the searches below (seconds at most) and the cheap obstructions go first and it
  // resumes after them, so that a long failing search cannot eat the budget they need (§10.6)
  const {
    report,
    source,
    analytic: lu,
    summary,
    stopped,
    chain,
    deferred,
  } = certificateFor(c, budget, { firstShare: EXHAUSTIVE_FIRST_SHARE });
  const analytic = { holds: lu.holds, failure: lu.failure };
  if (stopped) {
    // the chain search can spend the whole budget in its emitter searches (gelu-tanh on Q7.8, floor, exact);
    // the idle certificates of §8.8 and §8.9 need no emitter search: one more try with a fresh, shorter budget
    const late = new Budget((options?.budget ?? 1) / 2);
    const rescue =
      s.accumulation === 'exact'
        ? pairedIdleUniversal(s, late)
        : s.policy.overflow === 'wrap'
          ? modularIdleUniversal(s, late)
          : null;
    if (rescue && 'certificate' in rescue) {
      options?.onCertificate?.({
        key: s.accumulation === 'exact' ? 'paired' : 'modular',
        certificate: rescue.certificate,
      });
      return {
        verdict: 'universal',
        dist: distOut,
        certificate: rescue.summary,
        reason: `${rescue.reason} (found after the chain search stopped: ${report.tried.join('; ')})`,
        analytic,
      };
    }
    return {
      verdict: 'undetermined',
      dist: distOut,
      certificate: null,
      reason: `DIST holds; the certificate search stopped: ${report.tried.join('; ')} (raise it with --budget)`,
      analytic,
    };
  }
  if (summary) {
    options?.onCertificate?.({
      key: 'classic',
      get certificate() {
        return report.certificate;
      },
    });
    const idle = summary.idle;
    const idleSet = !(idle.length === 1 && idle[0] === '0');
    const how =
      source === 'search'
        ? idleSet
          ? `an idle-set certificate found by the search (detectors, AND, delay, emitters; idle outputs in I = {${idle.join(', ')}} are read by weights ω with ω ⊗ i = 0, docs/theory.md §8) verified on every input of each gadget`
          : 'a certificate found by the search (detectors, AND, delay, emitters) verified on every input of each gadget'
        : source === 'chain'
          ? `a chain certificate (${chain?.cyclic ? (s.min >= 0 ? 'cyclic threshold chains under wrap, rotations x ↦ x ⊕ b (no weight is negative: both arcs by +1, docs/theory.md §10.8) followed by one rest chain proved by interval images in windows' : 'cyclic threshold chains under wrap, rotations x ↦ ±x ⊕ b followed by one rest chain proved by interval images') : 'threshold chains proved on their intervals by interval images'}, AND, delay and emitters checked on their inputs; docs/theory.md §9${c.policy.overflow === 'wrap' || c.weights === 'binary' ? ', §10' : ''})`
          : chain
            ? 'the certificate of the linear-unit condition (docs/theory.md §5), checked as a chain certificate by interval images (§9)'
            : 'the certificate of the linear-unit condition (docs/theory.md §5), verified on every input of each gadget';
    return {
      verdict: 'universal',
      dist: distOut,
      certificate: summary,
      reason: `${how}; by the composition lemma every f : 𝕀^d → 𝕀 is computed${lu.holds && source === 'search' ? '; the analytic linear-unit condition holds too (docs/theory.md §5)' : ''}`,
      analytic,
    };
  }
  // the chain search is incomplete: on 257 to 65,536 values the family certificates of the analytic path
  // (docs/theory.md §9.5, proved for every threshold at once) may succeed where it did not
  // (their idle value is 0: without a zero of σ_F they cannot exist, docs/theory.md §9.7)
  const familyTried = c.policy.overflow === 'error' && c.weights === 'all';
  if (s.size > 256 && s.sigma.includes(0) && !familyTried) {
    const family = familyCertificate(c, budget, s.sigma, s.min, false, false, true);
    if (family) {
      options?.onCertificate?.({ key: 'family', certificate: null });
      return { ...family, dist: distOut, analytic };
    }
  }
  // the searched certificates, in turn (each returns its certificate, verified, or what it tried)
  const seq = s.accumulation === 'sequential';
  const searches: Array<{ key: string; applies: boolean; label: string; run: () => Searched<unknown> }> = [
    // overflow error, binary weights: the first layer is σ_F(±x) only; detectors read both features' levels
    {
      key: 'featurePair',
      applies: c.policy.overflow === 'error' && c.weights === 'binary',
      label: 'feature-pair certificates (docs/theory.md §10.9)',
      run: () => (earlyPair !== undefined ? earlyPair : featurePairUniversal(s, budget)),
    },
    // σ_F the identity under error, sequential, all weights (toward-zero: no unary chain tells −ε from 0):
    // thresholds read a head of two layers, x/2 rounded toward or away from zero (docs/theory.md §10.9)
    {
      key: 'halvingHead',
      applies: headsApply,
      label: 'halving-head certificates (docs/theory.md §10.9)',
      run: () => (early !== undefined ? early : halvingHeadUniversal(s, budget)),
    },
    // σ_F the identity under error, all weights: threshold chains as deep as the format needs (the beam
    // searches stop at depth 3–4; one fraction bit needs about log₂|𝕀| halvings, docs/theory.md §10.9)
    {
      key: 'shrinkChain',
      applies: c.policy.overflow === 'error' && c.weights === 'all' && sigmaIdentity,
      label: 'shrinking-chain certificates (docs/theory.md §10.9)',
      run: () => shrinkChainUniversal(s, budget),
    },
    // σ_F the ReLU table on SQm.0 under error, all weights: every chain starts with σ_F(±x), then short
    // shift-and-invert chains (docs/theory.md §10.9, Lemma IR)
    {
      key: 'integerRelu',
      applies: c.policy.overflow === 'error' && c.weights === 'all' && s.one === 1,
      label: 'integer ReLU chains (docs/theory.md §10.9)',
      run: () => integerReluUniversal(s, budget),
    },
    // idle-set certificates in chain form: σ_F without a zero above 256 values, and on smaller formats
    // where the exhaustive search missed one (there also checked gadget by gadget)
    {
      key: 'idleChain',
      applies: seq,
      label: 'idle-set chains (docs/theory.md §9.7)',
      run: () => idleChainUniversal(s, budget),
    },
    // readable terms of one sign only (ceil, floor): the output neuron starts at max or min
    {
      key: 'start',
      applies: seq,
      label: 'start-term idle certificates (docs/theory.md §8.10)',
      run: () => startIdleUniversal(s, budget),
    },
    // exact accumulation: idle pairs (P, C) read with (ω, −ω) cancel exactly
    {
      key: 'paired',
      applies: !seq,
      label: 'paired idle certificates (docs/theory.md §8.8)',
      run: () => pairedIdleUniversal(s, budget),
    },
    // overflow wrap: the output neuron sums modulo N, so idle emitters may add constants that the output
    // bias cancels; no weight killing ι is needed
    {
      key: 'modular',
      applies: s.policy.overflow === 'wrap',
      label: 'modular idle certificates (docs/theory.md §8.9)',
      run: () => modularIdleUniversal(s, budget),
    },
    // unsigned formats under wrap, sequential: the terms w ⊗ σ_F(w₁ ⊗ x ⊕ b₁) span every function modulo N
    // (no weight 1 needed: UQ0.n); last, so that every cell the searches above decide keeps its certificate
    {
      key: 'span',
      applies: seq && s.policy.overflow === 'wrap' && s.min === 0 && s.size <= SPAN_MAX_SIZE,
      label: 'modular span certificates (docs/theory.md §10.8)',
      run: () => modularSpanUniversal(s, budget),
    },
    // unsigned formats under wrap, either accumulation, up to 4,096 values (above, it ran first): the cyclic
    // shifts of one generator with an odd sum span every function modulo N (docs/theory.md §10.10); after MS
    {
      key: 'shiftSpan',
      applies: shiftSpanApplies,
      label: 'shift span certificates (docs/theory.md §10.10)',
      run: () => (earlySpan !== undefined ? earlySpan : shiftSpanUniversal(s, budget)),
    },
    // σ_F without a zero, no saturation to collapse a side (error): gain heads ±½ and rest chains that
    // contract both sides of a split step by step; last, so no decided cell changes (docs/theory.md §9.7)
    {
      key: 'contraction',
      applies: contractionApplies(s),
      label: 'contraction idle certificates (docs/theory.md §9.7)',
      // a third of the time left: a failing search must leave the obstructions below their budget
      run: () => contractionIdleUniversal(s, budget.slice(1 / 3)),
    },
    // σ_F the identity under error, sequential, all weights, a fraction bit (integer formats are affine, EA,
    // decided below), at most 8 values (Q1.1, SQ1.1): threshold gadgets whose steps read two copies of the
    // previous function, found breadth-first over the functions on 𝕀; last, so no decided cell changes
    // (docs/theory.md §10.9, copy chains)
    {
      key: 'copyChain',
      applies: headsApply && s.one > 1 && s.size <= COPY_CHAIN_MAX_VALUES,
      label: 'copy-chain certificates (docs/theory.md §10.9)',
      run: () => copyChainUniversal(s, budget),
    },
    // wrap with exact accumulation, up to 256 values: the exact terms w·σ_F(w₁·x + b₁) span every 2^n·φ modulo
    // N·2^n (no fibre weight nor tie-free shift needed: UQ0.n under nearest-even); last, so no decided cell
    // changes (docs/theory.md §10.10, Proposition XS)
    {
      key: 'exactSpan',
      applies: !seq && s.policy.overflow === 'wrap' && s.size <= EXACT_SPAN_MAX_SIZE,
      label: 'exact span certificates (docs/theory.md §10.10)',
      run: () => exactSpanUniversal(s, budget),
    },
    // σ_F the ReLU table with a −1 floor on SQm.0 under error (silu, mish, gelu, gelu-tanh under floor): e = −1
    // chains σ_F(±x), a shift, an inversion (docs/theory.md §10.9, Lemma IR₋); last, so no decided cell changes
    {
      key: 'floorRelu',
      applies: c.policy.overflow === 'error' && c.weights === 'all' && s.one === 1,
      label: 'integer ReLU chains with a −1 floor (docs/theory.md §10.9)',
      run: () => floorReluUniversal(s, budget),
    },
    // σ_F the ReLU table on SQm.n (n ≥ 1) under error: Lemma IR's chains with weights ±1 (docs/theory.md
    // §10.9, Lemma IR with fraction bits); last, so no decided cell changes
    {
      key: 'scaledRelu',
      applies: c.policy.overflow === 'error' && c.weights === 'all' && s.one > 1,
      label: 'integer ReLU chains with fraction bits (docs/theory.md §10.9)',
      run: () => scaledReluUniversal(s, budget),
    },
    // overflow error on at most 32 values: threshold chains from the closure of unary chains (depth ≤ 6, no
    // beam), then the chain certificate's verifier (docs/theory.md §10.9, closure thresholds); last
    {
      key: 'closureChain',
      applies: c.policy.overflow === 'error' && s.size <= CLOSURE_MAX_SIZE,
      label: 'closure-threshold chains (docs/theory.md §10.9)',
      run: () => closureChainUniversal(s, budget),
    },
    // overflow error, all weights: Proposition FP assumes nothing of W; where no unary chain valid on all of 𝕀
    // separates some threshold (silu, hard-swish on SQ3.1 under nearest-away: x = −2 from x = −1), the pair
    // (σ_F(x), σ_F(−x)) still tells every x (docs/theory.md §10.9, feature pairs with all weights); last, so
    // no decided cell changes
    {
      key: 'featurePairAll',
      applies: c.policy.overflow === 'error' && c.weights === 'all',
      label: 'feature-pair certificates with all weights (docs/theory.md §10.9)',
      run: () => (earlyPair !== undefined ? earlyPair : featurePairUniversal(s, budget)),
    },
  ];
  const tried = [...report.tried];
  const triedBy: Record<string, string[] | undefined> = {};
  // the searches and phases the budget stopped (named in an undetermined verdict's reason)
  const outOfBudget: string[] = [];
  for (const search of searches) {
    if (!search.applies) continue;
    const found = search.run();
    if (found && 'certificate' in found) {
      options?.onCertificate?.({ key: search.key, certificate: found.certificate });
      return {
        verdict: 'universal',
        dist: distOut,
        certificate: found.summary,
        reason: found.reason,
        analytic,
      };
    }
    if (!found) {
      outOfBudget.push(
        `${search.label}: stopped, the budget (${budget.seconds} s, ${budget.maxWork.toExponential(0)} steps) ran out`,
      );
      continue;
    }
    triedBy[search.key] = found.tried;
    tried.push(`${search.label}: ${found.tried.join('; ')}`);
  }
  // σ_F the identity table, integer-valued weights (±1, or any weight of an integer format), wrap or
  // error: every network is affine (modulo N under wrap) on codes (docs/theory.md §10.4, Proposition EA)
  const shift = affineShift(s);
  if (shift !== null) {
    const dec = (code: number) => codeToDecimal(BigInt(code), c.format);
    const table =
      shift === 0
        ? 'σ_F is the identity on every code'
        : c.policy.overflow === 'wrap'
          ? `σ_F(v) ≡ v + ${shift} (mod ${s.size}) on every code (a translation of the identity table)`
          : `σ_F(v) = v + ${shift} on every code where it is valid (a translation of the identity table)`;
    const why =
      c.weights === 'binary'
        ? 'weights are ±1'
        : `${c.format.spec} has no fraction bits, so every weight is an integer`;
    const how =
      c.policy.overflow === 'error'
        ? 'overflow raises, so every network that computes a function overflows nowhere and computes Σ c_i·x_i + k exactly on codes'
        : `overflow wraps, so every network computes (Σ c_i·x_i + k) mod ${s.size} on codes`;
    return {
      verdict: 'not-universal',
      dist: distOut,
      certificate: null,
      reason: `exact affine obstruction: ${table} and ${why}, so every product w ⊗ h is an exact integer code; ${how}; the function with f(${dec(s.min)}) = ${dec(s.min + 1)} and f(${dec(s.min + 1)}) = f(${dec(s.min + 2)}) = ${dec(s.min)} would need c ≡ −1 and c ≡ 0 (any rounding, accumulation, bias order and edges; docs/theory.md §10.4, Proposition EA${shift === 0 ? '' : '′'})`,
      analytic,
    };
  }
  // every term w ⊗ σ_F(·) non-zero with the sign of its weight, sequential, saturate or error: the last
  // term keeps the output off min or off max (docs/theory.md §8.7)
  const last = lastTermObstruction(s);
  if (last.applies) {
    const dec = (code: number) => codeToDecimal(BigInt(code), c.format);
    return {
      verdict: 'not-universal',
      dist: distOut,
      certificate: null,
      reason: `last-term obstruction: every term w⊗σ_F(·) with w ∈ ${c.weights === 'binary' ? '{-1, 1}' : 'W'} is non-zero with the sign of its weight (${last.signs.map(([w, sg]) => `${dec(w)}: ${sg > 0 ? '> 0' : '< 0'}`).join(', ')}), so under sequential accumulation with overflow ${c.policy.overflow} the output neuron's last term keeps its output off ${dec(s.min)} on every input (last term > 0, or bias last and β ≥ 0) or off ${dec(s.max)} (the mirror cases); no network with a hidden layer computes the function g with g(0) = ${dec(s.max)} and g(x) = ${dec(s.min)} for x ≠ 0, and no network without one either (it computes a constant or a monotone x ↦ w⊗x ⊕ β; distinct sources, docs/theory.md §8.7)`,
      analytic,
    };
  }
  // the exhaustive search's first pass ran out (formats of at most 256 values): it resumes with the rest
  if (deferred) {
    const full = resumeExhaustive(c, budget);
    if (full.summary) {
      options?.onCertificate?.({
        key: 'classic',
        get certificate() {
          return full.report.certificate;
        },
      });
      return {
        verdict: 'universal',
        dist: distOut,
        certificate: full.summary,
        reason: `${full.source === 'search' ? 'a certificate found by the exhaustive search (detectors, AND, delay, emitters; resumed after the other searches found none)' : 'the certificate of the linear-unit condition (docs/theory.md §5)'} verified on every input of each gadget; by the composition lemma every f : 𝕀^d → 𝕀 is computed`,
        analytic,
      };
    }
    tried.push(...full.report.tried.filter((t) => !tried.includes(t)));
    if (full.stopped) outOfBudget.push(`${EXHAUSTIVE_SEARCH}: stopped, the ${full.stopped} ran out`);
  }
  // at most 256 values: the analytic path's family certificates (docs/theory.md §9.5, proved for every
  // threshold at once, their hypotheses checked by `decideWide`) were tried above 256 values only; here they
  // come last, after every search and obstruction above (identity on Q5.1, floor, error, exact: Lemma G)
  // (and above 256 values, binary weights under error: the feature-pair families of Lemma OP deferred above)
  const pairsDeferred = s.size > 256 && c.policy.overflow === 'error' && c.weights === 'binary';
  if ((s.size <= 256 || pairsDeferred) && s.sigma.includes(0)) {
    const family = familyCertificate(c, budget, s.sigma, s.min);
    if (family) {
      options?.onCertificate?.({ key: 'family', certificate: null });
      return { ...family, dist: distOut, analytic };
    }
  }
  // the output neuron reaches fewer than |𝕀| values whatever the hidden layers (docs/theory.md §6)
  onPhase?.('output-range');
  // charged as it goes (every accumulator value, every rounding): the deadline stops it (docs/theory.md §10.3)
  let range: ReturnType<typeof outputRange>;
  try {
    range = outputRange(s, budget);
  } catch (e) {
    if (!(e instanceof BudgetExceeded)) throw e;
    return {
      verdict: 'undetermined',
      dist: distOut,
      certificate: null,
      reason: `DIST holds; no certificate found: ${[...tried, ...outOfBudget].join('; ')}; the output-range obstruction (docs/theory.md §6) stopped: ${e.message} (raise it with --budget)`,
      analytic,
    };
  }
  if (range.largest < s.size && range.hiddenValues < s.size && range.shallowSwap === false) {
    const lo = codeToDecimal(BigInt(s.min), c.format);
    const lo1 = codeToDecimal(BigInt(s.min + 1), c.format);
    return {
      verdict: 'not-universal',
      dist: distOut,
      certificate: null,
      reason: `output-range obstruction: with hidden layers the output neuron accumulates terms w⊗σ_F(·) and reaches at most ${range.largest} of the ${s.size} values for any bias (${range.largest} with bias ${codeToDecimal(BigInt(range.beta), c.format)}), so no network with hidden layers computes the function s that swaps ${lo} and ${lo1} and fixes every other x, and no output neuron with at most one edge from x computes s either (distinct sources, any overflow mode; docs/theory.md §6)`,
      analytic,
    };
  }
  // tiny formats: the set of 1-input functions networks compute is a computable fixpoint (THEORY §5.4,
  // docs/theory.md §4). Distinct sources (fxnn's edge model): the repeated-edge closure is a superset, and a
  // full superset would prove nothing. First with σ_F or identity on the output layer (a missing function
  // is then missing in both readings), then, if that set is full, with the identity output layer alone.
  onPhase?.('fixpoint');
  const fix = reachableUnary(s, { distinctSources: true });
  const idFix =
    fix.status === 'done' && !fix.missing
      ? reachableUnary(s, { distinctSources: true, sigmaOutput: false })
      : null;
  const missing =
    fix.status === 'done' && fix.missing ? fix : idFix?.status === 'done' && idFix.missing ? idFix : null;
  if (missing?.status === 'done' && missing.missing) {
    const shown = missing.missing.map((code) => codeToDecimal(BigInt(code), c.format)).join(', ');
    const which =
      missing === fix
        ? 'whether the output layer applies the identity or σ_F'
        : "with the identity output layer (fxnn's model; a σ_F output layer computes it)";
    return {
      verdict: 'not-universal',
      dist: distOut,
      certificate: null,
      reason: `no 1-input network computes f = (${shown}) on ${c.format.spec} in increasing x, ${which}: networks with distinct sources compute ${missing.computed} of ${missing.total} functions 𝕀 → 𝕀 (fixpoint obstruction, docs/theory.md §4)`,
      analytic,
    };
  }
  // last: the gain families of Lemmas G and G′ with tiled splits (docs/theory.md §9.5: every split with
  // proved rest chains serves its window; with few fraction bits the windows of ±(½ ± ε) are narrow and
  // splits spread over 𝕀 tile it). After every search and obstruction above, so no decided cell changes
  if (c.policy.overflow === 'error' && c.weights === 'all' && s.sigma.includes(0)) {
    const family = familyCertificate(c, budget, s.sigma, s.min, false, true);
    if (family) {
      options?.onCertificate?.({ key: 'family', certificate: null });
      return { ...family, dist: distOut, analytic };
    }
  }
  // sequential, saturate or error, σ_F non-decreasing, every weight reads σ_F's values non-increasingly: the
  // layers alternate in direction on a chain of three codes (docs/theory.md §10.7, Lemma AL); last, after
  // every search and obstruction above, so no decided cell changes
  const chainAL = alternatingObstruction(s);
  if (chainAL) {
    const dec = (code: number) => codeToDecimal(BigInt(code), c.format);
    const [x1, x2, x3] = chainAL.map(dec);
    return {
      verdict: 'not-universal',
      dist: distOut,
      certificate: null,
      reason: `alternating-layer obstruction: σ_F is non-decreasing, every weight reads its values non-increasingly (w ⊗ h non-increasing in h on σ_F(𝕀)), accumulation is sequential and overflow ${c.policy.overflow} is monotone, and every valid first-layer neuron is non-increasing on (${x1}, ${x2}, ${x3}); so every hidden layer is monotone there, its direction alternating from layer to layer, and so is the output; the function with f(${x2}) = ${dec(s.max)} and f(x) = ${dec(s.min)} elsewhere is not, and no network without hidden layers computes it (distinct sources, either output layer; docs/theory.md §10.7, Lemma AL)`,
      analytic,
    };
  }
  // formats of at most 16 values (32 with binary weights): gadgets as small layered networks found by enumerating their functions
  // (deeper delays, detectors that AND two layered functions, modular emitters); after every search and
  // obstruction above, so it runs only where the verdict would be undetermined (docs/theory.md §8.11)
  let deepTried: string[] = [];
  if (deepGadgetApplies(s)) {
    // a quarter of the time left (about 7 s): an undetermined cell must not spend the whole budget here
    const deep = deepGadgetUniversal(s, budget.slice(1 / 4));
    if (deep && 'certificate' in deep) {
      options?.onCertificate?.({ key: 'deepGadget', certificate: deep.certificate });
      return {
        verdict: 'universal',
        dist: distOut,
        certificate: deep.summary,
        reason: deep.reason,
        analytic,
      };
    }
    if (deep) deepTried = deep.tried;
    else
      outOfBudget.push(
        `deep gadget certificates (docs/theory.md §8.11): stopped, the budget (${budget.seconds} s, ${budget.maxWork.toExponential(0)} steps) ran out`,
      );
    if (deep)
      tried.push(`deep gadget certificates (docs/theory.md §8.11): ${deepTried.slice(0, 6).join('; ')}`);
  }
  // Lemma LT₀ (docs/theory.md §8.7): the last-term obstruction with the weights that kill every value of
  // σ_F deleted (Lemma A), e.g. all weights on Q0.2 under ceil with σ_F > 0. After every search and
  // obstruction above, so no decided cell changes
  const lastKilled = lastTermObstruction(s, { dropKilling: true });
  if (lastKilled.applies && lastKilled.killing.length > 0) {
    const dec = (code: number) => codeToDecimal(BigInt(code), c.format);
    return {
      verdict: 'not-universal',
      dist: distOut,
      certificate: null,
      reason: `last-term obstruction with killing weights dropped (Lemma LT₀): each weight of ${c.weights === 'binary' ? '{-1, 1}' : 'W'} either kills every value of σ_F (${lastKilled.killing.map(dec).join(', ')}: its edges add 0 and are deleted, docs/theory.md §8.2 Lemma A) or reads every value as a non-zero term of one sign (${lastKilled.signs.map(([w, sg]) => `${dec(w)}: ${sg > 0 ? '> 0' : '< 0'}`).join(', ')}), so under sequential accumulation with overflow ${c.policy.overflow} the output neuron's last non-zero term keeps its output off ${dec(s.min)} on every input or off ${dec(s.max)}; no network with a hidden layer computes the function g with g(0) = ${dec(s.max)} and g(x) = ${dec(s.min)} for x ≠ 0, and no network without one either (it computes a constant or a monotone x ↦ w⊗x ⊕ β; distinct sources, docs/theory.md §8.7)`,
      analytic,
    };
  }
  // formats of at most 16 values: detectors, NOT, AND and delay gadgets found by enumeration and checked on
  // every input, with paired (§8.8), modular (§8.9) or start (§8.10) emitters (docs/theory.md §8.12,
  // Proposition BG). After every search and obstruction above, so no decided cell changes
  if (booleanGadgetApplies(s)) {
    let bg: ReturnType<typeof booleanGadgetUniversal> | null = null;
    try {
      bg = booleanGadgetUniversal(s, budget);
    } catch (e) {
      if (!(e instanceof BudgetExceeded)) throw e;
      outOfBudget.push(`boolean gadget certificates (docs/theory.md §8.12): stopped, ${e.message}`);
    }
    if (bg && 'certificate' in bg) {
      options?.onCertificate?.({ key: 'booleanGadget', certificate: bg.certificate });
      return { verdict: 'universal', dist: distOut, certificate: bg.summary, reason: bg.reason, analytic };
    }
    if (bg) tried.push(`boolean gadget certificates (docs/theory.md §8.12): ${bg.tried.join('; ')}`);
  }
  // overflow wrap, σ_F two-valued with one arc of a-codes (hard-sigmoid on Qm.0 under ceil, binary weights):
  // detectors AND arcs of ℤ/N, checked by arithmetic for every z (docs/theory.md §8.13, Proposition ARC).
  // Last, after every search and obstruction above, so no decided cell changes
  if (c.policy.overflow === 'wrap' && s.weights.includes(s.one)) {
    const arc = arcUniversal(s);
    if ('certificate' in arc) {
      options?.onCertificate?.({ key: 'arc', certificate: arc.certificate });
      return { verdict: 'universal', dist: distOut, certificate: arc.summary, reason: arc.reason, analytic };
    }
    tried.push(`arc certificates (docs/theory.md §8.13): ${arc.tried.join('; ')}`);
  }
  // the identity table on UQ0.n under wrap with exact accumulation (identity, relu, leaky-relu, elu; Proposition
  // XS's lattice search stops at 256 values and its cap): (H1) by explicit four-term combinations, one per
  // threshold (docs/theory.md §10.10, Lemma XT). Last, so no decided cell changes
  if (thresholdSpanApplies(s) === null) {
    const span = thresholdSpanUniversal(s, budget);
    if (span && 'certificate' in span) {
      options?.onCertificate?.({ key: 'thresholdSpan', certificate: span.certificate });
      return {
        verdict: 'universal',
        dist: distOut,
        certificate: span.summary,
        reason: span.reason,
        analytic,
      };
    }
    if (span) tried.push(`threshold span certificates (docs/theory.md §10.10): ${span.tried.join('; ')}`);
    else outOfBudget.push('threshold span certificates (docs/theory.md §10.10): stopped, the budget ran out');
  }
  // wrap with exact accumulation on 512 values: Proposition XS's lattice search with a larger cap (about 3 s of
  // CPU where it succeeds: tanh, sigmoid, … on UQ0.9 under nearest-even); last, so no decided cell changes
  // (docs/theory.md §10.10, "XS at 512 values")
  if (!seq && c.policy.overflow === 'wrap' && s.size === EXACT_SPAN_LATE_LIMITS.maxSize) {
    const late = exactSpanUniversal(s, budget, EXACT_SPAN_LATE_LIMITS);
    if (late && 'certificate' in late) {
      options?.onCertificate?.({ key: 'exactSpan', certificate: late.certificate });
      return {
        verdict: 'universal',
        dist: distOut,
        certificate: late.summary,
        reason: late.reason,
        analytic,
      };
    }
    if (late)
      tried.push(`exact span certificates on 512 values (docs/theory.md §10.10): ${late.tried.join('; ')}`);
    else
      outOfBudget.push(
        'exact span certificates on 512 values (docs/theory.md §10.10): stopped, the budget ran out',
      );
  }
  // sequential: the start-term search again with prefixes of up to N copies of K, where its first pass (at most
  // 64 copies) found no prefix reaching max or min (docs/theory.md §8.10, "Long prefixes"). After every search
  // and obstruction above, so no decided cell changes
  if (triedBy.start?.some((t) => t.includes('no constant prefix reaches'))) {
    const long = longStartIdleUniversal(s, budget);
    if (long && 'certificate' in long) {
      options?.onCertificate?.({ key: 'start', certificate: long.certificate });
      return {
        verdict: 'universal',
        dist: distOut,
        certificate: long.summary,
        reason: long.reason,
        analytic,
      };
    }
    if (long)
      tried.push(
        `long-prefix start-term idle certificates (docs/theory.md §8.10): ${long.tried.slice(0, 4).join('; ')}`,
      );
    else
      outOfBudget.push(
        `long-prefix start-term idle certificates (docs/theory.md §8.10): stopped, the budget (${budget.seconds} s, ${budget.maxWork.toExponential(0)} steps) ran out`,
      );
  }
  // formats of at most 16 values, sequential: the gadgets of §8.11 (delays of any depth) with a constant prefix
  // read first by the output neuron and terms of one sign (docs/theory.md §8.14, Proposition DS). After every
  // search and obstruction above, so no decided cell changes
  if (deepStartApplies(s)) {
    // a quarter of the time left, like §8.11's search (whose gadgets it mostly reuses)
    const ds = deepStartUniversal(s, budget.slice(1 / 4));
    if (ds && 'certificate' in ds) {
      options?.onCertificate?.({ key: 'deepStart', certificate: ds.certificate });
      return { verdict: 'universal', dist: distOut, certificate: ds.summary, reason: ds.reason, analytic };
    }
    if (ds) tried.push(`deep start certificates (docs/theory.md §8.14): ${ds.tried.slice(0, 6).join('; ')}`);
    else
      outOfBudget.push(
        `deep start certificates (docs/theory.md §8.14): stopped, the budget (${budget.seconds} s, ${budget.maxWork.toExponential(0)} steps) ran out`,
      );
  }
  // formats of at most 32 values: Proposition BG's certificates with detectors built from literals of depth 2
  // (docs/theory.md §8.12, "Two-layer literals"). After every search and obstruction above
  if (layeredLiteralApplies(s)) {
    const ll = layeredLiteralUniversal(s, budget);
    if (ll && 'certificate' in ll) {
      options?.onCertificate?.({ key: 'booleanGadget', certificate: ll.certificate });
      return { verdict: 'universal', dist: distOut, certificate: ll.summary, reason: ll.reason, analytic };
    }
    if (ll)
      tried.push(`two-layer literal certificates (docs/theory.md §8.12): ${ll.tried.slice(0, 6).join('; ')}`);
    else
      outOfBudget.push(
        `two-layer literal certificates (docs/theory.md §8.12): stopped, the budget (${budget.seconds} s, ${budget.maxWork.toExponential(0)} steps) ran out`,
      );
  }
  const fixNote =
    idFix?.status === 'done'
      ? '; the distinct-source fixpoint shows that every function 𝕀 → 𝕀 (d = 1) is computed by some network with identity output, which says nothing about d ≥ 2'
      : fix.status === 'refused'
        ? `; fixpoint not run: ${fix.reason}`
        : `; fixpoint not run: ${idFix?.status === 'refused' ? idFix.reason : 'not needed'}`;
  const rangeNote =
    range.largest >= s.size
      ? `; the output-range obstruction (docs/theory.md §6) does not apply: ${range.full ?? `the output bias ${codeToDecimal(BigInt(range.beta), c.format)} reaches all ${s.size} values`}`
      : '';
  const budgetNote =
    outOfBudget.length > 0 ? `; not run to the end: ${outOfBudget.join('; ')} (raise it with --budget)` : '';
  const distText = dist.holds
    ? 'DIST holds'
    : `DIST fails at (${witness?.[0]}, ${witness?.[1]}), which proves nothing with only 2 values (docs/theory.md §2.2),`;
  return {
    verdict: 'undetermined',
    dist: distOut,
    certificate: null,
    reason: readableLevelsExist(s)
      ? `${distText} but the certificate search found none${tried.length > 0 ? `: ${tried.join('; ')}` : ''}${rangeNote}${fixNote}; the linear-unit condition does not apply: ${lu.failure}${budgetNote}`
      : `${distText}, and no certificate ${s.accumulation === 'exact' ? 'of docs/theory.md §8.3 ' : ''}can exist: every certificate reads its idle outputs (values of σ_F) through a weight ω with ω ⊗ i = 0 and ω ⊗ a ≠ 0, and no weight of ${c.weights === 'binary' ? '{-1, 1}' : 'W'} kills one value of σ_F without killing all${s.sigma.includes(0) ? '' : ` (σ_F is never 0 on ${c.format.spec})`} (docs/theory.md §8)${triedBy.paired ? `; paired idle certificates, whose idle pairs cancel instead (docs/theory.md §8.8), were searched: ${triedBy.paired.join('; ')}` : ''}${triedBy.modular ? `; modular idle certificates, whose idle constants the output bias cancels under wrap (docs/theory.md §8.9), were searched: ${triedBy.modular.join('; ')}` : ''}${rangeNote}${fixNote}${budgetNote}`,
    analytic,
  };
}

/**
 * The analytic path's universal verdict (docs/theory.md §9.5: σ's proven shape, family certificates whose
 * threshold chains are proved once for all thresholds) on a tabulated format whose chain search found no
 * certificate, or null. Only `universal` is taken: DIST is already decided by the tables here.
 */
function familyCertificate(
  c: Configuration,
  budget: Budget,
  sigma: Float64Array,
  min: number,
  first = false,
  tiledSplits = false,
  beforeSearches = false,
): Verdict | null {
  try {
    // an activation without a proven shape (gelu-tanh) may still have one on its table, checked at every code
    const proven = activationShape(c.activation) !== null;
    const table = proven ? null : tabulatedShape(sigma, min);
    const v = decideWide(c, budget, table && typeof table !== 'string' ? table : undefined, { tiledSplits });
    if (v.verdict !== 'universal') return null;
    // feature families (Lemma FW) are left to the fallback at 9–16 bits: the tabulated feature searches
    // (Lemmas FT, FE; docs/theory.md §10.9) run first there
    if (first && (v.reason.includes('Lemma FW') || v.reason.includes('Lemma OP'))) return null;
    // feature pairs in families (Lemma OP) wait for the tabulated feature-pair search (docs/theory.md §10.9),
    // whose digit fan emitters are far smaller (19 output terms where the families' fans need 8,193 on SQ13.1)
    if (beforeSearches && v.reason.includes('Lemma OP')) return null;
    const note = proven ? '' : ', with the shape of σ_F read off its table and checked at every code';
    const when = first
      ? 'tried before the chain search under overflow error with all weights'
      : tiledSplits
        ? 'with tiled splits, tried after every other search found none'
        : 'tried after the chain search found none';
    return { ...v, reason: `${v.reason} (the analytic path, ${when}${note})` };
  } catch (e) {
    if (e instanceof BudgetExceeded) return null;
    throw e;
  }
}
