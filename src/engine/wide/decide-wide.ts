/**
 * Verdicts for formats of 17 to 32 bits (docs/theory.md §9.5), from proofs whose hypotheses are checked
 * here, never from tables: the activation's proven shape (`activation-shape.ts`), DIST by Lemmas W, S and B
 * (`wide-dist.ts`), the linear-unit theorem (§5, `wide-linear-units.ts`) and family certificates
 * (`wide-certificate.ts`). Anything else is `undetermined` with the reason. `not-universal` only by
 * Lemma B (binary weights: the 2·|𝕀| neurons with w = ±1 are covered by two range queries) with
 * Theorem 1; with all weights it would need a proof over all 2^(2·bits) neurons, which no lemma here gives.
 */
import type { CertificateSummary } from '../../expressivity/certificates.js';
import type { Configuration } from '../../expressivity/configuration.js';
import type { Verdict } from '../../expressivity/verdict.js';
import { codeToDecimal } from '../../value.js';
import type { Budget } from '../budget.js';
import { type ActivationShape, activationShape } from './activation-shape.js';
import { wideAffineObstruction } from './wide-affine.js';
import { chainLengths, findWideCertificate, type WideCertificate } from './wide-certificate.js';
import { wideDist } from './wide-dist.js';
import type { WideFan } from './wide-fan.js';
import { featurePairHypotheses } from './wide-feature-pair.js';
import { findWideIdleCertificate, findWideModularIdleCertificate } from './wide-idle-certificate.js';
import { wideLastTerm } from './wide-last-term.js';
import { wideLinearUnits } from './wide-linear-units.js';
import { wideMonotoneObstruction } from './wide-monotone.js';
import { noValidNeuron } from './wide-no-valid-neuron.js';
import { wideSetting } from './wide-setting.js';
import {
  findWideShiftSpan,
  type WideShiftSpan,
  wideShiftSpanApplies,
  wrappedDomain,
} from './wide-shift-span.js';
import { wideSigma } from './wide-sigma.js';
import { validTopSigma } from './wide-wrapped-sigma.js';

/** The widest format the analytic path decides. */
export const WIDE_MAX_BITS = 32;

const undetermined = (reason: string, extra: Partial<Verdict> = {}): Verdict => ({
  verdict: 'undetermined',
  dist: null,
  certificate: null,
  reason,
  analytic: null,
  ...extra,
});

/**
 * The verdict of a configuration of more than 16 bits (callers handle binary applicability and |𝕀| = 1).
 * `tabulated`: on a format of at most 16 bits, a shape of σ_F checked on its table (`tabulated-shape.ts`),
 * used when the activation has no proven shape.
 */
