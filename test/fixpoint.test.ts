import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseActivation } from '../src/activations/activation.js';
import { activationTable } from '../src/activations/rounded.js';
import { checkDist } from '../src/engine/dist.js';
import { checkFirstLayerDist } from '../src/engine/first-layer.js';
import { reachableUnary } from '../src/engine/fixpoint.js';
import {
  type BiasOrder,
  makeSetting,
  neuron,
  preActivation,
  type Setting,
  type WeightSet,
} from '../src/engine/setting.js';
import { makeFormat, parseFormat } from '../src/format.js';
import { makePolicy, ROUNDING_MODES } from '../src/policy.js';
import { mulberry32 } from '../src/prng.js';

function builtin(name: string, spec: string, overflow = 'saturate', weights: WeightSet = 'all'): Setting {
  const f = parseFormat(spec);
  const policy = makePolicy(f, { overflow });
  return makeSetting(
    f,
    policy,
    'sequential',
    'last',
    weights,
    activationTable(parseActivation(name), f, policy),
  );
}

/**
 * The function of a random 1-input network (hidden layers σ, output neuron identity or σ), evaluated with
 * the engine's `neuron` and `preActivation`; null when some value is invalid. `distinct`: first-layer
 * neurons (and an output neuron reading the input) have at most one edge.
 */
function randomNetwork(s: Setting, rnd: (k: number) => number, distinct: boolean): number[] | null {
  const depth = rnd(4);
  const layers: { bias: number; edges: [number, number][] }[][] = [];
  let width = 1;
  const makeNeuron = (first: boolean) => {
    const k = first && distinct ? rnd(2) : rnd(4);
    const edges: [number, number][] = [];
    for (let e = 0; e < k; e++) edges.push([rnd(width), s.weights[rnd(s.weights.length)]]);
    return { bias: s.min + rnd(s.size), edges };
  };
  for (let l = 0; l < depth; l++) {
    const w = 1 + rnd(3);
    layers.push(Array.from({ length: w }, () => makeNeuron(l === 0)));
    width = w;
  }
  const out = makeNeuron(depth === 0);
  const sigmaOutput = rnd(2) === 1;
  const f: number[] = [];
  for (let x = s.min; x <= s.max; x++) {
    let h = [x];
    for (const layer of layers) {
      h = layer.map((n) =>
        neuron(
          s,
          n.edges.map((e) => e[1]),
          n.edges.map((e) => h[e[0]]),
          n.bias,
        ),
      );
    }
    const y = (sigmaOutput ? neuron : preActivation)(
      s,
      out.edges.map((e) => e[1]),
      out.edges.map((e) => h[e[0]]),
      out.bias,
    );
    if (!(y >= s.min) || !h.every((v) => v >= s.min)) return null;
    f.push(y);
  }
  return f;
}

/** A slow second implementation of the layered closure (strings, the setting's own kernels). */
function slowReachable(s: Setting): Set<string> {
  const N = s.size;
  const xs = Array.from({ length: N }, (_, i) => s.min + i);
  const ok = (f: number[]) => f.every((v) => v >= s.min);
  const close = (H: number[][], outputs: Set<string>): number[][] => {
    const accs = new Map<string, number[]>();
    const push = (a: number[]) => {
      if (ok(a) && !accs.has(a.join())) accs.set(a.join(), a);
    };
    if (s.bias === 'last') push(xs.map(() => 0));
    else for (const b of xs) push(xs.map(() => b));
    for (const a of accs.values())
      for (const h of H) for (const w of s.weights) push(a.map((v, i) => s.add(v, s.mul(w, h[i]))));
    const hidden = new Map<string, number[]>();
    for (const a of accs.values()) {
      for (const b of s.bias === 'last' ? xs : [Number.NaN]) {
        const pre = s.bias === 'last' ? a.map((v) => s.add(v, b)) : a;
        if (!ok(pre)) continue;
        outputs.add(pre.join());
        const g = pre.map((v) => s.sigma[v - s.min]);
        if (ok(g)) {
          hidden.set(g.join(), g);
          outputs.add(g.join());
        }
      }
    }
    return [...hidden.values()];
  };
  const outputs = new Set<string>();
  const seen: string[] = [];
  let H = close([xs], outputs);
  for (;;) {
    const key = H.map((f) => f.join())
      .sort()
      .join('|');
    if (seen.includes(key)) return outputs;
    seen.push(key);
    H = close(H, outputs);
  }
}

