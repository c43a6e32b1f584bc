/**
 * Lemma IF (idle families above 16 bits; docs/theory.md §9.5): where σ_F never takes the value 0, a family
 * certificate (threshold mode under `saturate`, Lemma 4; gain mode under `error`, Lemmas G/G′/G″) whose
 * every gadget is checked with the levels (ι, a) instead of (0, e) — delay P(ι) = ι, P(a) = a, AND on
 * {ι, a}², every rest chain and single chain by interval images onto ι and a — is the detector part (i)–(iii)
 * of an idle chain certificate (§9.7), for every threshold at once. With emitters by one of the rules of
 * `wide-idle-emitters.ts` (runs of one-code increments with β = 0, max or min, §9.7; a constant prefix
 * read first, §8.10; cancelling pairs under exact accumulation, §8.8), each proved for every y at once,
 * the composition lemma with idle sets (§8.3, §8.8, §8.10) gives universality. `verifyWideCertificate`
 * checks everything before a certificate is returned; the search here is incomplete.
 */
import type { Budget } from '../budget.js';
import type { ActivationShape } from './activation-shape.js';
import {
  findAnd,
  gainFamilies,
  thresholdFamilies,
  verifyWideCertificate,
  type WideCertificate,
} from './wide-certificate.js';
import { solveWideChain } from './wide-chain.js';
import { gainApplies } from './wide-gain.js';
import { idleTerm, modularDelta, runWeight, type WideIdleEmitters } from './wide-idle-emitters.js';
import type { WideSetting, WideStep } from './wide-setting.js';
import type { WideSigma } from './wide-sigma.js';
import { wrappedSigma } from './wide-wrapped-sigma.js';

export interface WideIdleSearch {
  readonly certificate: WideCertificate | null;
  readonly tried: string[];
}

/** Most level pairs given the full search. */
const MAX_PAIRS = 6;

const runChain = (s: WideSetting, steps: readonly WideStep[], x: bigint): bigint | null => {
  let h: bigint | null = x;
  for (const st of steps) {
    if (h === null) return null;
    h = s.step(st, h);
  }
  return h;
};

/** Level pairs (ι, a) one code apart, both values of σ_F: around σ_F(0), then σ_F's least and greatest. */
export function idleLevelPairs(r: WideSigma): Array<[bigint, bigint]> {
  const s = r.setting;
  const out: Array<[bigint, bigint]> = [];
  const isValue = (v: bigint) => v >= s.min && v <= s.max && r.preimageSpans(v).length > 0;
  const add = (iota: bigint, a: bigint) => {
    if (iota === 0n || a === 0n || !isValue(iota) || !isValue(a)) return;
    if (out.some(([x, y]) => x === iota && y === a)) return;
    out.push([iota, a]);
  };
  const hull = r.range(s.min, s.max);
  const v0 = s.sigma(0n);
  if (v0 !== null) {
    add(v0, v0 + 1n);
    add(v0, v0 - 1n);
    add(v0 + 1n, v0);
    add(v0 - 1n, v0);
  }
  // σ_F(min), σ_F's least value on a monotone branch (also where the hull is not defined: σ_F invalid at max)
  const low = s.sigma(s.min);
  if (!hull && low !== null) {
    add(low, low + 1n);
    add(low + 1n, low);
  }
  if (hull) {
    add(hull[0], hull[0] + 1n);
    add(hull[0] + 1n, hull[0]);
    add(hull[1], hull[1] - 1n);
    add(hull[1] - 1n, hull[1]);
  }
  return out;
}

/**
 * A one-step chain head constant on {ι, a}: σ_F(w⊗ι ⊕ b) = σ_F(w⊗a ⊕ b) = v (or any common value when
 * `v` is null), for w among the smallest weights of W (one code, or ±1 with binary weights).
 */
function constantHead(
  s: WideSetting,
  r: WideSigma,
  iota: bigint,
  a: bigint,
  v: bigint | null,
): WideStep | null {
  return constantHeads(s, r, iota, a, v)[0] ?? null;
}

