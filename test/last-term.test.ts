import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addCodes, mulCodes } from '../src/core/ops.js';
import { reachableUnary } from '../src/engine/fixpoint.js';
import { lastTermObstruction } from '../src/engine/last-term.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { decide } from '../src/expressivity/verdict.js';
import { makeNetwork } from '../src/network/network.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';

// The last-term obstruction (docs/theory.md §8.7): with binary weights, σ_F never 0 and of one sign,
// sequential accumulation and overflow saturate or error, no network output takes both min and max.

const cells = [
  ['softplus', 'Q1.3'],
  ['softplus', 'Q1.4'],
  ['sigmoid', 'Q1.4'],
  ['hard-sigmoid', 'Q1.3'],
  ['softplus', 'Q2.5'],
] as const;

describe('the lemma’s step, exhaustively with the BigInt operations of src/core', () => {
  it.each(cells)(
    '%s on %s: for each last weight and bias, the outputs miss min or miss max',
    (activation, format) => {
      for (const overflow of ['saturate', 'error'] as const)
        for (const bias of ['last', 'first'] as const) {
          const c = makeConfiguration({ format, activation, weights: 'binary', overflow, bias });
          const s = settingOf(c);
          expect(lastTermObstruction(s).applies).toBe(true);
          const values = [...new Set(Array.from(s.sigma).filter((v) => v >= s.min))];
          const add = (x: number, y: number) => {
            try {
              return Number(addCodes(BigInt(x), BigInt(y), c.format, c.policy));
            } catch {
              return null; // overflow under error: the neuron raises
            }
          };
          for (const w of [-s.one, s.one]) {
            // every accumulator after the last term, from any accumulator before it (bias first: β is
            // the start, so any value)
            const after = new Set<number>();
            for (const v of values) {
              const t = Number(mulCodes(BigInt(w), BigInt(v), c.format, c.policy));
              for (let acc = s.min; acc <= s.max; acc++) {
                const out = add(acc, t);
                if (out !== null) after.add(out);
              }
            }
            const betas = bias === 'last' ? Array.from({ length: s.size }, (_, i) => s.min + i) : [null];
            for (const beta of betas) {
              const outs = new Set<number>();
              for (const a of after) {
                const out = beta === null ? a : add(a, beta);
                if (out !== null) outs.add(out);
              }
              expect(outs.has(s.min) && outs.has(s.max)).toBe(false);
            }
          }
        }
    },
  );
});

describe('random networks on the BigInt reference evaluator never output both min and max', () => {
  it('a property over formats, activations, bias orders and overflow modes (saturate, error)', () => {
    let hitMin = 0;
    let hitMax = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...cells),
        fc.constantFrom('saturate', 'error'),
        fc.constantFrom('last', 'first'),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }),
        fc.infiniteStream(fc.integer({ min: 0, max: 1 << 30 })),
        ([activation, format], overflow, bias, widths, rnd) => {
          const c = makeConfiguration({ format, activation, weights: 'binary', overflow, bias });
          const s = settingOf(c);
          const it = rnd[Symbol.iterator]();
          const next = () => it.next().value as number;
          const layers = [];
          let previous = 1;
          for (const width of [...widths, 1]) {
            const neurons = [];
            for (let j = 0; j < width; j++) {
              const edges: Array<readonly [number, bigint]> = [];
              for (let src = 0; src < previous; src++)
                if (next() % 4 !== 0) edges.push([src, BigInt(next() % 2 === 0 ? s.one : -s.one)] as const);
              // output biases near the ends too, where saturation matters
              const b = next() % 3 === 0 ? (next() % 2 === 0 ? s.min : s.max) : s.min + (next() % s.size);
              neurons.push({ bias: BigInt(b), edges });
            }
            layers.push({ activation: layers.length === widths.length ? 'identity' : activation, neurons });
            previous = width;
          }
          const net = makeNetwork({
            format: c.format,
            policy: c.policy,
            accumulation: 'sequential',
            bias,
            weights: 'binary',
            inputs: 1,
            layers,
          });
          const outs = new Set<number>();
          for (let x = s.min; x <= s.max; x++) {
            try {
              outs.add(Number(evaluateReference(net, [BigInt(x)])[0]));
            } catch {
              return; // raises on some input under error: computes no function
            }
          }
          if (outs.has(s.min)) hitMin++;
          if (outs.has(s.max)) hitMax++;
          expect(outs.has(s.min) && outs.has(s.max)).toBe(false);
        },
      ),
      { numRuns: 300, seed: 87 },
    );
    // not vacuous: networks reach each end separately
    expect(hitMin).toBeGreaterThan(10);
    expect(hitMax).toBeGreaterThan(10);
  });

  it('the hypotheses matter: under wrap a network outputs both min and max (softplus Q1.3)', () => {
    const c = makeConfiguration({
      format: 'Q1.3',
      activation: 'softplus',
      weights: 'binary',
      overflow: 'wrap',
    });
    const s = settingOf(c);
    expect(lastTermObstruction(s).applies).toBe(false);
    // h = σ_F(x ⊕ b₁), output h ⊕ β: under wrap h ⊕ β can pass max and land at min, so some (b₁, β)
    // gives both ends (found by scanning every pair)
    let found = false;
    for (let b1 = s.min; b1 <= s.max && !found; b1++)
      for (let beta = s.min; beta <= s.max && !found; beta++) {
        const net = makeNetwork({
          format: c.format,
          policy: c.policy,
          weights: 'binary',
          inputs: 1,
          layers: [
            { activation: 'softplus', neurons: [{ bias: BigInt(b1), edges: [[0, BigInt(s.one)]] }] },
            { activation: 'identity', neurons: [{ bias: BigInt(beta), edges: [[0, BigInt(s.one)]] }] },
          ],
        });
        const outs = new Set<number>();
        for (let x = s.min; x <= s.max; x++) outs.add(Number(evaluateReference(net, [BigInt(x)])[0]));
        found = outs.has(s.min) && outs.has(s.max);
      }
    expect(found).toBe(true);
  });
});

