import { activationZeroIn, parseActivation } from '../activations/activation.js';
import type { FormatKind } from '../format.js';
import { parseFormat } from '../format.js';
import type { MapCell } from './map.js';

/**
 * The claims of the paper's abstract (C1–C6, issue 11 §3; THEORY §6), each checked against expressivity
 * maps: the cells where the claim is tested, split into those where it holds and those where it fails,
 * with one example of each and its evidence (the verdict's reason). Pure: the maps are computed by the
 * caller (`fxnn reproduce --claims` runs them on worker threads).
 */

/** One map: its formats' encoding, weight set and accumulation, and its cells. */
export interface ClaimMap {
  readonly encoding: FormatKind;
  readonly weights: 'all' | 'binary';
  readonly accumulation: 'sequential' | 'exact';
  readonly cells: readonly MapCell[];
}

/** A cell of a claim: which map, which cell, its verdict and the evidence. */
export interface ClaimCell {
  readonly map: string;
  readonly activation: string;
  readonly format: string;
  readonly verdict: string;
  readonly evidence: string;
}

export interface Claim {
  readonly id: string;
  readonly statement: string;
  /** What "holds" and "fails" mean for this claim on one cell. */
  readonly test: string;
  readonly holds: readonly ClaimCell[];
  readonly fails: readonly ClaimCell[];
  /** Cells held / tested per map (label → [holds, tested]). */
  readonly byMap: Readonly<Record<string, readonly [number, number]>>;
}

/** The activations C3 names, and those C5 calls practical (C3's and tanh). */
export const C3_ACTIVATIONS = ['sigmoid', 'relu', 'elu', 'softplus', 'silu', 'mish', 'gelu'] as const;
export const PRACTICAL_ACTIVATIONS = [...C3_ACTIVATIONS, 'tanh'] as const;

export function mapLabel(m: Pick<ClaimMap, 'encoding' | 'weights' | 'accumulation'>): string {
  return `${m.encoding} ${m.weights}${m.accumulation === 'exact' ? ' exact' : ''}`;
}

function evidence(c: MapCell): string {
  if (c.verdict === 'universal' && c.certificate) {
    const k = c.certificate;
    return `certificate e = ${k.e}, detectors ≤ ${k.detector.parameters} parameters, verified on every input of each gadget`;
  }
  if (c.verdict === 'not-universal' && c.dist && !c.dist.holds && c.dist.witness)
    return `DIST fails: x = ${c.dist.witness[0]} and x = ${c.dist.witness[1]} are never separated`;
  const r = c.reason;
  return r.length > 160 ? `${r.slice(0, 157)}…` : r;
}

type Judge = (c: MapCell, m: ClaimMap) => boolean | null;

function claim(id: string, statement: string, test: string, maps: readonly ClaimMap[], judge: Judge): Claim {
  const holds: ClaimCell[] = [];
  const fails: ClaimCell[] = [];
  const byMap: Record<string, [number, number]> = {};
  for (const m of maps) {
    const label = mapLabel(m);
    for (const c of m.cells) {
      const j = judge(c, m);
      if (j === null) continue;
      const entry = byMap[label] ?? [0, 0];
      byMap[label] = entry;
      entry[1]++;
      const cell = {
        map: label,
        activation: c.activation,
        format: c.format,
        verdict: c.verdict,
        evidence: evidence(c),
      };
      if (j) {
        entry[0]++;
        holds.push(cell);
      } else fails.push(cell);
    }
  }
  return { id, statement, test, holds, fails, byMap };
}

const zeroCache = new Map<string, boolean>();
/** σ has a fixed-point zero: σ(x₀) = 0 exactly for some x₀ ∈ 𝕀 (THEORY §6.3). */
function hasFixedPointZero(activation: string, format: string): boolean {
  const key = `${activation} ${format}`;
  let z = zeroCache.get(key);
  if (z === undefined) {
    z = activationZeroIn(parseActivation(activation), parseFormat(format)) !== null;
    zeroCache.set(key, z);
  }
  return z;
}

const decidedByConditions = (c: MapCell) =>
  c.verdict === 'universal' || (c.verdict === 'not-universal' && c.dist !== null && !c.dist.holds);