export function decideWide(
  c: Configuration,
  budget: Budget,
  tabulated?: ActivationShape,
  options: { tiledSplits?: boolean } = {},
): Verdict {
  // tiled gain splits (docs/theory.md §9.5): above 16 bits nothing comes after this path, so always; on
  // tabulated formats only when the caller asks (after every other search)
  const searchOptions = { tiledSplits: options.tiledSplits ?? c.format.bits > 16 };
  const f = c.format;
  const where = `${f.spec} has ${f.bits} bits: σ_F is not tabulated above 16 bits, and the analytic path (docs/theory.md §9.5)`;
  if (f.bits > WIDE_MAX_BITS) return undetermined(`${where} covers at most ${WIDE_MAX_BITS} bits`);
  const shape = activationShape(c.activation) ?? (f.bits <= 16 ? (tabulated ?? null) : null);
  if (!shape)
    return undetermined(
      `${where} needs a proven shape of σ (monotone or one valley), which ${c.activation.key} does not have (only the built-ins but gelu-tanh)`,
    );
  const s = wideSetting(c);
  const r = wideSigma(s, shape);
  if (typeof r === 'string') {
    const bad = noValidNeuron(s);
    if (bad !== null) {
      const [lo, hi] = [s.min, s.max].map((v) => codeToDecimal(v, f));
      return {
        verdict: 'not-universal',
        dist: null,
        certificate: null,
        reason: `no valid first layer (Lemma BV): with weights ±1 under overflow error the only unary neurons that could be valid are σ_F(x)${f.kind === 'SQ' ? ' and σ_F(−x)' : s.exact ? ' and σ_F(−1 − x)' : ''} (Lemma BE), whose pre-activations run over every code, and σ_F is invalid at ${codeToDecimal(bad, f)} (σ rounds outside the range there, evaluated); so every network that raises on no input is constant or x ↦ ±x ⊕ β, and the function with f(0) = ${hi} and f(x) = ${lo} elsewhere is neither (docs/theory.md §9.5)`,
        analytic: null,
      };
    }
    // Lemma SR above 16 bits only: at 16 bits and below §10.10's search over the table decides (and the
    // soundness tests check its certificates there)
    const wrapped = s.policy.overflow === 'wrap' && f.bits > 16 ? wrappedDomain(s) : null;
    const span = wrapped && typeof wrapped !== 'string' ? findWideShiftSpan(wrapped) : null;
    if (span?.found && wrapped && typeof wrapped !== 'string')
      return {
        verdict: 'universal',
        dist: { holds: true, witness: null },
        certificate: null,
        reason: `${shiftSpanReason(s, span.found)}; σ leaves the range at the top, so σ_F wraps there: it is non-decreasing on the two pieces [${codeToDecimal(wrapped.pieces[0][0], f)}, ${codeToDecimal(wrapped.pieces[0][1], f)}] and [${codeToDecimal(wrapped.pieces[1][0], f)}, ${codeToDecimal(wrapped.pieces[1][1], f)}] (softplus is increasing and 0 < softplus(x) ≤ max(x, 0) + ln 2), and the runs are counted on each piece (so DIST holds too)`,
        analytic: null,
      };
    // Lemma IF with modular emitters (after Lemma SR, above 16 bits only): cyclic detectors split at the
    // wrap point of σ_F, where σ_F is non-decreasing on both pieces
    const modular =
      s.policy.overflow === 'wrap' && f.bits > 16 ? findWideModularIdleCertificate(s, shape, budget) : null;
    if (modular?.certificate?.idle) {
      const mc = modular.certificate;
      const em = mc.idle as NonNullable<WideCertificate['idle']>;
      const dec = (v: bigint) => codeToDecimal(v, f);
      const cut = mc.families[0].split;
      return {
        verdict: 'universal',
        dist: { holds: true, witness: null },
        certificate: summarizeIdle(f, mc, em),
        reason: `σ leaves the range at the top, so σ_F wraps there: it is non-decreasing on the two pieces [${dec(s.min)}, ${dec(cut - 1n)}] and [${dec(cut)}, ${dec(s.max)}] (softplus is increasing and 0 < softplus(x) ≤ max(x, 0) + ln 2, §9.5 Lemma SR), so its range over an interval is read at the ends of its parts in each piece; a modular idle family certificate (Lemma IF, docs/theory.md §9.5) with the levels a = ${dec(mc.e)}, I = {${dec(em.iota)}}: cyclic detectors split at the wrap point ${dec(cut)} (U_z = [(1, ${dec(cut)} − z)] + R, L_z = [(−1, ${dec(cut)} + z)] + R modulo N, 2(max − s) ≤ N − 1, §10.3), the rest chain R proved by interval images (a single code evaluated, wrap included), AND and delay checked on {ι, a}; under wrap the output neuron sums modulo N, so idle emitters may add any constant, which the output bias β_f cancels, and E_y is k_y ≡ y·δ⁻¹ copies of the delay read with ${dec(em.up as bigint)}, δ = ${dec(em.up as bigint)} ⊗ a − ${dec(em.up as bigint)} ⊗ ι odd (§8.9), for every y at once; by the modular composition lemma every f : 𝕀^d → 𝕀 is computed (so DIST holds too)`,
        analytic: null,
      };
    }
    const idleTried: string[] = [];
    // Lemma IF with reach-limited gain families (above 16 bits only): under `error`, σ_F valid on [min, v*]
    // and invalid above (softplus under ceil at max), every first pre-activation kept at most v*
    const top = s.policy.overflow === 'error' && f.bits > 16 ? validTopSigma(s, shape) : null;
    if (top && typeof top !== 'string' && top.preimageSpans(0n).length === 0) {
      const got = findWideIdleCertificate(top, budget, { cap: top.top });
      const v = got.certificate?.idle ? idleVerdictOf(top, got.certificate, null) : null;
      if (v)
        return {
          ...v,
          reason: `σ_F is invalid above ${codeToDecimal(top.top, f)} (σ rounds past max there) and valid and non-decreasing on [${codeToDecimal(s.min, f)}, ${codeToDecimal(top.top, f)}] (the proven shape, validity found by bisection); ${v.reason}; every first step of the gain families keeps its pre-activations at most ${codeToDecimal(top.top, f)} (reach-limited windows), so σ_F is valid wherever it is read`,
        };
      idleTried.push(...got.tried);
    }
    const more = [span?.tried, ...(modular?.tried ?? []), ...idleTried].filter((x): x is string => !!x);
    return undetermined(`${where}: ${r}${more.length ? `; ${more.join('; ')}` : ''}`);
  }
  const dist = wideDist(r);
  if (s.policy.overflow === 'error' && wideAffineObstruction(s)) {
    const lo = codeToDecimal(s.min, f);
    const lo1 = codeToDecimal(s.min + 1n, f);
    return {
      verdict: 'not-universal',
      dist: dist.holds === null ? null : { holds: dist.holds, witness: dist.holds ? null : [lo, lo1] },
      certificate: null,
      reason: `the affine obstruction under overflow error: σ_F is the identity on every code (the identity activation), weights are ±1 and no operation of a valid network may overflow, so every such network computes Σ c_i·x_i + k exactly on codes; the function that swaps ${lo} and ${lo1} and fixes 0 and ${codeToDecimal(1n, f)} would need c = 1, k = 0, the identity, which does not swap (any accumulation, bias order and edges; docs/theory.md §10.4, §9.5)`,
      analytic: null,
    };
  }
  if (wideMonotoneObstruction(r) === null) {
    const lo = codeToDecimal(s.min, f);
    const hi = codeToDecimal(s.max, f);
    return {
      verdict: 'not-universal',
      dist: dist.holds === null ? null : { holds: dist.holds, witness: null },
      certificate: null,
      reason: `monotone obstruction (Lemma M): every weight is ≥ 0 (${f.spec} is unsigned), σ_F is non-decreasing on 𝕀 (the proven shape of ${c.activation.key}, Lemma 1) and overflow ${s.policy.overflow === 'error' ? 'raises' : 'saturates'}, so every network computes a function non-decreasing in each input; the function with f(${lo}) = ${hi} and f(x) = ${lo} elsewhere decreases, so no network computes it (any rounding, accumulation, bias order, edges and output layer; docs/theory.md §10.7, §9.5)`,
      analytic: null,
    };
  }
  // the last-term obstruction (binary weights, σ_F of one sign), after DIST's own verdict
  const lastTerm = ((): Verdict | null => {
    if (wideLastTerm(r) !== null) return null;
    const hull = r.range(s.min, s.max) as readonly [bigint, bigint];
    const [lo, hi, zero] = [s.min, s.max, 0n].map((v) => codeToDecimal(v, f));
    return {
      verdict: 'not-universal',
      dist: dist.holds === null ? null : { holds: dist.holds, witness: null },
      certificate: null,
      reason: `the last-term obstruction: binary weights, sequential accumulation, overflow ${s.policy.overflow}, and σ_F takes only values of one sign without 0 (from ${codeToDecimal(hull[0], f)} to ${codeToDecimal(hull[1], f)}, a range query on its proven shape), so every term ±1 ⊗ v is non-zero with the sign of its weight and the output of a network with a hidden layer is never ${lo} on any input or never ${hi} on any input; the function with f(${zero}) = ${hi} and f(x) = ${lo} elsewhere takes both, and is not monotone (docs/theory.md §8.7, §9.5)`,
      analytic: null,
    };
  })();
  if (dist.holds === null && s.policy.overflow === 'error') {
    if (lastTerm) return lastTerm;
    // no DIST lemma under error, but a certificate proves universality (and so DIST) by itself
    const search = findWideCertificate(r, budget, searchOptions);
    if (search.certificate?.mode === 'feature')
      return {
        verdict: 'universal',
        dist: { holds: true, witness: null },
        certificate: summarize(s.format, search.certificate, s.binary),
        reason: `a family certificate (feature mode, Lemma FW: every threshold chain reads a feature σ_F(x) or σ_F(b − x) first, valid on all of 𝕀 (σ = identity on x ≥ 0, σ_F ≤ 0 on the negatives), then shifts the feature's level L to a split by (1, s − L), in range for every L of the family's window, and ends with the split's rest chain proved by strict interval images; every level lies in a window; AND, delay and emitters checked without any overflow, ${emitterRule(search.certificate, s.binary)}; docs/theory.md §9.5) is valid under overflow error and gives universality by the composition lemma (so DIST holds too)`,
        analytic: null,
      };
    if (search.certificate?.mode === 'feature-pair')
      return {
        verdict: 'universal',
        dist: { holds: true, witness: null },
        certificate: summarize(s.format, search.certificate, s.binary),
        reason: `a feature-pair certificate (Proposition FP, §10.9, its level chains in families, §9.5): ${s.binary ? 'the only unary neurons valid on all of 𝕀 are the features σ_F(x) and σ_F(−x) (Lemma BE)' : 'the features σ_F(x) and σ_F(−x) are valid on all of 𝕀 (evaluated at min and max)'}, and x ↦ (σ_F(x), σ_F(−x)) is injective by Lemma OP (σ(t) − σ(−t) = t for ${c.activation.key}, ${s.policy.rounding} rounding${featurePairTies(r)}); each detector is AND(AND(G₊, H₊), AND(G₋, H₋)), whose level chains read a feature, move its level L to a split by (1, s − L) or (−1, s + L − 1), in range for every L of the family's window, and end with the split's rest chain proved by strict interval images; every level lies in a window; AND, delay and emitters checked without any overflow, ${emitterRule(search.certificate, s.binary)}; docs/theory.md §9.5) is valid under overflow error and gives universality by the composition lemma (so DIST holds too)`,
        analytic: null,
      };
    if (search.certificate)
      return {
        verdict: 'universal',
        dist: { holds: true, witness: null },
        certificate: summarize(s.format, search.certificate, s.binary),
        reason: `a family certificate (${search.certificate.mode} mode: first steps with the gains ±½ (and ±(½ ± ε) under nearest-even, nearest-away and nearest-zero), which never overflow, in families proved once for all thresholds (Lemma G; Lemma G′ for nearest-away and nearest-zero; Lemma G″ for toward-zero, nearest-away and nearest-zero under exact accumulation), rest chains by strict interval images, AND, delay and emitters checked without any overflow, ${emitterRule(search.certificate, s.binary)}; docs/theory.md §9.5) is valid under overflow error and gives universality by the composition lemma (so DIST holds too)`,
        analytic: null,
      };
    const idle = idleVerdict(r, budget, search.tried, null);
    if (idle) return idle;
    return undetermined(
      `${where}: DIST not decided: ${dist.reason}; no family certificate: ${search.tried.join('; ')}`,
    );
  }
  if (dist.holds === null) return lastTerm ?? undetermined(`${where}: DIST not decided: ${dist.reason}`);
  if (dist.holds === false) {
    const lo = codeToDecimal(dist.witness?.[0] ?? s.min, f);
    const lo1 = codeToDecimal(dist.witness?.[1] ?? s.min + 1n, f);
    return {
      verdict: 'not-universal',
      dist: { holds: false, witness: [lo, lo1] },
      certificate: null,
      reason: `DIST fails: ${dist.reason}; so every network with a hidden layer has f(${lo}) = f(${lo1}), and networks without one compute at most |W|·|B| + |B| functions, fewer than those with f(${lo}) ≠ f(${lo1}) (distinct sources; docs/theory.md §2.2)`,
      analytic: null,
    };
  }
  if (lastTerm) return lastTerm;
  const distOut = { holds: true, witness: null };
  if (wideAffineObstruction(s)) {
    const lo = codeToDecimal(s.min, f);
    const lo1 = codeToDecimal(s.min + 1n, f);
    return {
      verdict: 'not-universal',
      dist: distOut,
      certificate: null,
      reason: `${dist.reason}; but the affine obstruction applies: σ_F is the identity on every code (the identity activation: rounding a value returns it), weights are ±1 and overflow wraps, so every network computes (Σ c_i·x_i + k) mod 2^${f.bits} on codes; the function that swaps ${lo} and ${lo1} and fixes 0 and ${codeToDecimal(1n, f)} would need c = 1, k = 0, the identity, which does not swap (any accumulation, bias order and edges; docs/theory.md §10.4, §9.5)`,
      analytic: null,
    };
  }
  const lu = wideLinearUnits(r);
  const analytic = { holds: lu.holds, failure: lu.failure };
  if (lu.holds && lu.bottom) {
    const [w, b] = lu.bottom;
    return {
      verdict: 'universal',
      dist: distOut,
      certificate: null,
      reason: `${dist.reason}; the linear-unit condition holds ((L1) by the definition of ${c.activation.key}, (L2) σ_F(−ε) ≤ 0 evaluated, (L3) by the neuron w = ${codeToDecimal(w, f)}, b = ${codeToDecimal(b, f)}, non-decreasing in x, with min < y(min) < y(min + ε) evaluated), so the theorem of docs/theory.md §5 gives universality (its certificate exists for every Qm.n with m ≥ 2; §9.5)`,
      analytic,
    };
  }
  const search = findWideCertificate(r, budget, searchOptions);
  if (search.certificate) {
    return {
      verdict: 'universal',
      dist: distOut,
      certificate: summarize(s.format, search.certificate, s.binary),
      reason: `${dist.reason}; a family certificate (${search.certificate.plus ? 'cyclic mode by +1 rotations on the window [s, max], Lemma C+ (§10.8 above 16 bits): U_z = [(1, s − z)] + R and L_z = [(1, max − z)] + R fire together only at z, delay and AND built from R' : `${search.certificate.mode} mode`}: threshold chains in families proved once for all thresholds by interval images, AND, delay and emitters checked, ${emitterRule(search.certificate, s.binary)}; docs/theory.md §9.5) gives universality by the composition lemma`,
      analytic,
    };
  }
  const span = f.bits > 16 && wideShiftSpanApplies(r) === null ? findWideShiftSpan(r) : null;
  if (span?.found)
    return {
      verdict: 'universal',
      dist: distOut,
      certificate: null,
      reason: `${dist.reason}; ${shiftSpanReason(s, span.found)}`,
      analytic,
    };
  if (span) search.tried.push(span.tried);
  const idle = idleVerdict(r, budget, search.tried, dist.reason);
  if (idle) return { ...idle, analytic };
  return undetermined(`DIST holds (${dist.reason}); no family certificate: ${search.tried.join('; ')}`, {
    dist: distOut,
    analytic,
  });
}

