/**
 * Every input of a small network's domain at once, by a sweep (docs/construction.md, "Exhaustive
 * verification"). **Statement.** Order the inputs 𝕀^d lexicographically (x1 slowest) as positions
 * 0 … |𝕀|^d − 1; every neuron's value is then a step function of the position, described by its
 * _changes_ (the positions where it differs from the position before, with the new value). A layer's
 * changes follow from the previous layer's in one sweep over positions: at a position, only the neurons
 * that read a changed source can change, and a neuron's pre-activation is its accumulation over its
 * terms that are not _nothing_ (w ⊗ h = 0 under sequential accumulation, w · h = 0 under exact), in edge
 * order, because a nothing term leaves the accumulator unchanged in every mode (a ⊕ 0 = a for a value a;
 * adding 0 to an exact sum; docs/theory.md §8, Lemma A). So the sweep keeps, per neuron, the sorted list
 * of its edges whose current term is not nothing, recomputes a neuron from that list where a term
 * changed, and records a change where its value does. Exactly the network semantics of
 * `evaluateReference` (rounding and overflow of every ⊗ and ⊕ by `fastOps`, bias first or last, the exact
 * accumulator rounded once, σ_F by the network's activation lookup), independent of the expressivity
 * engine; the cost is the number of changes times the fan-outs instead of inputs times parameters, so the
 * compiler's networks of 10^5 parameters verify on 65,536 inputs in seconds. Under overflow `error` an
 * overflow anywhere makes the input an error, as the reference throws.
 */
import { fastOps } from '../core/fast-ops.js';
import { OverflowError } from '../core/overflow.js';
import { shiftRounder } from '../core/rounding.js';
import { FxnnError } from '../errors.js';
import { activationLookup } from './activation-lookup.js';
import { TABLE_MISS, TABLE_OVERFLOW } from './fast-kernel.js';
import type { Network } from './network.js';

/** Domains up to this many inputs are swept. */
export const SWEEP_MAX_POINTS = 2 ** 20;

/** The default bound on the changes of one layer (12 bytes each: 384 MiB; with the previous layer and a growing copy about 1 GiB at most). */
export const SWEEP_MAX_CHANGES = 2 ** 25;

export interface SweepResult {
  /** Per output neuron, its code at every input (lexicographic order); undefined where `overflow` is 1. */
  readonly outputs: Int32Array[];
  /** 1 where the evaluation overflows under overflow `error` (the reference throws there); null otherwise. */
  readonly overflow: Uint8Array | null;
  /** The changes of every layer (the work done), for reports. */
  readonly changes: number;
}

export interface SweepOptions {
  /** The most changes one layer may have (memory bound; default `SWEEP_MAX_CHANGES`). */
  readonly maxChanges?: number;
  /** Called after each layer. */
  readonly progress?: (layersDone: number, layers: number) => void;
  /**
   * d = 1 only: sweep the `count` inputs min + first … min + first + count − 1 instead of all of 𝕀 (the
   * outputs then have `count` entries), so a caller can split a domain whose layers change too often.
   */
  readonly first?: number;
  readonly count?: number;
}

/** Thrown when a layer would exceed `maxChanges` (callers may fall back to another evaluator). */
export class SweepTooLarge extends FxnnError {
  constructor(layer: number, limit: number) {
    super(
      `the sweep evaluator's layer ${layer} changes value more than ${limit} times over the domain`,
      'network',
    );
  }
}

/** A growable log of changes (position, neuron, value), in position order. */
class ChangeLog {
  pos = new Int32Array(1024);
  neuron = new Int32Array(1024);
  value = new Int32Array(1024);
  length = 0;
  constructor(
    private readonly limit: number,
    private readonly layer: number,
  ) {}
  push(p: number, n: number, v: number): void {
    if (this.length >= this.limit) throw new SweepTooLarge(this.layer, this.limit);
    if (this.length === this.pos.length) {
      const size = Math.min(this.length * 2, this.limit);
      const grow = (a: Int32Array) => {
        const b = new Int32Array(size);
        b.set(a);
        return b;
      };
      this.pos = grow(this.pos);
      this.neuron = grow(this.neuron);
      this.value = grow(this.value);
    }
    this.pos[this.length] = p;
    this.neuron[this.length] = n;
    this.value[this.length++] = v;
  }
}