/** C1–C6 against the given maps (binary maps are paired with the all-weights map of the same kind). */
export function paperClaims(maps: readonly ClaimMap[]): Claim[] {
  const allOf = new Map<string, Map<string, MapCell>>();
  for (const m of maps) {
    if (m.weights !== 'all') continue;
    allOf.set(
      `${m.encoding} ${m.accumulation}`,
      new Map(m.cells.map((c) => [`${c.activation} ${c.format}`, c])),
    );
  }
  const c3 = new Set<string>(C3_ACTIVATIONS);
  const practical = new Set<string>(PRACTICAL_ACTIVATIONS);
  return [
    claim(
      'C1',
      'the necessary condition: without DIST no configuration is universal',
      'tested where DIST fails; holds when the verdict is not-universal (Theorem 1), fails when a certificate exists',
      maps,
      (c) => (c.dist && !c.dist.holds ? c.verdict === 'not-universal' : null),
    ),
    claim(
      'C2',
      'the sufficient condition: a verified certificate (detectors, AND, delay, emitters) gives universality',
      'tested where DIST holds; holds where the condition is met (universal, certificate verified), fails where it is not (undetermined, or not universal by another obstruction)',
      maps,
      (c) => (c.dist?.holds ? c.verdict === 'universal' : null),
    ),
    claim(
      'C3',
      'sigmoid, relu, elu, softplus, silu, mish and gelu satisfy the sufficient condition',
      'tested on those activations with all weights; holds where universal with a certificate',
      maps.filter((m) => m.weights === 'all'),
      (c) => (c3.has(c.activation) ? c.verdict === 'universal' : null),
    ),
    claim(
      'C4',
      'when σ has a fixed-point zero (σ(x₀) = 0 with x₀ ∈ 𝕀) the two conditions coincide',
      'tested where σ has such a zero; holds where the conditions decide the cell (a certificate, or DIST fails), fails where DIST holds and no certificate exists',
      maps,
      (c) =>
        c.verdict === 'not-applicable' || !hasFixedPointZero(c.activation, c.format)
          ? null
          : decidedByConditions(c),
    ),
    claim(
      'C5',
      'binary weights {−1, 1} suffice for practical activations',
      'tested on sigmoid, relu, elu, softplus, silu, mish, gelu and tanh where all weights are universal and ±1 are values; holds where binary weights are universal too',
      maps.filter((m) => m.weights === 'binary'),
      (c, m) => {
        if (!practical.has(c.activation) || c.verdict === 'not-applicable') return null;
        const all = allOf.get(`${m.encoding} ${m.accumulation}`)?.get(`${c.activation} ${c.format}`);
        if (all?.verdict !== 'universal') return null;
        return c.verdict === 'universal';
      },
    ),
    claim(
      'C6',
      'networks with the identity activation are universal through rounding',
      'tested on the identity activation; holds where universal',
      maps,
      (c) =>
        c.activation === 'identity' && c.verdict !== 'not-applicable' ? c.verdict === 'universal' : null,
    ),
  ];
}

/** One line per claim: counts, per map, and one example of each side with its evidence. */
export function claimsText(claims: readonly Claim[]): string {
  const ex = (c: ClaimCell | undefined) =>
    c ? `${c.activation} on ${c.format} (${c.map}): ${c.verdict}, ${c.evidence}` : 'none';
  return claims
    .map((k) => {
      const per = Object.entries(k.byMap)
        .map(([label, [h, t]]) => `${label} ${h}/${t}`)
        .join(', ');
      const failing = new Map<string, number>();
      for (const c of k.fails) failing.set(c.activation, (failing.get(c.activation) ?? 0) + 1);
      const where = [...failing].map(([a, n]) => `${a} ${n}`).join(', ');
      return (
        `${k.id} ${k.statement}: holds in ${k.holds.length} of ${k.holds.length + k.fails.length} cells tested, fails in ${k.fails.length}${where ? ` (${where})` : ''} [held/tested: ${per}]. ` +
        `Holds e.g. ${ex(k.holds[0])}. Fails e.g. ${ex(k.fails[0])}.`
      );
    })
    .join('\n');
}