/**
 * Lemma IF (idle families, `wide-idle-certificate.ts`) where σ_F never takes the value 0, above 16 bits
 * only (at 16 bits and below the tabulated idle searches of §8.8–§8.10 and §9.7 decide), after every other
 * search. Null when it does not apply or finds nothing (its attempts are added to `tried`).
 */
function idleVerdict(
  r: Exclude<ReturnType<typeof wideSigma>, string>,
  budget: Budget,
  tried: string[],
  distReason: string | null,
): Verdict | null {
  const s = r.setting;
  if (s.format.bits <= 16 || r.preimageSpans(0n).length > 0) return null;
  const got = findWideIdleCertificate(r, budget);
  if (!got.certificate?.idle) {
    tried.push(...got.tried);
    return null;
  }
  return idleVerdictOf(r, got.certificate, distReason);
}

/** The verdict of a verified idle family certificate (Lemma IF). */
function idleVerdictOf(
  r: Exclude<ReturnType<typeof wideSigma>, string>,
  c: WideCertificate,
  distReason: string | null,
): Verdict {
  const s = r.setting;
  const em = c.idle as NonNullable<WideCertificate['idle']>;
  const f = s.format;
  const dec = (v: bigint) => codeToDecimal(v, f);
  const rule =
    em.kind === 'paired'
      ? `every emitter output is a pair (P, C) read with (ω, −ω), ω = ±1, C(ι) = C(a) = ι, so the exact accumulator adds ±(a − ι) = ±ε per active pair and exactly 0 per idle pair, and E_y is |y| pairs (§8.8)`
      : em.kind === 'prefix'
        ? `${em.prefix?.m} cop${em.prefix?.m === 1n ? 'y' : 'ies'} of a constant chain K (K(ι) = K(a) = ${dec(em.prefix?.c ?? 0n)}) read first with ${dec(em.prefix?.w ?? 0n)} bring the output accumulator to ${em.down !== null ? 'max' : 'min'}${s.policy.overflow === 'saturate' ? ' (saturating)' : ' exactly'} (§8.10), then E_y is a run of copies of P read with ${dec((em.down ?? em.up) as bigint)} (which kills ι and reads a as ${em.down !== null ? '−ε' : '+ε'}), then ⊕ 0`
        : `E_y is a run of |y − β| copies of P read with ${[em.up, em.down]
            .filter((w): w is bigint => w !== null)
            .map(dec)
            .join(
              ' or ',
            )} (each kills ι and reads a as ±ε), β = ${dec(em.beta)}; the partial sums run monotonely from β to y (lemma of runs, §9.7)`;
  const mode =
    c.mode === 'gain'
      ? 'gain mode: first steps with the gains ±½ of Lemma G, which never overflow'
      : 'threshold mode, Lemma 4';
  return {
    verdict: 'universal',
    dist: { holds: true, witness: null },
    certificate: summarizeIdle(f, c, em),
    reason: `${distReason ? `${distReason}; ` : ''}σ_F never takes the value 0, and an idle family certificate (Lemma IF, docs/theory.md §9.5) with the levels a = ${dec(c.e)}, I = {${dec(em.iota)}}: threshold chains in families (${mode}) proved once for all thresholds by interval images onto ι and a, AND and delay checked on {ι, a}; ${rule}, proved for every y at once; by the composition lemma with idle sets (§8.3${em.kind === 'paired' ? ', §8.8' : em.kind === 'prefix' ? ', §8.10' : ', §9.7'}) every f : 𝕀^d → 𝕀 is computed${distReason ? '' : ' (so DIST holds too)'}`,
    analytic: null,
  };
}