describe('verdicts', () => {
  it('binary weights, sequential: not universal on Q3.12 and on the small map’s binary cells', () => {
    for (const [activation, format] of [
      ['sigmoid', 'Q3.12'],
      ['softplus', 'Q3.12'],
      ['sigmoid', 'Q1.3'],
      ['softplus', 'Q1.2'],
      ['hard-sigmoid', 'Q1.6'],
    ] as const) {
      const v = decide(makeConfiguration({ format, activation, weights: 'binary' }));
      expect(v.verdict).toBe('not-universal');
      expect(v.reason).toMatch(/^last-term obstruction/);
    }
  });

  it('the hypotheses are checked: all weights, exact accumulation, wrap, a zero of σ_F', () => {
    const q = (o: Record<string, string>) =>
      lastTermObstruction(settingOf(makeConfiguration({ format: 'Q3.12', activation: 'softplus', ...o })));
    expect(q({ weights: 'all' }).failure).toMatch(/0 is a weight/);
    expect(q({ weights: 'binary', accumulation: 'exact' }).failure).toMatch(/sequential/);
    expect(q({ weights: 'binary', overflow: 'wrap' }).failure).toMatch(/saturate or error/);
    // relu_F(0) = 0: the term 1 ⊗ 0 is 0
    const relu = settingOf(makeConfiguration({ format: 'Q3.4', activation: 'relu', weights: 'binary' }));
    expect(lastTermObstruction(relu).failure).toMatch(/is 0/);
    // tanh takes both signs: the terms of +1 do too
    const tanh = settingOf(makeConfiguration({ format: 'Q1.4', activation: 'tanh', weights: 'binary' }));
    expect(lastTermObstruction(tanh).applies).toBe(false);
  });
});

// Lemma LT₀ (docs/theory.md §8.7): all weights, where each weight kills every value of σ_F or none; the
// killing weights' edges add 0 (Lemma A, §8.2) and are deleted, the lemma reads the last remaining edge.
const killingCells = [
  ['sigmoid', 'Q0.2', 'ceil', 'saturate'],
  ['hard-sigmoid', 'Q0.2', 'ceil', 'error'],
  ['softplus', 'SQ0.2', 'nearest-away', 'saturate'],
  ['sigmoid', 'SQ0.2', 'ceil', 'error'],
  ['hard-sigmoid', 'SQ1.1', 'nearest-away', 'saturate'],
  ['softplus', 'SQ2.0', 'ceil', 'saturate'],
] as const;

