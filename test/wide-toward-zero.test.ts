import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unlimitedBudget } from '../src/engine/budget.js';
import { checkDist } from '../src/engine/dist.js';
import { reachableUnary } from '../src/engine/fixpoint.js';
import { activationShape } from '../src/engine/wide/activation-shape.js';
import { decideWide } from '../src/engine/wide/decide-wide.js';
import { wideDist } from '../src/engine/wide/wide-dist.js';
import { wideSetting } from '../src/engine/wide/wide-setting.js';
import { wideSigma } from '../src/engine/wide/wide-sigma.js';
import { towardZeroMergedPair } from '../src/engine/wide/wide-toward-zero.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { makeNetwork } from '../src/network/network.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';

// Lemma TZ (docs/theory.md §9.5): toward-zero, overflow error, sequential accumulation, two's complement.
// The merged pair it reports is checked against every unary neuron (all weights × all biases) with the
// BigInt reference evaluator, and against the tabulated engine's exact DIST.

const ACTS = ['relu', 'sigmoid', 'tanh', 'silu', 'gelu', 'elu', 'softplus', 'mish', 'leaky-relu', 'identity'];

describe('Lemma TZ', () => {
  it('every neuron valid on all of 𝕀 (reference evaluator, every w and b) gives equal values at the reported pair; checkDist agrees', {
    timeout: 120_000,
  }, () => {
    let found = 0;
    for (const [i, activation] of ACTS.entries())
      for (const format of ['Q2.2', 'Q1.3', i % 2 === 0 ? 'SQ2.2' : 'SQ1.3', ...(i < 3 ? ['Q2.3'] : [])])
        for (const bias of [i % 2 === 0 ? 'first' : 'last']) {
          const c = makeConfiguration({
            activation,
            format,
            bias,
            overflow: 'error',
            rounding: 'toward-zero',
            accumulation: 'sequential',
          });
          const r = wideSigma(wideSetting(c), activationShape(c.activation)!);
          if (typeof r === 'string') continue;
          const pair = towardZeroMergedPair(r);
          expect(pair, `${activation} ${format}`).not.toBeNull();
          // no merged pair: the lemma claims nothing (DIST may still fail at another pair)
          if (!pair || typeof pair === 'string') continue;
          found++;
          const s = r.setting;
          let valid = 0;
          for (let w = s.min; w <= s.max; w++)
            for (let b = s.min; b <= s.max; b++) {
              const net = makeNetwork({
                format: c.format,
                policy: c.policy,
                accumulation: c.accumulation,
                bias: c.bias,
                inputs: 1,
                layers: [{ activation: c.activation, neurons: [{ bias: b, edges: [[0, w] as const] }] }],
              });
              const out = new Map<bigint, bigint>();
              let ok = true;
              for (let x = s.min; x <= s.max && ok; x++) {
                try {
                  out.set(x, evaluateReference(net, [x])[0]);
                } catch {
                  ok = false;
                }
              }
              if (!ok) continue;
              valid++;
              expect(out.get(pair[0]), `${activation} ${format} w=${w} b=${b}`).toBe(out.get(pair[1]));
            }
          expect(valid).toBeGreaterThan(0);
          expect(checkDist(settingOf(c)).holds).toBe(false);
        }
    expect(found).toBeGreaterThan(12);
  });

  it('does not apply to UQ formats, exact accumulation, other roundings or other overflow modes', () => {
    const base = { activation: 'relu', format: 'Q2.3', overflow: 'error', rounding: 'toward-zero' };
    for (const o of [
      { format: 'UQ2.3' },
      { accumulation: 'exact' },
      { rounding: 'floor' },
      { overflow: 'saturate' },
    ]) {
      const c = makeConfiguration({ ...base, ...o });
      const r = wideSigma(wideSetting(c), activationShape(c.activation)!);
      expect(typeof r !== 'string' && towardZeroMergedPair(r)).toBeNull();
    }
  });

  it('decides relu and sigmoid on Q7.16 and Q15.16 (toward-zero, error, sequential) as not universal', () => {
    for (const activation of ['relu', 'sigmoid'])
      for (const format of ['Q7.16', 'Q15.16']) {
        const v = decideWide(
          makeConfiguration({ activation, format, overflow: 'error', rounding: 'toward-zero' }),
          unlimitedBudget(),
        );
        expect(v.verdict).toBe('not-universal');
        expect(v.reason).toMatch(/Lemma TZ/);
      }
  });
});

