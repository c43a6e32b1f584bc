import { describe, expect, it } from 'vitest';
import { unlimitedBudget } from '../src/engine/budget.js';
import { lastTermObstruction } from '../src/engine/last-term.js';
import { monotoneObstruction } from '../src/engine/monotone-obstruction.js';
import { activationShape } from '../src/engine/wide/activation-shape.js';
import { decideWide } from '../src/engine/wide/decide-wide.js';
import { wideLastTerm } from '../src/engine/wide/wide-last-term.js';
import { wideMonotoneObstruction } from '../src/engine/wide/wide-monotone.js';
import { noValidNeuron } from '../src/engine/wide/wide-no-valid-neuron.js';
import { wideSetting } from '../src/engine/wide/wide-setting.js';
import { wideSigma } from '../src/engine/wide/wide-sigma.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { decide } from '../src/expressivity/verdict.js';
import { makeNetwork } from '../src/network/network.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';

// Lemma M and the last-term obstruction above 16 bits (docs/theory.md §10.7, §9.5): σ_F's monotonicity on an unsigned format from the
// proven shape, against the tabulated check (one pass over σ_F's table) on small formats.

const ACTS = ['relu', 'sigmoid', 'tanh', 'silu', 'gelu', 'elu', 'softplus', 'mish', 'leaky-relu'];

describe('the monotone obstruction above 16 bits', () => {
  it('applies on small UQ formats only where the tabulated obstruction holds (σ_F checked at every code)', () => {
    let applied = 0;
    for (const activation of [...ACTS, 'hard-swish', 'identity', 'elu(alpha=-1)', 'leaky-relu(alpha=-0.5)'])
      for (const format of ['UQ2.3', 'UQ3.3', 'UQ1.5', 'Q2.3', 'SQ2.3'])
        for (const overflow of ['saturate', 'error', 'wrap'])
          for (const rounding of ['floor', 'nearest-even', 'ceil']) {
            if (format.startsWith('SQ') && overflow === 'wrap') continue;
            const c = makeConfiguration({ activation, format, overflow, rounding });
            const r = wideSigma(wideSetting(c), activationShape(c.activation)!);
            if (typeof r === 'string') continue;
            if (wideMonotoneObstruction(r) !== null) continue;
            applied++;
            expect(monotoneObstruction(settingOf(c)), `${activation} ${format} ${overflow} ${rounding}`).toBe(
              true,
            );
          }
    expect(applied).toBeGreaterThan(100);
  });

  it('decides UQ16.16 under saturate and error as not universal; not under wrap, nor on signed formats', () => {
    for (const activation of ['relu', 'gelu', 'sigmoid', 'identity'])
      for (const overflow of ['saturate', 'error', 'wrap']) {
        const c = makeConfiguration({ activation, format: 'UQ16.16', overflow });
        if (overflow === 'wrap') {
          // x ⊕ b wraps from max to min: the lemma is refused before any search
          const r = wideSigma(wideSetting(c), activationShape(c.activation)!);
          expect(typeof r !== 'string' && wideMonotoneObstruction(r)).toMatch(/saturate or error/);
          continue;
        }
        const v = decideWide(c, unlimitedBudget());
        expect(v.verdict).toBe('not-universal');
        expect(v.reason).toMatch(/monotone obstruction \(Lemma M\)/);
      }
    const r = wideSigma(wideSetting(makeConfiguration({ activation: 'relu', format: 'Q7.16' })), {
      kind: 'monotone',
    });
    expect(typeof r !== 'string' && wideMonotoneObstruction(r)).toMatch(/unsigned/);
  });
});

describe('the last-term obstruction above 16 bits', () => {
  it('applies on small formats only where the tabulated obstruction holds (every term evaluated)', () => {
    let applied = 0;
    for (const activation of ['sigmoid', 'softplus', 'relu', 'elu', 'tanh', 'silu'])
      for (const format of ['Q1.4', 'Q2.3', 'SQ2.3', 'Q3.3', 'Q0.5'])
        for (const overflow of ['saturate', 'error', 'wrap'])
          for (const rounding of ['floor', 'nearest-even', 'ceil'])
            for (const accumulation of ['sequential', 'exact']) {
              if (format.startsWith('SQ') && overflow === 'wrap') continue;
              const c = makeConfiguration({
                activation,
                format,
                overflow,
                rounding,
                accumulation,
                weights: 'binary',
              });
              if (c.format.fracBits === c.format.bits - 1) continue; // ±1 not values: not applicable
              const r = wideSigma(wideSetting(c), activationShape(c.activation)!);
              if (typeof r === 'string') continue;
              if (wideLastTerm(r) !== null) continue;
              applied++;
              expect(
                lastTermObstruction(settingOf(c)).applies,
                `${activation} ${format} ${overflow} ${rounding}`,
              ).toBe(true);
            }
    expect(applied).toBeGreaterThan(10);
  });

  it('decides sigmoid with binary weights on Q3.20 (saturate, sequential) as not universal', () => {
    const v = decideWide(
      makeConfiguration({
        activation: 'sigmoid',
        format: 'Q3.20',
        weights: 'binary',
        overflow: 'saturate',
        rounding: 'nearest-even',
      }),
      unlimitedBudget(),
    );
    expect(v.verdict).toBe('not-universal');
    expect(v.reason).toMatch(/last-term obstruction/);
  });
});

describe('no valid first layer (Lemma BV, binary weights under error)', () => {
  it('where σ_F is invalid at a code, every neuron (±1, every bias) raises on some input (reference evaluator), and decide never says universal', () => {
    let applied = 0;
    for (const format of ['Q1.2', 'Q1.3', 'SQ1.2', 'SQ1.3', 'Q2.2'])
      for (const rounding of ['ceil', 'nearest-even', 'floor'])
        for (const accumulation of ['sequential', 'exact']) {
          const c = makeConfiguration({
            activation: 'softplus',
            format,
            rounding,
            accumulation,
            overflow: 'error',
            weights: 'binary',
          });
          const s = wideSetting(c);
          const bad = noValidNeuron(s);
          if (bad === null) continue;
          applied++;
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
              let raised = false;
              for (let x = s.min; x <= s.max && !raised; x++) {
                try {
                  evaluateReference(net, [x]);
                } catch {
                  raised = true;
                }
              }
              expect(raised, `${format} ${rounding} ${accumulation} w=${w} b=${b}`).toBe(true);
            }
          expect(decide(c).verdict).not.toBe('universal');
        }
    expect(applied).toBeGreaterThan(5);
  });
});