/** The summary of an idle family certificate (its emitters: up to |𝕀| copies of P, or pairs). */
function summarizeIdle(
  f: Configuration['format'],
  c: WideCertificate,
  em: NonNullable<WideCertificate['idle']>,
): CertificateSummary {
  const base = summarize(f, c, false);
  const dec = (v: bigint) => codeToDecimal(v, f);
  const span = 2 ** f.bits; // |y − β| ≤ N − 1 terms (at most)
  const pd = c.delay.length;
  const perTerm = em.kind === 'paired' ? 4 * pd : 2 * pd;
  const terms =
    (em.kind === 'paired' ? 2 : 1) * (span - 1) + (em.kind === 'prefix' ? Number(em.prefix?.m ?? 0n) : 0);
  return {
    ...base,
    e: dec(c.e),
    a: dec(c.e),
    idle: [dec(em.iota)],
    omega: dec(
      em.kind === 'paired'
        ? f.fracBits >= 0
          ? 1n << BigInt(f.fracBits)
          : 1n
        : ((em.up ?? em.down) as bigint),
    ),
    emitter: { parameters: perTerm * (span - 1), depth: pd, maxTerms: terms },
    beta: dec(em.beta),
  };
}

/** Lemma OP's tie check, as the reason names it. */
function featurePairTies(r: Exclude<ReturnType<typeof wideSigma>, string>): string {
  const h = featurePairHypotheses(r);
  if (typeof h === 'string' || h.ties === null) return '';
  return r.setting.config.activation.name === 'gelu'
    ? `; ties checked: 2·gelu(x)/ε rounded by floor and by ceil with one more fraction bit at every code from 0 up to the first whole x ≥ 3 where gelu(x) > x − ε/2 (x·Q(x) decreases beyond), ${h.ties} ties, the pairs next to them evaluated`
    : `; the pairs next to the ${h.ties} codes where hard-swish is a tie evaluated`;
}