/** The inputs' changes: x_k changes every |𝕀|^(d−1−k) positions. */
function inputLog(min: number, size: number, d: number, points: number): ChangeLog {
  const log = new ChangeLog(Number.MAX_SAFE_INTEGER, -1);
  const strides = Array.from({ length: d }, (_, k) => size ** (d - 1 - k));
  for (let p = 0; p < points; p++) {
    for (let k = 0; k < d; k++) {
      if (p % strides[k] === 0) log.push(p, k, min + (Math.floor(p / strides[k]) % size));
    }
  }
  return log;
}

/**
 * Evaluates `net` on every input of 𝕀^d (d = `net.inputs`, lexicographic order, x1 slowest), bit-exact
 * with `evaluateReference`. Formats of at most 16 bits; domains of at most 2^20 inputs.
 */
export function evaluateAllInputs(net: Network, options: SweepOptions = {}): SweepResult {
  const { format, policy } = net;
  if (format.bits > 16) throw new RangeError(`evaluateAllInputs: ${format.spec} has more than 16 bits`);
  const min = Number(format.minCode);
  const size = Number(format.size);
  const d = net.inputs;
  const first = options.first ?? 0;
  if ((options.first !== undefined || options.count !== undefined) && d !== 1)
    throw new RangeError('evaluateAllInputs: first and count need one input');
  const points = options.count ?? size ** d - first;
  if (first < 0 || points < 1 || first + points > size ** d)
    throw new RangeError(
      `evaluateAllInputs: inputs ${first} … ${first + points - 1} outside 0 … ${size ** d - 1}`,
    );
  const x0 = min + first;
  if (points > SWEEP_MAX_POINTS) {
    throw new RangeError(
      `evaluateAllInputs: ${size}^${d} inputs; the sweep takes at most ${SWEEP_MAX_POINTS}`,
    );
  }
  const limit = options.maxChanges ?? SWEEP_MAX_CHANGES;
  const ops = fastOps(format, policy);
  const unit = 2 ** format.fracBits;
  const exact = net.accumulation === 'exact';
  const biasFirst = net.bias === 'first';
  const trapping = policy.overflow === 'error';
  const overflow = trapping ? new Uint8Array(points) : null;
  let log = inputLog(x0, size, d, points);
  const rnd = shiftRounder(policy.rounding, format.fracBits);
  let changes = log.length;
  let width = d;
  net.layers.forEach((layer, l) => {
    const W = layer.neurons.length;
    const { table, lookup } = activationLookup(layer.activation, format, policy);
    // edges in CSR by target, and the sources' fan-out by edge
    const edgeStart = new Int32Array(W + 1);
    layer.neurons.forEach((n, t) => {
      edgeStart[t + 1] = edgeStart[t] + n.edges.length;
    });
    const E = edgeStart[W];
    const edgeTarget = new Int32Array(E);
    const edgeWeight = new Float64Array(E);
    const bias = new Float64Array(W);
    const fanStart = new Int32Array(width + 1);
    layer.neurons.forEach((n, t) => {
      bias[t] = Number(n.bias);
      n.edges.forEach(([j, w], k) => {
        edgeTarget[edgeStart[t] + k] = t;
        edgeWeight[edgeStart[t] + k] = Number(w);
        fanStart[j + 1]++;
      });
    });
    for (let j = 0; j < width; j++) fanStart[j + 1] += fanStart[j];
    const fanEdge = new Int32Array(E);
    const fill = fanStart.slice(0, width);
    layer.neurons.forEach((n, t) => {
      n.edges.forEach(([j], k) => {
        fanEdge[fill[j]++] = edgeStart[t] + k;
      });
    });
    if (exact) {
      // the exact sum stays a safe integer: |b·2^n| + Σ |w|·max|h| < 2^53
      const maxAbs = Math.max(-min, Number(format.maxCode));
      layer.neurons.forEach((n) => {
        if ((n.edges.length + 1) * maxAbs * maxAbs >= 2 ** 53)
          throw new RangeError('evaluateAllInputs: an exact sum may exceed 2^53');
      });
    }
    // per edge its current term (0 = nothing; NaN = an overflowed term or source), per target the
    // sorted list of its edges whose term is not nothing
    const term = new Float64Array(E);
    const active = new Int32Array(E);
    const activeCount = new Int32Array(W);
    const out = new Float64Array(W).fill(Number.NaN);
    const known = new Uint8Array(W);
    const dirty = new Int32Array(W);
    const dirtyStamp = new Int32Array(W).fill(-1);
    const next = new ChangeLog(limit, l);
    let overflowing = 0;
    let overflowSince = 0;

    const mul = ops.mul;
    const max = Number(format.maxCode);
    // saturation (the compiler's networks) inlined: the same clamp as fastOps, without a call
    const add =
      policy.overflow === 'saturate' && (policy.saturationBits ?? 0) === 0
        ? (a: number, b: number) => Math.min(Math.max(a + b, min), max)
        : ops.add;
    const roundProduct = ops.roundProduct;
    /** The term w ⊗ h (w · h under exact accumulation): 0 is nothing, NaN an overflow. */
    const termOf = (w: number, h: number): number => {
      if (Number.isNaN(h)) return Number.NaN;
      if (exact) return w * h + 0; // never −0: 0 is the one nothing term
      if (!trapping) return mul(w, h);
      try {
        return mul(w, h);
      } catch (e) {
        if (e instanceof OverflowError) return Number.NaN;
        throw e;
      }
    };
    const sigma = (pre: number): number => {
      if (!lookup) return pre;
      let v = table ? table[pre - min] : TABLE_MISS;
      if (v === TABLE_MISS) v = lookup(pre);
      return v === TABLE_OVERFLOW ? Number.NaN : v;
    };
    /** σ(pre-activation) of target t from its non-nothing terms, in edge order. */
    const accumulate = (t: number): number => {
      const base = edgeStart[t];
      const end = base + activeCount[t];
      const b = bias[t];
      if (exact) {
        let sum = b * unit;
        for (let i = base; i < end; i++) sum += term[active[i]];
        if (Number.isNaN(sum)) return Number.NaN;
        return sigma(roundProduct(sum));
      }
      let acc = biasFirst ? b : 0;
      for (let i = base; i < end; i++) {
        const x = term[active[i]];
        if (Number.isNaN(x)) return Number.NaN;
        acc = add(acc, x);
      }
      return sigma(biasFirst ? acc : add(acc, b));
    };
    const neuronValue = (t: number): number => {
      if (!trapping) return accumulate(t);
      try {
        return accumulate(t);
      } catch (e) {
        if (e instanceof OverflowError) return Number.NaN;
        throw e;
      }
    };
    const record = (p: number, t: number, v: number): void => {
      const o = out[t];
      if (known[t] === 1 && (o === v || (Number.isNaN(o) && Number.isNaN(v)))) return;
      if (known[t] === 1 && Number.isNaN(o)) overflowing--;
      if (Number.isNaN(v)) overflowing++;
      known[t] = 1;
      out[t] = v;
      next.push(p, t, Number.isNaN(v) ? TABLE_OVERFLOW : v);
    };

    if (
      l === 0 &&
      d === 1 &&
      (policy.overflow === 'saturate' || policy.overflow === 'wrap') &&
      (policy.saturationBits ?? 0) === 0
    ) {
      // One input under saturation: every first-layer neuron is σ(pre(x)) with pre monotone in x (the
      // rounding of w·x, saturating ⊕ and the exact sum's rounding are monotone), so σ is constant on an
      // interval of x wherever σ_F is constant on the codes between pre's values at its ends: changes are
      // found by bisection in O(changes · log |𝕀|) evaluations instead of one per input. Under wrap the
      // pre-activation is wrap(u(x)) with u(x) = rnd(w·x) + b (or the exact sum's rounding) monotone in x,
      // since wrapping is reduction modulo |𝕀| and wrap(wrap(t) + b) = wrap(t + b): on an interval of x
      // where u stays in one segment [min + k·|𝕀|, max + k·|𝕀|], pre = u − k·|𝕀| is monotone, so the same
      // bisection applies once it has split the interval at the segments' ends.
      const size = Number(format.size);
      const runEnd = new Int32Array(size);
      runEnd[size - 1] = size - 1;
      for (let c = size - 2; c >= 0; c--)
        runEnd[c] = lookup && sigma(c + min) === sigma(c + 1 + min) ? runEnd[c + 1] : c;
      const preOf = (w: number, b: number, x: number): number => {
        if (exact) return roundProduct(b * unit + w * x);
        const t = mul(w, x);
        return biasFirst ? add(b, t) : add(add(0, t), b);
      };
      const wrapping = policy.overflow === 'wrap';
      // the unwrapped pre-activation under wrap (monotone in x), else the pre-activation itself
      const uOf = (w: number, b: number, x: number): number => {
        if (!wrapping) return preOf(w, b, x);
        return exact ? rnd(b * unit + w * x) : rnd(w * x) + b;
      };
      const segment = (u: number) => (wrapping ? Math.floor((u - min) / size) * size : 0);
      const counts = new Int32Array(points + 1);
      const found = new ChangeLog(limit, l);
      for (let t = 0; t < W; t++) {
        const n = layer.neurons[t];
        const b = Number(n.bias);
        if (n.edges.length === 0) {
          found.push(0, t, sigma(preOf(0, b, 0)));
          continue;
        }
        const w = Number(n.edges[0][1]);
        let last = Number.NaN;
        const visit = (a: number, z: number, pa: number, pz: number): void => {
          const k = segment(pa);
          const lo = Math.min(pa, pz) - k - min;
          const hi = Math.max(pa, pz) - k - min;
          if (a === z || (k === segment(pz) && runEnd[lo] >= hi)) {
            const v = sigma(pa - k);
            if (v !== last) {
              found.push(a, t, v);
              last = v;
            }
            return;
          }
          const m = (a + z) >> 1;
          const pm = uOf(w, b, x0 + m);
          visit(a, m, pa, pm);
          const pn = uOf(w, b, x0 + m + 1);
          visit(m + 1, z, pn, pz);
        };
        visit(0, points - 1, uOf(w, b, x0), uOf(w, b, x0 + points - 1));
      }
      // the changes by position (a counting sort)
      const total = found.length;
      for (let k = 0; k < total; k++) counts[found.pos[k] + 1]++;
      for (let p = 0; p < points; p++) counts[p + 1] += counts[p];
      const first = new ChangeLog(total + 1, l);
      first.pos = new Int32Array(total);
      first.neuron = new Int32Array(total);
      first.value = new Int32Array(total);
      first.length = total;
      for (let k = 0; k < total; k++) {
        const at = counts[found.pos[k]]++;
        first.pos[at] = found.pos[k];
        first.neuron[at] = found.neuron[k];
        first.value[at] = found.value[k];
      }
      log = first;
      changes += total;
      width = W;
      options.progress?.(1, net.layers.length);
      return;
    }
    const lp = log.pos;
    const ln = log.neuron;
    const lv = log.value;
    let c = 0;
    while (c < log.length) {
      const p = lp[c];
      if (overflowing > 0) overflow!.fill(1, overflowSince, p);
      overflowSince = p;
      let nDirty = 0;
      if (p === 0) {
        for (let t = 0; t < W; t++) {
          dirty[nDirty++] = t;
          dirtyStamp[t] = 0;
        }
      }
      for (; c < log.length && lp[c] === p; c++) {
        const j = ln[c];
        const v = lv[c] === TABLE_OVERFLOW ? Number.NaN : lv[c];
        for (let f = fanStart[j]; f < fanStart[j + 1]; f++) {
          const e = fanEdge[f];
          const was = term[e];
          const now = termOf(edgeWeight[e], v);
          if (was === now || (Number.isNaN(was) && Number.isNaN(now))) continue;
          const t = edgeTarget[e];
          if (was === 0) {
            // insert e into t's sorted list of non-nothing edges
            const base = edgeStart[t];
            let i = base + activeCount[t]++;
            while (i > base && active[i - 1] > e) {
              active[i] = active[i - 1];
              i--;
            }
            active[i] = e;
          } else if (now === 0) {
            const base = edgeStart[t];
            const end = base + activeCount[t]--;
            let i = base;
            while (active[i] !== e) i++;
            for (; i < end - 1; i++) active[i] = active[i + 1];
          }
          term[e] = now;
          if (edgeStart[t + 1] - edgeStart[t] === 1) {
            // one edge: its value at once (no other term can change at p)
            record(p, t, neuronValue(t));
          } else if (dirtyStamp[t] !== p) {
            dirtyStamp[t] = p;
            dirty[nDirty++] = t;
          }
        }
      }
      for (let i = 0; i < nDirty; i++) {
        const t = dirty[i];
        record(p, t, neuronValue(t));
      }
    }
    if (overflowing > 0) overflow!.fill(1, overflowSince, points);
    log = next;
    changes += log.length;
    width = W;
    options.progress?.(l + 1, net.layers.length);
  });
  // expand the last layer's changes into one array per output
  const outputs = Array.from({ length: width }, () => new Int32Array(points));
  const at = new Int32Array(width);
  const value = new Int32Array(width);
  for (let c = 0; c < log.length; c++) {
    const k = log.neuron[c];
    const p = log.pos[c];
    outputs[k].fill(value[k], at[k], p);
    at[k] = p;
    value[k] = log.value[c];
  }
  for (let k = 0; k < width; k++) outputs[k].fill(value[k], at[k], points);
  return { outputs, overflow, changes };
}