/** Every such head among the candidates, in order. */
function constantHeads(s: WideSetting, r: WideSigma, iota: bigint, a: bigint, v: bigint | null): WideStep[] {
  const found: WideStep[] = [];
  const ws = s.binary ? [s.one, -s.one] : [1n, -1n, 2n, -2n, s.one, -s.one];
  for (const w of ws) {
    if (w < s.min || w > s.max) continue;
    // the ends, and next to max (where σ_F may be invalid at max itself: σ_F(max − ε) is then its top value)
    const biases = new Set<bigint>([s.max, s.min, s.max - 1n, s.max - 2n]);
    const spans = v === null ? [] : r.preimageSpans(v);
    for (const [p1, p2] of spans)
      for (const p of [p1, p2]) {
        for (const h of [iota, a]) {
          const u = s.exact ? (w * h) / s.one : s.pre([w], [h], 0n);
          if (u === null) continue;
          for (const d of [-1n, 0n, 1n]) biases.add(p - u + d);
        }
      }
    for (const b of biases) {
      if (b < s.min || b > s.max) continue;
      const x = s.step([w, b], iota);
      const y = s.step([w, b], a);
      if (x !== null && x === y && (v === null || x === v)) found.push([w, b]);
    }
  }
  return found;
}

/** The emitter rule of a level pair with delay P, or the reason there is none. */
function emitterRule(
  r: WideSigma,
  iota: bigint,
  a: bigint,
  delay: readonly WideStep[],
): WideIdleEmitters | string {
  const s = r.setting;
  if (s.exact) {
    if (a - iota !== 1n && a - iota !== -1n) return 'paired emitters need a − ι = ±1 code';
    const v = runChain(s, delay.slice(0, 1), iota);
    const head = v === null ? null : constantHead(s, r, iota, a, v);
    if (!head) return 'no constant chain C(ι) = C(a) = ι';
    return { iota, kind: 'paired', up: null, down: null, beta: 0n, constant: [head, ...delay.slice(1)] };
  }
  if (s.binary)
    return 'binary weights: ±1 ⊗ ι ≠ 0, so no weight kills ι under sequential accumulation (§8.5)';
  const up = runWeight(s, iota, a, 1n);
  const down = runWeight(s, iota, a, -1n);
  if (up === null && down === null) return 'no weight kills ι and reads a as one code';
  if (up !== null && down !== null) return { iota, kind: 'runs', up, down, beta: 0n };
  if (s.config.bias === 'first') return { iota, kind: 'runs', up, down, beta: down !== null ? s.max : s.min };
  // bias last, one sign: a constant prefix to max (down) or min (up)
  const target = down !== null ? s.max : s.min;
  const heads = constantHeads(s, r, iota, a, null);
  if (heads.length === 0) return 'no constant chain for the prefix';
  for (const head of heads) {
    const chain = [head, ...delay.slice(1)];
    const c = runChain(s, chain, iota);
    if (c === null || c === 0n || runChain(s, chain, a) !== c) continue;
    const prefix = prefixTerm(s, c, target);
    if (prefix) return { iota, kind: 'prefix', up, down, beta: 0n, prefix: { chain, c, ...prefix } };
  }
  return `no prefix term reaches code ${target}`;
}

/** A weight w and m copies with m·(w ⊗ c) = target (or, under saturate, ≥ it in the target's direction). */
function prefixTerm(s: WideSetting, c: bigint, target: bigint): { w: bigint; m: bigint } | null {
  const sign = c > 0n === target > 0n ? 1n : -1n;
  if (s.policy.overflow === 'saturate') {
    const w = sign > 0n ? s.max : s.min;
    const t = s.pre([w], [c], 0n);
    if (t === null || t === 0n || t > 0n !== target > 0n) return null;
    const m = (target + t - (t > 0n ? 1n : -1n)) / t;
    return m >= 1n && m <= 1n << 20n ? { w, m } : null;
  }
  // exact: for m = 1 … 64 dividing the target, the weight with w ⊗ c = target / m by bisection
  for (let m = 1n; m <= 64n; m++) {
    if (target % m !== 0n) continue;
    const want = target / m;
    let lo = 0n;
    let hi = sign > 0n ? s.max : -s.min;
    const at = (k: bigint) => idleTerm(s, sign * k, c);
    while (hi - lo > 1n) {
      const mid = (lo + hi) / 2n;
      const t = at(mid);
      if (t === null || (want > 0n ? t >= want : t <= want)) hi = mid;
      else lo = mid;
    }
    if (at(hi) === want) return { w: sign * hi, m };
  }
  return null;
}

