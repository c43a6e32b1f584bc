import { describe, expect, it } from 'vitest';
import { checkDist } from '../src/engine/dist.js';
import { distinctUnitRows } from '../src/engine/distinct-unit-rows.js';
import { unary } from '../src/engine/setting.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';

// DIST by the rows of weight 1 (docs/theory.md §9.6) against the neurons themselves: the rows
// b ↦ σ_F(1⊗x ⊕ b), evaluated one neuron at a time by the setting's own operations (`unary`), valid and
// pairwise different is what the shortcut claims, and it claims it exactly then (no hash collision on
// these formats). Such rows separate every pair, so DIST holds.

const formats = ['Q2.3', 'Q3.2', 'SQ2.3', 'UQ3.3', 'ap_fixed<6,3>', 'Q0.5'];
const activations = ['relu', 'tanh', 'sigmoid', 'gelu', 'identity', 'step', 'hard-sigmoid', 'softplus'];

describe('distinctUnitRows', () => {
  it('is true exactly when the rows of weight 1 are valid and pairwise different (saturate and wrap)', () => {
    let claimed = 0;
    let refused = 0;
    for (const format of formats)
      for (const activation of activations)
        for (const overflow of ['saturate', 'wrap', 'error'])
          for (const accumulation of ['sequential', 'exact'])
            for (const bias of ['last', 'first']) {
              if (format.startsWith('SQ') && overflow === 'wrap') continue; // no wrap on symmetric formats
              const c = makeConfiguration({ format, activation, overflow, accumulation, bias });
              const s = settingOf(c);
              const label = `${activation} ${format} ${overflow} ${accumulation} ${bias}`;
              const rows = new Set<string>();
              let valid = s.weights.includes(s.one);
              for (let x = s.min; x <= s.max && valid; x++) {
                const row: number[] = [];
                for (let b = s.min; b <= s.max; b++) row.push(unary(s, s.one, x, b));
                valid = row.every((v) => v >= s.min);
                rows.add(row.join(','));
              }
              const distinct = valid && rows.size === s.size && overflow !== 'error';
              expect(distinctUnitRows(s), label).toBe(distinct);
              // different valid rows of weight 1 separate every pair: DIST holds, as checkDist says
              if (distinct) {
                claimed++;
                expect(checkDist(s).holds, label).toBe(true);
              } else refused++;
            }
    // both answers occur
    expect(claimed).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(20);
  });
});
