/**
 * The linear-unit condition (docs/theory.md §5) above 16 bits, without scanning σ_F (§9.5): for a
 * two's-complement Qm.n with m ≥ 2, overflow saturate and all weights,
 * - (L1) σ_F(v) = v for v ≥ 0 holds by definition for relu, leaky-relu, elu and identity (σ(v) = v there,
 *   and rounding a value of 𝕀 returns it); other activations are not claimed;
 * - (L2) σ_F(−ε) ≤ 0 is one evaluation;
 * - (L3) for w > 0 and a non-decreasing σ_F (the activation's proven shape) the neuron
 *   y(x) = σ_F(w⊗x ⊕ b) is non-decreasing in x (its pre-activation is, under saturate), so its least
 *   value is strict at min iff min < y(min) < y(min + ε): two evaluations per candidate (w, b).
 * Together they give universality by the theorem of §5 (its proof holds for every such format).
 */

import type { WideStep } from './wide-setting.js';
import type { WideSigma } from './wide-sigma.js';

export interface WideLinearUnits {
  readonly holds: boolean;
  readonly failure: string | null;
  readonly bottom: WideStep | null;
}

const IDENTITY_ON_NONNEGATIVE = new Set(['relu', 'leaky-relu', 'elu', 'identity']);

const fail = (failure: string): WideLinearUnits => ({ holds: false, failure, bottom: null });

export function wideLinearUnits(r: WideSigma): WideLinearUnits {
  const s = r.setting;
  const f = s.format;
  const act = s.config.activation;
  if (f.encoding !== 'twos-complement') return fail(`not a two's-complement format (${f.spec})`);
  if (f.intBits < 2) return fail(`needs at least 2 integer bits (${f.spec} has ${f.intBits})`);
  if (s.policy.overflow !== 'saturate') return fail(`needs overflow saturate, not ${s.policy.overflow}`);
  if (s.binary) return fail('needs all weights');
  if (!IDENTITY_ON_NONNEGATIVE.has(act.name))
    return fail(`(L1) is proved above 16 bits only for relu, leaky-relu, elu and identity, not ${act.key}`);
  const m1 = s.sigma(-1n);
  if (m1 === null || m1 > 0n) return fail(`(L2) fails: σ_F(−ε) = code ${m1} > 0`);
  if (r.shape.kind !== 'monotone') return fail(`(L3): ${act.key} is not proved non-decreasing`);
  const bottom = findBottom(r);
  if (!bottom)
    return fail('(L3): no candidate neuron σ_F(w⊗x ⊕ b), w > 0, has its strict least value at min');
  return { holds: true, failure: null, bottom };
}

/** (L3) among candidates: w = 1, b = max first; then w near 1 with biases putting min + ε at a rise. */
function findBottom(r: WideSigma): WideStep | null {
  const s = r.setting;
  const { min, max, one } = s;
  const ok = (w: bigint, b: bigint) => {
    const y0 = s.neuron([w], [min], b);
    const y1 = s.neuron([w], [min + 1n], b);
    return y0 !== null && y1 !== null && y0 > min && y1 > y0;
  };
  if (ok(one, max)) return [one, max];
  const rises: bigint[] = [];
  for (let c = -4n; c <= 4n; c++) {
    const a = s.sigma(c - 1n);
    const b = s.sigma(c);
    if (a !== null && b !== null && b > a) rises.push(c);
  }
  const ws: bigint[] = [];
  for (let d = 1n; d <= 8n; d++) ws.push(one - d);
  for (let k = 1n; k <= 8n; k++) ws.push(one - one / (1n << k));
  for (const w of ws) {
    if (w <= 0n) continue;
    const u = s.exact ? (w * (min + 1n)) / one : s.pre([w], [min + 1n], 0n);
    if (u === null) continue;
    for (const c of rises)
      for (const d of [-1n, 0n, 1n]) {
        const b = c - u + d;
        if (b >= min && b <= max && ok(w, b)) return [w, b];
      }
  }
  return null;
}
