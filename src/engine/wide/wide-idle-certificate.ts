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
import {
  findAnd,
  gainFamilies,
  thresholdFamilies,
  verifyWideCertificate,
  type WideCertificate,
} from './wide-certificate.js';
import { solveWideChain } from './wide-chain.js';
import { gainApplies } from './wide-gain.js';
import { idleTerm, runWeight, type WideIdleEmitters } from './wide-idle-emitters.js';
import type { WideSetting, WideStep } from './wide-setting.js';
import type { WideSigma } from './wide-sigma.js';

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
  const ws = s.binary ? [s.one, -s.one] : [1n, -1n, 2n, -2n, s.one, -s.one];
  for (const w of ws) {
    if (w < s.min || w > s.max) continue;
    const biases = new Set<bigint>([s.max, s.min]);
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
      if (x !== null && x === y && (v === null || x === v)) return [w, b];
    }
  }
  return null;
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
  const head = constantHead(s, r, iota, a, null);
  if (!head) return 'no constant chain for the prefix';
  const chain = [head, ...delay.slice(1)];
  const c = runChain(s, chain, iota);
  if (c === null || c === 0n || runChain(s, chain, a) !== c) return 'the prefix chain is not constant';
  const prefix = prefixTerm(s, c, target);
  if (!prefix) return `no prefix term reaches code ${target}`;
  return { iota, kind: 'prefix', up, down, beta: 0n, prefix: { chain, c, ...prefix } };
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
export function findWideIdleCertificate(r: WideSigma, budget?: Budget): WideIdleSearch {
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
          ? gainFamilies(r, a, depth, budget, s.format.bits > 16, iota)
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