/** Which emitter lemma the certificate uses. */
function emitterRule(c: WideCertificate, binary: boolean): string {
  if (c.fan) return `fan emitters of Lemma F (digits 1 … 2^${c.fan.digits.length - 1}, weights ±1)`;
  return binary ? 'ladder emitters of Lemma L' : 'emitters of Lemma E';
}

/** Size of the largest fan emitter (Lemma F): M copies of n₁, then the digits of |min|. */
function fanSize(
  f: Configuration['format'],
  fan: WideFan,
): { parameters: number; depth: number; maxTerms: number } {
  const M = Math.max(...fan.digits.map((d) => Number(d.k)));
  const J = fan.digits.length - 1;
  const top = 2 ** J;
  const mag = 2 ** (f.bits - 1);
  const q = Math.floor(mag / top);
  let parameters = 2 * M;
  let terms = 0;
  for (let j = 0; j < J; j++) {
    // the worst case reads every lower digit once
    parameters += Number(fan.digits[j].k) + 1;
    terms++;
  }
  parameters += q * (Number(fan.digits[J].k) + 1);
  terms += q;
  return { parameters, depth: 2, maxTerms: terms };
}

/** Size of the largest ladder emitter (Lemma L) with K doublings: |y| with every bit set. */
function ladderSize(K: number): { parameters: number; depth: number; maxTerms: number } {
  let parameters = 4; // two copies of the delay
  for (let k = 0; k < K; k++) parameters += (k === K - 1 ? 3 : 6) + 2 * (k + 1); // doublings, carries
  return { parameters, depth: K + 1, maxTerms: K + 1 };
}