describe('reachableUnary: identity on Q3.0 with wrap computes exactly the affine maps mod 16', () => {
  const s = builtin('identity', 'Q3.0', 'wrap');
  const r = reachableUnary(s);

  it('256 functions of 16^16; the first missing one is not affine', () => {
    expect(r.status).toBe('done');
    if (r.status !== 'done') return;
    expect(r.computed).toBe(256);
    expect(r.total).toBe(16n ** 16n);
    expect(r.missing).toEqual([...new Array(15).fill(-8), -7]);
    const wrap = (v: number) => ((((v + 8) % 16) + 16) % 16) - 8;
    for (let a = -8; a < 8; a++) {
      for (let b = -8; b < 8; b++) {
        const f = Array.from({ length: 16 }, (_, i) => wrap(a * (i - 8) + b));
        expect(r.computes(f)).toBe(true);
        expect(f).not.toEqual(r.missing);
      }
    }
  });

  it('DIST holds there: the obstruction is the fixpoint, not DIST', () => {
    expect(checkDist(s).holds).toBe(true);
    expect(checkFirstLayerDist(s).status).toBe('holds');
  });
});

/** A small budget: the property tests keep the cases the fixpoint settles quickly. */
const SMALL = { maxFunctions: 2 ** 12, maxWork: 2e5 };