/** Searches a family certificate with idle levels (σ_F without a zero; saturate or error with Lemma G). */
export function findWideIdleCertificate(
  r: WideSigma,
  budget?: Budget,
  options: { cap?: bigint } = {},
): WideIdleSearch {
  const s = r.setting;
  const tried: string[] = [];
  const mode = s.policy.overflow;
  if (mode === 'wrap') return { certificate: null, tried: ['idle families (Lemma IF): not under wrap'] };
  if (mode === 'error') {
    const why = gainApplies(s);
    if (why)
      return { certificate: null, tried: [`idle families (Lemma IF) under error need Lemma G: ${why}`] };
  }
  if (s.one > s.max) return { certificate: null, tried: ['idle families (Lemma IF): 1 is not a value'] };
  let full = 0;
  for (const [iota, a] of idleLevelPairs(r)) {
    const label = `idle families (Lemma IF), ι = code ${iota}, a = code ${a}`;
    const delay = solveWideChain(r, [iota, iota], [a, a], iota, a, {
      minDepth: 1,
      maxDepth: 3,
      budget,
      maxWork: 40_000,
    });
    if (!delay) {
      tried.push(`${label}: no delay P(ι) = ι, P(a) = a`);
      continue;
    }
    const rule = emitterRule(r, iota, a, delay);
    if (typeof rule === 'string') {
      tried.push(`${label}: ${rule}`);
      continue;
    }
    if (full >= MAX_PAIRS) {
      tried.push(`${label}: not searched (at most ${MAX_PAIRS} level pairs)`);
      continue;
    }
    full++;
    const and = findAnd(r, a, true, budget, iota);
    if (!and) {
      tried.push(`${label}: no AND gadget on {ι, a}`);
      continue;
    }
    for (const depth of [3, 6]) {
      const thresholds =
        mode === 'error'
          ? gainFamilies(r, a, depth, budget, s.format.bits > 16, iota, options.cap)
          : thresholdFamilies(r, a, depth, budget, iota);
      if (typeof thresholds === 'string') {
        tried.push(`${label}, depth ${depth}: ${thresholds}`);
        continue;
      }
      const cert: WideCertificate = {
        mode: mode === 'error' ? 'gain' : 'threshold',
        e: a,
        delay,
        and,
        amplifier: null,
        sign: 1n,
        fan: null,
        idle: rule,
        ...thresholds,
      };
      const failure = verifyWideCertificate(r, cert);
      if (failure) {
        tried.push(`${label}: ${failure}`);
        break;
      }
      return { certificate: cert, tried };
    }
  }
  if (tried.length === 0) tried.push('idle families (Lemma IF): no level pair one code apart');
  return { certificate: null, tried };
}

/**
 * Modular idle certificates with cyclic detectors (§8.9, §10.3) for softplus where σ leaves the range at the
 * top under `wrap` (Lemma IF, modular emitters): the split at the first wrapped code c* (σ_F is non-decreasing
 * on [min, c* − 1] and on [c*, max], `wrappedSigma`), one rest chain R sending σ_F([c*, max]) to a and
 * σ_F([min, c* − 1]) to ι by interval images (strict: no wrap inside R), U_z = [(1, c* − z)] + R, L_z =
 * [(−1, c* + z)] + R (mod N), D_z = A(U_z, L_z), 2(max − c*) ≤ N − 1; emitters k_y ≡ y·δ⁻¹ copies of P read
 * with u = ±1, δ odd.
 */
