import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseActivation } from '../src/activations/activation.js';
import { activationTable } from '../src/activations/rounded.js';
import { opCodes } from '../src/core/ops.js';
import { checkDist } from '../src/engine/dist.js';
import { checkFirstLayerDist, edgeNeuronOutput, repeatedEdgeSeparation } from '../src/engine/first-layer.js';
import { reachableUnary } from '../src/engine/fixpoint.js';
import {
  type Accumulation,
  type BiasOrder,
  makeSetting,
  type Setting,
  type WeightSet,
} from '../src/engine/setting.js';
import { makeFormat, parseFormat } from '../src/format.js';
import { makePolicy, OVERFLOW_MODES, ROUNDING_MODES } from '../src/policy.js';

/**
 * Brute force: every first-layer neuron function of a 1-input network (edges from the one input, any
 * number, valid on every input) with activation τ, by closing the set of accumulator functions.
 * Null when the closure is too big for a test.
 */
function firstLayerFunctions(s: Setting, tau: (v: number) => number): Set<string> | null {
  const N = s.size;
  const out = new Set<string>();
  const emit = (pre: number[]) => {
    const f = pre.map((v) => (v >= s.min ? tau(v) : Number.NaN));
    if (f.every((v) => v >= s.min)) out.add(f.join(','));
  };
  if (s.accumulation === 'exact') {
    const pos = s.weights.some((w) => w > 0);
    const neg = s.weights.some((w) => w < 0);
    const step = s.weights.reduce((g, w) => {
      let [p, q] = [Math.abs(g), Math.abs(w)];
      while (q) [p, q] = [q, p % q];
      return p;
    }, 0);
    const C = 3 * (3 * N + 8) * s.one;
    for (let c = neg ? -C : 0; c <= (pos ? C : 0); c += step || 1) {
      for (let b = s.min; b <= s.max; b++) {
        const pre: number[] = [];
        for (let x = s.min; x <= s.max; x++) pre.push(s.roundWide(b * s.one + c * x));
        emit(pre);
      }
    }
    return out;
  }
  const seen = new Set<string>();
  const queue: number[][] = [];
  const start = (a: number[]) => {
    const k = a.join(',');
    if (!seen.has(k)) {
      seen.add(k);
      queue.push(a);
    }
  };
  if (s.bias === 'last') start(new Array(N).fill(0));
  else for (let b = s.min; b <= s.max; b++) start(new Array(N).fill(b));
  for (let i = 0; i < queue.length; i++) {
    if (queue.length > 5000) return null;
    const a = queue[i];
    if (s.bias === 'last') for (let b = s.min; b <= s.max; b++) emit(a.map((v) => s.add(v, b)));
    else emit(a);
    for (const w of s.weights) {
      const next = a.map((v, j) => s.add(v, s.mul(w, j + s.min)));
      if (next.every((v) => v >= s.min)) start(next);
    }
  }
  return out;
}

function firstPair(s: Setting, fs: Set<string>): [number, number] | null {
  const rows = [...fs].map((k) => k.split(',').map(Number));
  for (let x = 0; x < s.size; x++) {
    for (let y = x + 1; y < s.size; y++) if (rows.every((f) => f[x] === f[y])) return [x + s.min, y + s.min];
  }
  return null;
}

/** The lexicographically first pair of distinct values no function of `fs` takes at (x, y). */
function firstEscape(s: Setting, fs: Set<string>, x: number, y: number): [number, number] | null {
  const reached = new Set(
    [...fs].map((k) => k.split(',').map(Number)).map((f) => `${f[x - s.min]},${f[y - s.min]}`),
  );
  for (let v = s.min; v <= s.max; v++) {
    for (let u = s.min; u <= s.max; u++) if (u !== v && !reached.has(`${v},${u}`)) return [v, u];
  }
  return null;
}