describe('reachableUnary against networks and a second implementation', () => {
  const tiny = fc
    .record({
      kind: fc.constantFrom('Q', 'UQ', 'SQ'),
      m: fc.integer({ min: 0, max: 2 }),
      n: fc.integer({ min: 0, max: 2 }),
      rounding: fc.constantFrom(...ROUNDING_MODES),
      overflow: fc.constantFrom('saturate', 'wrap', 'error'),
      bias: fc.constantFrom<BiasOrder>('last', 'first'),
      binary: fc.boolean(),
      table: fc.array(fc.integer({ min: -1, max: 8 }), { minLength: 8, maxLength: 8 }),
      seed: fc.integer({ min: 1, max: 2 ** 30 }),
    })
    .filter(({ kind, m, n, overflow }) => {
      const bits = m + n + (kind === 'UQ' ? 0 : 1);
      return bits >= 1 && bits <= 3 && !(kind === 'SQ' && overflow === 'wrap');
    })
    .map((r) => {
      const f = makeFormat(r.kind as 'Q' | 'UQ' | 'SQ', r.m, r.n);
      const min = Number(f.minCode);
      const N = Number(f.size);
      // table values: codes of the format, with an occasional out-of-range value (invalid)
      const table = Int32Array.from({ length: N }, (_, i) =>
        r.table[i] < 0 ? min - 1 : min + (r.table[i] % N),
      );
      const weights: WeightSet = r.binary && f.hasOne ? 'binary' : 'all';
      return { s: makeSetting(f, makePolicy(f, r), 'sequential', r.bias, weights, table), seed: r.seed };
    });

  it('every random network computes a function of the set (edges may repeat, or not)', () => {
    let checked = 0;
    let networks = 0;
    fc.assert(
      fc.property(tiny, ({ s, seed }) => {
        const next = mulberry32(seed);
        const rnd = (k: number) => Math.floor(next() * k);
        for (const distinct of [false, true]) {
          const r = reachableUnary(s, { ...SMALL, distinctSources: distinct });
          if (r.status !== 'done') continue;
          checked++;
          for (let t = 0; t < 40; t++) {
            const f = randomNetwork(s, rnd, distinct);
            if (f === null) continue;
            networks++;
            expect(r.computes(f)).toBe(true);
          }
          if (r.missing !== null) expect(r.computes(r.missing)).toBe(false);
        }
      }),
      { numRuns: 150 },
    );
    expect(checked).toBeGreaterThan(100);
    expect(networks).toBeGreaterThan(2000);
  });

  it('agrees with a slow second implementation of the closure on 2- and 4-value formats', () => {
    fc.assert(
      fc.property(
        tiny.filter(({ s }) => s.size <= 4),
        ({ s }) => {
          const r = reachableUnary(s);
          expect(r.status).toBe('done');
          if (r.status !== 'done') return;
          const slow = slowReachable(s);
          expect(r.computed).toBe(slow.size);
          for (const k of slow) expect(r.computes(k.split(',').map(Number))).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('DIST failures agree with the fixpoint: a unary witness (≥ 3 values, distinct sources) or a first-layer failure leaves functions out', () => {
    fc.assert(
      fc.property(tiny, ({ s }) => {
        const d = checkDist(s);
        if (!d.holds && s.size >= 3) {
          const r = reachableUnary(s, { ...SMALL, distinctSources: true });
          if (r.status === 'done') expect(r.missing).not.toBeNull();
        }
        const fl = checkFirstLayerDist(s);
        if (fl.status === 'fails') {
          const r = reachableUnary(s, SMALL);
          if (r.status === 'done') {
            expect(r.missing).not.toBeNull();
            const g = new Array(s.size).fill(s.min);
            g[fl.witness![0] - s.min] = fl.escape![0];
            g[fl.witness![1] - s.min] = fl.escape![1];
            expect(r.computes(g)).toBe(false);
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('reachableUnary on built-in activations', () => {
  it('relu on Q1.0 computes every one of the 256 functions (d = 1), though unary DIST fails', () => {
    const s = builtin('relu', 'Q1.0');
    expect(checkDist(s).witness).toEqual([-2, -1]);
    const r = reachableUnary(s);
    expect(r.status === 'done' && r.computed).toBe(256);
    expect(r.status === 'done' && r.missing).toBeNull();
    // with one edge per source in the first layer the pair (−2, −1) stays together
    const d = reachableUnary(s, { distinctSources: true });
    expect(d.status === 'done' && d.missing).not.toBeNull();
    if (d.status === 'done') expect(d.computes([0, 1, 0, 0])).toBe(false);
  });

  it('relu on Q0.1 (no 1 in the format): DIST holds, yet some functions are out of reach', () => {
    const s = builtin('relu', 'Q0.1');
    expect(checkDist(s).holds).toBe(true);
    const r = reachableUnary(s);
    expect(r.status).toBe('done');
    if (r.status === 'done') {
      expect(r.computed).toBeLessThan(256);
      expect(r.missing).not.toBeNull();
    }
  });

  it('sigmoid on UQ2.0 agrees with its DIST witness (1, 2)', () => {
    const s = builtin('sigmoid', 'UQ2.0');
    expect(checkFirstLayerDist(s)).toMatchObject({ status: 'fails', witness: [1, 2] });
    const r = reachableUnary(s);
    expect(r.status === 'done' && r.computes([0, 0, 1, 0])).toBe(false);
  });
});

describe('reachableUnary refuses what it cannot bound', () => {
  it('exact accumulation', () => {
    const f = parseFormat('Q1.0');
    const policy = makePolicy(f);
    const s = makeSetting(f, policy, 'exact', 'last', 'all', Int32Array.from([0, 0, 0, 1]));
    expect(reachableUnary(s)).toEqual({
      status: 'refused',
      reason: expect.stringMatching(/sequential accumulation/),
    });
  });

  it('more than 16 values, or a closure over its budget', () => {
    expect(reachableUnary(builtin('relu', 'Q3.1'))).toEqual({
      status: 'refused',
      reason: 'Q3.1 has 32 values; the fixpoint is computed for at most 16',
    });
    const r = reachableUnary(builtin('identity', 'Q3.0'), { maxFunctions: 1000 });
    expect(r.status).toBe('refused');
    if (r.status === 'refused') expect(r.reason).toMatch(/exceeded 1000 functions/);
    const w = reachableUnary(builtin('relu', 'Q2.1'), { maxWork: 1000 });
    expect(w).toEqual({ status: 'refused', reason: 'the fixpoint exceeded 1000 function steps' });
  });
});