export function findWideModularIdleCertificate(
  s: WideSetting,
  shape: ActivationShape,
  budget?: Budget,
): WideIdleSearch & { sigma: WideSigma | null } {
  const tried: string[] = [];
  const no = (why: string) => ({
    certificate: null,
    tried: [`modular idle families (Lemma IF): ${why}`],
    sigma: null,
  });
  if (s.policy.overflow !== 'wrap') return no('not under wrap');
  if (s.one > s.max || -s.one < s.min) return no('±1 are not both values');
  const r = wrappedSigma(s, shape);
  if (typeof r === 'string') return no(r);
  const cut = r.cut;
  if (cut < 0n || 2n * (s.max - cut) > s.max - s.min)
    return no(`the wrap point code ${cut} is too far from max for −1 rotations`);
  let full = 0;
  // the top pairs first (σ_F's greatest values sit just below the wrap point, next to the wrapped piece)
  const pairs = idleLevelPairs(r);
  // and the least value of the unwrapped piece, σ_F(min) (its bottom plateau is wide: a finishing step
  // places two far-apart single values on it and on the next plateau)
  const low = s.sigma(s.min);
  if (low !== null)
    for (const [x, y] of [
      [low, low + 1n],
      [low + 1n, low],
    ] as const)
      if (
        !pairs.some(([p, q]) => p === x && q === y) &&
        r.preimageSpans(x).length > 0 &&
        r.preimageSpans(y).length > 0
      )
        pairs.push([x, y]);
  // (the two levels are one code apart, so their sum orders the pairs as their greater level does)
  pairs.sort((x, y) => Number(y[0] + y[1] - (x[0] + x[1])));
  for (const [iota, a] of pairs) {
    const label = `modular idle families (Lemma IF), ι = code ${iota}, a = code ${a}`;
    const u = [s.one, -s.one].find((w) => typeof modularDelta(s, a, iota, w) === 'bigint') ?? null;
    if (u === null) {
      tried.push(`${label}: no weight ±1 with an odd difference δ`);
      continue;
    }
    const delay = solveWideChain(r, [iota, iota], [a, a], iota, a, {
      minDepth: 1,
      maxDepth: 3,
      budget,
      maxWork: 40_000,
    });
    if (!delay) {
      tried.push(`${label}: no delay P(ι) = ι, P(a) = a`);
      continue;
    }
    if (full >= MAX_PAIRS + 2) break;
    full++;
    const and = findAnd(r, a, true, budget, iota);
    if (!and) {
      tried.push(`${label}: no AND gadget on {ι, a}`);
      continue;
    }
    // cyclic mode needs only the ≥ rest chain: hull σ_F([min, c* − 1]) → ι, hull σ_F([c*, max]) → a
    const idleSide = r.range(s.min, cut - 1n);
    const activeSide = r.range(cut, s.max);
    let ge: WideStep[] | null = null;
    for (const depth of [3, 6]) {
      if (!idleSide || !activeSide) break;
      ge = solveWideChain(r, idleSide, activeSide, iota, a, {
        minDepth: 0,
        maxDepth: depth,
        budget,
        singletons: true,
      });
      if (ge) break;
    }
    if (!ge) {
      tried.push(`${label}: no rest chain for the split at the wrap point code ${cut}`);
      continue;
    }
    const rest = { ge };
    const cert: WideCertificate = {
      mode: 'cyclic',
      e: a,
      delay,
      and,
      amplifier: null,
      sign: 1n,
      fan: null,
      families: [{ split: cut, ge: rest.ge, le: null }],
      singles: [],
      idle: { iota, kind: 'modular', up: u, down: null, beta: 0n },
    };
    const failure = verifyWideCertificate(r, cert);
    if (failure) {
      tried.push(`${label}: ${failure}`);
      continue;
    }
    return { certificate: cert, tried, sigma: r };
  }
  if (tried.length === 0) tried.push('modular idle families (Lemma IF): no level pair one code apart');
  return { certificate: null, tried: compressTried(tried), sigma: r };
}

/** "label: failure" lines grouped by failure (one line per failure, naming how many level pairs met it). */
function compressTried(tried: readonly string[]): string[] {
  const by = new Map<string, string[]>();
  for (const line of tried) {
    const m = /^(.*), ι = code (-?\d+), a = code (-?\d+): (.*)$/.exec(line);
    if (!m) {
      by.set(line, []);
      continue;
    }
    const list = by.get(`${m[1]}: ${m[4]}`) ?? [];
    list.push(`(${m[2]}, ${m[3]})`);
    by.set(`${m[1]}: ${m[4]}`, list);
  }
  return [...by].map(([k, pairs]) =>
    pairs.length === 0 ? k : k.replace(': ', ` (level pairs (ι, a) in codes ${pairs.join(', ')}): `),
  );
}