const settingArb = fc
  .record({
    kind: fc.constantFrom('Q', 'UQ', 'SQ'),
    m: fc.integer({ min: 0, max: 2 }),
    n: fc.integer({ min: 0, max: 2 }),
    rounding: fc.constantFrom(...ROUNDING_MODES),
    overflow: fc.constantFrom(...OVERFLOW_MODES),
    accumulation: fc.constantFrom<Accumulation>('sequential', 'exact'),
    bias: fc.constantFrom<BiasOrder>('last', 'first'),
    binary: fc.boolean(),
    values: fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 3 }),
    picks: fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
  })
  .filter(({ kind, m, n, overflow }) => {
    const bits = m + n + (kind === 'UQ' ? 0 : 1);
    return bits >= 1 && bits <= 3 && !(kind === 'SQ' && overflow === 'wrap');
  })
  .map((r) => {
    const f = makeFormat(r.kind as 'Q' | 'UQ' | 'SQ', r.m, r.n);
    const min = Number(f.minCode);
    const N = Number(f.size);
    const vals = r.values.map((v) => min + (v % N));
    const table = Int32Array.from({ length: N }, (_, i) => vals[r.picks[i] % vals.length]);
    const weights: WeightSet = r.binary && f.hasOne ? 'binary' : 'all';
    return makeSetting(f, makePolicy(f, r), r.accumulation, r.bias, weights, table);
  });

describe('checkFirstLayerDist against a brute-force closure of first-layer neurons', () => {
  it('on random tiny settings: same witness, a true escape, holds exactly when nothing is stuck', () => {
    let checked = 0;
    fc.assert(
      fc.property(settingArb, (s) => {
        const sigma = firstLayerFunctions(s, (v) => s.sigma[v - s.min]);
        const ident = firstLayerFunctions(s, (v) => v);
        if (sigma === null || ident === null) return;
        checked++;
        const want = firstPair(s, sigma);
        const r = checkFirstLayerDist(s);
        if (r.status === 'holds') expect(want).toBeNull();
        if (r.status === 'fails') {
          expect(r.witness).toEqual(want);
          const [v, u] = r.escape!;
          expect(v).not.toBe(u);
          const reached = [...ident].some((k) => {
            const f = k.split(',').map(Number);
            return f[want![0] - s.min] === v && f[want![1] - s.min] === u;
          });
          expect(reached).toBe(false);
          if (s.policy.overflow !== 'error') expect(r.escape).toEqual(firstEscape(s, ident, ...want!));
        }
        if (s.policy.overflow !== 'error') {
          // no validity subtleties: the result is exact
          expect(r.witness).toEqual(want);
          if (want === null) expect(r.status).toBe('holds');
          else expect(r.status).toBe(firstEscape(s, ident, ...want) === null ? 'unknown' : 'fails');
        } else if (r.witness !== null) expect(r.witness).toEqual(want);
        // the unary DIST witness, when there is one, comes no later than the first-layer witness
        const unary = checkDist(s).witness;
        expect(r.unaryWitness).toEqual(unary);
      }),
      { numRuns: 300 },
    );
    expect(checked).toBeGreaterThan(200);
  });
});