/** The summary of a family certificate (sizes of its largest detector, AND, delay and emitter). */
function summarize(f: Configuration['format'], c: WideCertificate, binary: boolean): CertificateSummary {
  const pair = Math.max(...chainLengths(c));
  const andDepth = 1 + c.and.rest.length;
  const andParams = 3 + 2 * c.and.rest.length;
  // Proposition FP: four padded chains and three ANDs
  const fp = c.mode === 'feature-pair';
  const both = c.mode !== 'rotation' || c.families.every((x) => x.ge && x.le);
  const dec = (v: bigint) => codeToDecimal(v, f);
  const amp = c.amplifier?.length ?? 0;
  return {
    e: dec(c.e),
    a: dec(c.e),
    idle: ['0'],
    omega: '1',
    detector: fp
      ? { parameters: 8 * pair + 3 * andParams, neurons: 4 * pair + 3 * andDepth, depth: pair + 2 * andDepth }
      : {
          parameters: both ? 4 * pair + andParams : 2 * pair,
          neurons: both ? 2 * pair + andDepth : pair,
          depth: both ? pair + andDepth : pair,
        },
    and: { parameters: andParams, depth: andDepth },
    delay: { parameters: 2 * c.delay.length, depth: c.delay.length },
    emitter: c.fan
      ? fanSize(f, c.fan)
      : binary
        ? ladderSize(f.bits - 2)
        : { parameters: 2 * amp, depth: amp, maxTerms: 1 },
    beta: '0',
  };
}

