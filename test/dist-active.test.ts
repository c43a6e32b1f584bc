import { describe, expect, it } from 'vitest';
import { biasRows } from '../src/engine/bias-rows.js';
import { checkDist, separatingBias, splitByWeight, weightOrder } from '../src/engine/dist.js';
import type { Setting } from '../src/engine/setting.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';

/**
 * The refinement of docs/theory.md §3.4 as it was before it worked on the non-singleton classes alone and
 * skipped weights without a valid bias: every pass splits the whole partition by the first weight of
 * `weightOrder` that separates the pair. `checkDist` must give the same witness, passes and classes.
 */
function fullRefinement(s: Setting): { witness: [number, number] | null; passes: number; classes: number } {
  const rows = biasRows(s);
  const cls = new Int32Array(s.size);
  const count = new Int32Array(s.size + 1);
  let classes = 1;
  let passes = 0;
  for (;;) {
    count.fill(0);
    for (let i = 0; i < s.size; i++) count[cls[i]]++;
    let xi = 0;
    while (xi < s.size && count[cls[xi]] < 2) xi++;
    if (xi === s.size) return { witness: null, passes, classes };
    let yi = xi + 1;
    while (cls[yi] !== cls[xi]) yi++;
    const w = weightOrder(s).find((w) => separatingBias(rows, w, xi + s.min, yi + s.min) !== null);
    if (w === undefined) return { witness: [xi + s.min, yi + s.min], passes, classes };
    passes++;
    classes = splitByWeight(rows, w, cls);
  }
}

const cell = (activation: string, format: string, rounding: string, overflow: string, accumulation: string) =>
  settingOf(
    makeConfiguration({ activation, format, rounding, overflow, accumulation, bias: 'last', weights: 'all' }),
  );

describe('checkDist refines the non-singleton classes only (docs/theory.md §3.4)', () => {
  const cells = [
    // many passes: unsigned formats under error, where every weight above 1 overflows at max
    ['sigmoid', 'UQ2.6', 'nearest-down', 'error', 'exact'],
    ['tanh', 'UQ2.6', 'nearest-up', 'error', 'sequential'],
    ['sigmoid', 'UQ3.5', 'floor', 'saturate', 'exact'],
    ['gelu', 'Q3.3', 'toward-zero', 'error', 'sequential'],
    // DIST fails: the witness and the partition at the stop
    ['relu', 'Q3.3', 'floor', 'saturate', 'sequential'],
    ['step', 'Q3.3', 'nearest-even', 'error', 'sequential'],
    ['hard-sigmoid', 'UQ4.4', 'ceil', 'error', 'exact'],
  ] as const;
  for (const [a, f, r, o, c] of cells) {
    it(`${a} ${f} ${r} ${o} ${c}: the same witness, passes and classes as the full refinement`, () => {
      const s = cell(a, f, r, o, c);
      const fast = checkDist(s);
      const full = fullRefinement(s);
      expect(fast.witness).toEqual(full.witness);
      expect(fast.stats.passes).toBe(full.passes);
      expect(fast.stats.classes).toBe(full.classes);
    });
  }

  it('sigmoid on ap_ufixed<15,4> (nearest-down, error, exact): 858 passes over the shrinking classes, DIST holds', () => {
    const s = cell('sigmoid', 'ap_ufixed<15,4>', 'nearest-down', 'error', 'exact');
    const r = checkDist(s);
    expect(r.holds).toBe(true);
    expect(r.stats.passes).toBe(858);
    expect(r.stats.classes).toBe(32768);
    // the 30,720 weights above 1 overflow at max under error: each is tried once, not once per pass
    expect(r.stats.weightsTried).toBeLessThan(30720 + 858 * 600);
  });
});