describe('repeated edges separate what single edges cannot', () => {
  it('relu on Q3.0: acc = x ⊕ (−1⊗x) ⊕ 1 tells −8 from −7 (checked with opCodes)', () => {
    const f = parseFormat('Q3.0');
    const policy = makePolicy(f);
    const s = makeSetting(
      f,
      policy,
      'sequential',
      'last',
      'all',
      activationTable(parseActivation('relu'), f, policy),
    );
    expect(checkDist(s).witness).toEqual([-8, -7]);
    const r = checkFirstLayerDist(s);
    expect(r.status).toBe('holds');
    expect(r.unaryWitness).toEqual([-8, -7]);
    expect(r.separated[0].pair).toEqual([-8, -7]);
    const n = r.separated[0].neuron;
    expect(n).toEqual({ weights: [1, -1], bias: 1 });
    const pre = (x: bigint) => {
      let acc = 0n;
      for (const w of n.weights)
        acc = opCodes('add', acc, opCodes('mul', BigInt(w), x, f, policy).code, f, policy).code;
      return opCodes('add', acc, BigInt(n.bias), f, policy).code;
    };
    // −8 ⊕ 7 = −1 → 0 and −7 ⊕ 7 = 0 → 1: relu gives 0 and 1
    expect([pre(-8n), pre(-7n)]).toEqual([0n, 1n]);
    expect([edgeNeuronOutput(s, n, -8), edgeNeuronOutput(s, n, -7)]).toEqual([0, 1]);
  });

  it('under exact accumulation on UQ0.2 two edges make the multiplier 1 that W lacks', () => {
    const f = parseFormat('UQ0.2');
    const policy = makePolicy(f, { rounding: 'toward-zero' });
    const s = makeSetting(f, policy, 'exact', 'last', 'all', Int32Array.from([0, 1, 1, 0]));
    expect(checkDist(s).witness).toEqual([0, 1]);
    const r = repeatedEdgeSeparation(s, 0, 1);
    expect(r.kind).toBe('separated');
    if (r.kind === 'separated') {
      expect(r.neuron.weights.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(4);
      expect(edgeNeuronOutput(s, r.neuron, 0)).not.toBe(edgeNeuronOutput(s, r.neuron, 1));
    }
  });

  it('a constant σ: nothing separates, and the escape is a pair no single identity neuron reaches', () => {
    const f = parseFormat('Q1.1');
    const policy = makePolicy(f);
    const s = makeSetting(f, policy, 'sequential', 'last', 'all', new Int32Array(8).fill(2));
    const r = checkFirstLayerDist(s);
    expect(r.status).toBe('fails');
    expect(r.witness).toEqual([-4, -3]);
    const fx = reachableUnary(s);
    expect(fx.status).toBe('done');
    if (fx.status === 'done') {
      const [v, u] = r.escape!;
      for (const rest of [-4, 0, 3]) {
        const g = [v, u, rest, rest, rest, rest, rest, rest];
        expect(fx.computes(g)).toBe(false);
      }
    }
  });

  it('a constant σ on UQ0.2 with wrap: identity neurons alone compute every function, so no escape', () => {
    const f = parseFormat('UQ0.2');
    const policy = makePolicy(f, { rounding: 'nearest-away', overflow: 'wrap' });
    const s = makeSetting(f, policy, 'sequential', 'last', 'all', new Int32Array(4).fill(1));
    const r = checkFirstLayerDist(s);
    expect(r.status).toBe('unknown');
    expect(r.witness).toEqual([0, 1]);
    expect(r.escape).toBeNull();
    const fx = reachableUnary(s);
    expect(fx.status === 'done' && fx.missing).toBeNull();
  });

  it('no built-in cell of the map (Q formats, 3–5 bits) keeps a DIST failure once edges may repeat', () => {
    let unaryFailures = 0;
    for (const name of ['relu', 'hard-sigmoid', 'gelu-tanh', 'step', 'sigmoid']) {
      for (const spec of ['Q2.0', 'Q3.0', 'Q1.1', 'Q2.2', 'Q4.0']) {
        const f = parseFormat(spec);
        const policy = makePolicy(f);
        const s = makeSetting(
          f,
          policy,
          'sequential',
          'last',
          'all',
          activationTable(parseActivation(name), f, policy),
        );
        if (!checkDist(s).holds) unaryFailures++;
        const r = checkFirstLayerDist(s);
        expect(r.status, `${name} ${spec}`).toBe('holds');
        for (const { pair, neuron } of r.separated) {
          expect(edgeNeuronOutput(s, neuron, pair[0])).not.toBe(edgeNeuronOutput(s, neuron, pair[1]));
        }
      }
    }
    expect(unaryFailures).toBeGreaterThan(5);
  });

  it('reports a search over its budget', () => {
    const f = parseFormat('Q3.2');
    const policy = makePolicy(f);
    const s = makeSetting(f, policy, 'sequential', 'last', 'all', new Int32Array(64).fill(0));
    const r = checkFirstLayerDist(s, { maxStates: 50 });
    expect(r.status).toBe('unknown');
    expect(r.reason).toMatch(/budget/);
  });
});