/** The reason of a shift span verdict (Proposition SS with (H1) by Lemma SR). */
function shiftSpanReason(s: ReturnType<typeof wideSetting>, g: WideShiftSpan): string {
  const f = s.format;
  const dec = (v: bigint) => codeToDecimal(v, f);
  const gen =
    g.chain.length === 0
      ? `G(z) = ${dec(g.omega)} ⊗ σ_F(z)`
      : g.chain
          .reduce((inner, [w, b]) => `σ_F(${dec(w)} ⊗ ${inner} ⊕ ${dec(b)})`, 'σ_F(z)')
          .replace(/^/, `G(z) = ${dec(g.omega)} ⊗ `);
  return `a shift span certificate (Proposition SS, docs/theory.md §10.10, with (H1) by Lemma SR, §9.5): the generator ${gen} is monotone in z (σ_F non-decreasing by its proven shape, every weight non-zero, no intermediate value leaves the range at z = min and max), so Σ_z G(z) over all ${s.max - s.min + 1n} codes is counted exactly over its ${g.runs} runs of equal values, and it is odd; ${s.min < 0n ? 'codes read modulo N (two’s complement: Proposition SS reads codes only modulo N, §9.5); ' : ''}${s.binary ? 'binary weights: every weight of G and of the proof’s blocks is 1 ∈ W (§9.5, Lemma SR, remark); ' : ''}S = {1} (1 ⊗ x = x), the pair AND σ_F(${dec(2n * g.k)}) ∉ {σ_F(0), σ_F(${dec(g.k)})} evaluated${s.exact ? ', and the output weight is a whole number (so copies add exactly, §10.10 Fact 1)' : ''}; so the N shifts of G span every function modulo N and the configuration is universal`;
}
