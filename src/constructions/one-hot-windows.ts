/**
 * One-hot windows of one coordinate (docs/construction.md, "Two-level tables through gadgets",
 * Indicators and gates): saturating steps at every threshold, padded to one depth and ending at levels
 * one (x ≥ t) and 0, and per value v its indicator one·[x = v] and gate one·[x ≠ v] as window neurons
 * over the steps around v (the steps take three joint values there: below, at, above v).
 */
import type { Setting } from '../engine/setting.js';
import type { SatStep, SaturatingSteps } from './saturating-steps.js';
import { findWindow } from './window-neuron.js';

/** Steps for the thresholds of one coordinate, padded to one depth, or null. */
export function stepsFor(
  ss: SaturatingSteps,
  thresholds: readonly number[],
  domain?: readonly [number, number],
  raw = false,
): { steps: SatStep[]; depth: number } | null {
  const steps: SatStep[] = [];
  for (const t of thresholds) {
    // on a restricted domain the search may end in a longer chain than on all of 𝕀: keep the shorter
    const a = domain ? ss.step(t, domain, raw) : null;
    const b = ss.step(t, undefined, raw);
    const st = a && (!b || a.chain.length <= b.chain.length) ? a : b;
    if (!st) return null;
    steps.push(st);
  }
  let depth = 0;
  for (const st of steps) depth = Math.max(depth, st.chain.length);
  for (let i = 0; i < steps.length; i++) {
    while (steps[i].chain.length < depth) {
      const p = ss.pad(steps[i]);
      if (!p) return null;
      steps[i] = p;
    }
  }
  return { steps, depth };
}

/**
 * Windows over the steps of one coordinate (values v_0 < … < v_{n−1}, step i at threshold v_{i+1}):
 * per value its indicator one·[x = v] and its gate one·[x ≠ v] as window neurons (ws, b) over the
 * steps (i − 1, i) around it, or null.
 */
export interface Windows {
  readonly ind: Array<{ src: number[]; ws: readonly number[]; b: number }>;
  readonly gate: Array<{ src: number[]; ws: readonly number[]; b: number }>;
}

export function windowsFor(
  s: Setting,
  steps: readonly SatStep[],
  n: number,
  wantGates: boolean,
): Windows | null {
  const ind: Windows['ind'] = [];
  const gate: Windows['gate'] = [];
  for (let i = 0; i < n; i++) {
    const src: number[] = [];
    const states: number[][] = [];
    // steps below (threshold v_i, index i − 1) and above (threshold v_{i+1}, index i)
    const lo = i > 0 ? steps[i - 1] : null;
    const hi = i < n - 1 ? steps[i] : null;
    if (lo) src.push(i - 1);
    if (hi) src.push(i);
    const st = (below: boolean, inside: boolean): number[] => {
      const v: number[] = [];
      if (lo) v.push(below ? lo.lb : lo.la);
      if (hi) v.push(inside || below ? hi.lb : hi.la);
      return v;
    };
    if (lo) states.push(st(true, false));
    states.push(st(false, true));
    if (hi) states.push(st(false, false));
    const targetsOf = (gateOf: boolean) =>
      states.map((_, k) => {
        const isInside = (lo ? k === 1 : k === 0) !== gateOf;
        return isInside ? s.one : 0;
      });
    const wi = findWindow(s, states, targetsOf(false));
    if (!wi) return null;
    ind.push({ src, ws: wi.ws, b: wi.b });
    if (wantGates) {
      const wg = findWindow(s, states, targetsOf(true));
      if (!wg) return null;
      gate.push({ src, ws: wg.ws, b: wg.b });
    }
  }
  return { ind, gate };
}