describe('Lemma BE and Lemma A′ on SQ formats (binary weights, error)', () => {
  it('a reported merged pair is a DIST witness of checkDist, and every neuron valid on 𝕀 merges it (reference evaluator)', () => {
    let failures = 0;
    for (const activation of ['tanh', 'sigmoid', 'mish', 'gelu', 'relu', 'elu', 'softplus'])
      for (const format of ['SQ2.2', 'SQ1.3', 'SQ2.3'])
        for (const accumulation of ['sequential', 'exact']) {
          const c = makeConfiguration({
            activation,
            format,
            accumulation,
            overflow: 'error',
            rounding: 'nearest-even',
            weights: 'binary',
          });
          const r = wideSigma(wideSetting(c), activationShape(c.activation)!);
          if (typeof r === 'string') continue;
          const d = wideDist(r);
          if (d.holds !== false) continue;
          failures++;
          expect(checkDist(settingOf(c)).holds, `${activation} ${format}`).toBe(false);
          const s = r.setting;
          const [x, y] = d.witness ?? [s.min, s.min + 1n];
          for (const w of [s.one, -s.one])
            for (let b = s.min; b <= s.max; b++) {
              const net = makeNetwork({
                format: c.format,
                policy: c.policy,
                accumulation: c.accumulation,
                bias: c.bias,
                inputs: 1,
                layers: [{ activation: c.activation, neurons: [{ bias: b, edges: [[0, w] as const] }] }],
              });
              const out: bigint[] = [];
              try {
                for (let v = s.min; v <= s.max; v++) out.push(evaluateReference(net, [v])[0]);
              } catch {
                continue;
              }
              expect(out[Number(x - s.min)]).toBe(out[Number(y - s.min)]);
            }
        }
    expect(failures).toBeGreaterThan(5);
  });

  it('identity with binary weights under error on SQ7.16 is not universal (Lemma A′)', () => {
    const v = decideWide(
      makeConfiguration({ activation: 'identity', format: 'SQ7.16', overflow: 'error', weights: 'binary' }),
      unlimitedBudget(),
    );
    expect(v.verdict).toBe('not-universal');
    expect(v.reason).toMatch(/affine obstruction/);
  });
});

describe('Lemma TZ against whole networks', () => {
  it('the fixpoint (§4) on 3- and 4-value formats computes no function separating the reported pair', () => {
    let checked = 0;
    for (const activation of ['relu', 'elu', 'tanh', 'sigmoid'])
      for (const format of ['Q0.1', 'Q1.0', 'SQ1.0', 'SQ0.1']) {
        const c = makeConfiguration({ activation, format, overflow: 'error', rounding: 'toward-zero' });
        const r = wideSigma(wideSetting(c), activationShape(c.activation)!);
        if (typeof r === 'string') continue;
        const pair = towardZeroMergedPair(r);
        if (!pair || typeof pair === 'string') continue;
        const s = settingOf(c);
        const fix = reachableUnary(s, { distinctSources: true });
        if (fix.status !== 'done') continue;
        checked++;
        const f = Array.from({ length: s.size }, (_, i) => (BigInt(s.min + i) === pair[1] ? s.max : s.min));
        expect(fix.computes(f), `${activation} ${format}`).toBe(false);
        expect(fix.missing).not.toBeNull();
      }
    expect(checked).toBeGreaterThan(2);
  });

  it('random networks valid on every input never separate the pair (reference evaluator)', () => {
    let valid = 0;
    fc.assert(
      fc.property(
        fc.constantFrom('relu', 'elu', 'tanh', 'gelu'),
        fc.constantFrom('Q2.3', 'SQ2.3'),
        fc.constantFrom('first', 'last'),
        fc.array(
          fc.array(fc.tuple(fc.integer(), fc.array(fc.integer(), { minLength: 3, maxLength: 3 })), {
            minLength: 1,
            maxLength: 3,
          }),
          { minLength: 1, maxLength: 3 },
        ),
        (activation, format, bias, raw) => {
          const c = makeConfiguration({
            activation,
            format,
            bias,
            overflow: 'error',
            rounding: 'toward-zero',
          });
          const r = wideSigma(wideSetting(c), activationShape(c.activation)!);
          if (typeof r === 'string') return;
          const pair = towardZeroMergedPair(r);
          if (!pair || typeof pair === 'string') return;
          const s = r.setting;
          const size = Number(s.max - s.min + 1n);
          // small weights mostly (|w| < 1 keeps neurons valid), some ±1
          const weight = (w: number) => {
            const k = ((w % 7) + 7) % 7;
            return k === 0 ? s.one : k === 1 ? -s.one : BigInt((w % Number(s.one)) | 0);
          };
          let width = 1;
          const layers = raw.map((layer, li) => {
            const last = li === raw.length - 1;
            const neurons = (last ? layer.slice(0, 1) : layer).map(([b, ws]) => ({
              bias: s.min + BigInt(((b % size) + size) % size),
              edges: ws.slice(0, width).map((w, j) => [j, weight(w)] as const),
            }));
            width = neurons.length;
            return {
              activation: last
                ? makeConfiguration({ format: c.format.spec, activation: 'identity' }).activation
                : c.activation,
              neurons,
            };
          });
          const net = makeNetwork({
            format: c.format,
            policy: c.policy,
            accumulation: c.accumulation,
            bias: c.bias,
            inputs: 1,
            layers,
          });
          const out: bigint[] = [];
          try {
            for (let x = s.min; x <= s.max; x++) out.push(evaluateReference(net, [x])[0]);
          } catch {
            return;
          }
          valid++;
          expect(out[Number(pair[0] - s.min)]).toBe(out[Number(pair[1] - s.min)]);
        },
      ),
      { numRuns: 300, seed: 5 },
    );
    expect(valid).toBeGreaterThan(20);
  });
});