describe('Lemma LT₀: killing weights dropped (all weights)', () => {
  const conf = (
    [activation, format, rounding, overflow]: readonly [string, string, string, string],
    bias: 'last' | 'first' = 'last',
  ) => makeConfiguration({ format, activation, rounding, overflow, weights: 'all', bias } as never);

  it.each(killingCells)(
    '%s on %s (%s, %s): every weight kills all values of σ_F or reads each with one sign (BigInt products)',
    (...cell) => {
      const c = conf(cell);
      const s = settingOf(c);
      expect(lastTermObstruction(s).applies).toBe(false); // §8.7 as stated: 0 ∈ W
      const lt = lastTermObstruction(s, { dropKilling: true });
      expect(lt.applies).toBe(true);
      expect(lt.killing).toContain(0);
      const values = [...new Set(Array.from(s.sigma).filter((v) => v >= s.min))];
      const term = (w: number, v: number) => {
        try {
          return Number(mulCodes(BigInt(w), BigInt(v), c.format, c.policy));
        } catch {
          return null;
        }
      };
      for (const w of lt.killing) for (const v of values) expect([0, null]).toContain(term(w, v));
      for (const [w, sign] of lt.signs)
        for (const v of values) {
          const t = term(w, v);
          if (t !== null) expect(Math.sign(t)).toBe(sign);
        }
      expect(lt.killing.length + lt.signs.length).toBe(new Set(s.weights).size);
    },
  );

  it('a weight that kills one value of σ_F and not another fails the hypothesis (hard-sigmoid SQ0.2, nearest-up)', () => {
    const s = settingOf(conf(['hard-sigmoid', 'SQ0.2', 'nearest-up', 'saturate']));
    // σ_F ∈ {½, ¾}; −¼ ⊗ ½ = −⅛ rounds up to 0, −¼ ⊗ ¾ = −3/16 to −¼
    expect(lastTermObstruction(s, { dropKilling: true }).failure).toMatch(/kills the value/);
  });

  it('random networks with every weight (killing ones included) never output both min and max', () => {
    let hitMin = 0;
    let hitMax = 0;
    let killed = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...killingCells),
        fc.constantFrom('last', 'first'),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }),
        fc.infiniteStream(fc.integer({ min: 0, max: 1 << 30 })),
        (cell, bias, widths, rnd) => {
          const c = conf(cell, bias);
          const s = settingOf(c);
          const killing = new Set(lastTermObstruction(s, { dropKilling: true }).killing);
          const it = rnd[Symbol.iterator]();
          const next = () => it.next().value as number;
          const layers = [];
          let previous = 1;
          for (const width of [...widths, 1]) {
            const neurons = [];
            for (let j = 0; j < width; j++) {
              const edges: Array<readonly [number, bigint]> = [];
              for (let src = 0; src < previous; src++)
                if (next() % 4 !== 0) {
                  const w = s.min + (next() % s.size);
                  if (layers.length === widths.length && killing.has(w)) killed++;
                  edges.push([src, BigInt(w)] as const);
                }
              const b = next() % 3 === 0 ? (next() % 2 === 0 ? s.min : s.max) : s.min + (next() % s.size);
              neurons.push({ bias: BigInt(b), edges });
            }
            layers.push({ activation: layers.length === widths.length ? 'identity' : cell[0], neurons });
            previous = width;
          }
          const net = makeNetwork({
            format: c.format,
            policy: c.policy,
            accumulation: 'sequential',
            bias,
            weights: 'all',
            inputs: 1,
            layers,
          });
          const outs = new Set<number>();
          for (let x = s.min; x <= s.max; x++) {
            try {
              outs.add(Number(evaluateReference(net, [BigInt(x)])[0]));
            } catch {
              return; // raises on some input under error: computes no function
            }
          }
          if (outs.has(s.min)) hitMin++;
          if (outs.has(s.max)) hitMax++;
          expect(outs.has(s.min) && outs.has(s.max)).toBe(false);
        },
      ),
      { numRuns: 400, seed: 12 },
    );
    expect(hitMin).toBeGreaterThan(10);
    expect(hitMax).toBeGreaterThan(10);
    expect(killed).toBeGreaterThan(10); // output edges with killing weights were drawn
  });

  it('the exhaustive fixpoint (§4) agrees on 2-bit cells: g is computed by no network', () => {
    let agreed = 0;
    for (const format of ['Q0.1', 'Q1.0', 'SQ1.0'])
      for (const activation of ['sigmoid', 'softplus', 'hard-sigmoid'])
        for (const rounding of ['ceil', 'floor', 'nearest-even', 'nearest-away', 'toward-zero'])
          for (const overflow of ['saturate', 'error'])
            for (const bias of ['last', 'first'] as const) {
              const s = settingOf(conf([activation, format, rounding, overflow], bias));
              const lt = lastTermObstruction(s, { dropKilling: true });
              if (!lt.applies || lt.killing.length === 0) continue;
              const fix = reachableUnary(s, { distinctSources: true, sigmaOutput: false });
              expect(fix.status).toBe('done');
              if (fix.status !== 'done') continue;
              const g = Array.from({ length: s.size }, (_, i) => (s.min + i === 0 ? s.max : s.min));
              expect(fix.computes(g)).toBe(false);
              agreed++;
            }
    expect(agreed).toBeGreaterThan(20);
  });

  it('decide: the 3-bit cells are not universal by Lemma LT₀, both bias orders', () => {
    for (const cell of killingCells)
      for (const bias of ['last', 'first'] as const) {
        const v = decide(conf(cell, bias));
        expect(v.verdict).toBe('not-universal');
        expect(v.reason).toMatch(/Lemma LT₀/);
      }
  });
});
