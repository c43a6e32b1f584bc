import { describe, expect, it } from 'vitest';
import { BUILTIN_NAMES } from '../src/activations/builtin-activations.js';
import { ROUNDING_MODES } from '../src/core/rounding.js';
import { contributesNothing, readableLevelsExist } from '../src/engine/levels.js';
import type { Setting } from '../src/engine/setting.js';
import { binaryApplicable, makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { parseFormat } from '../src/format.js';

/** The plain definition: some weight kills one value of σ_F and not another (every w, every v). */
function plain(s: Setting): boolean {
  const values = [...new Set(s.sigma)].filter((v) => v >= s.min);
  return s.weights.some(
    (w) =>
      values.some((v) => contributesNothing(s, w, v)) && values.some((v) => !contributesNothing(s, w, v)),
  );
}

// src/engine/levels.ts: readableLevelsExist finds the killed values by binary search on r(v) = rnd(w·v·2⁻ⁿ)
describe('readableLevelsExist', () => {
  it('agrees with the plain scan over every weight and value (small formats, every mode)', () => {
    let yes = 0;
    let no = 0;
    for (const format of [
      'Q0.0',
      'Q1.2',
      'Q2.1',
      'Q0.3',
      'SQ1.2',
      'UQ2.2',
      'UQ0.3',
      'UQ3.0',
      'Q3.0',
      'Q2.3',
      'UQ3.3',
      'SQ2.3',
    ])
      for (const activation of BUILTIN_NAMES)
        for (const rounding of ROUNDING_MODES)
          for (const overflow of ['saturate', 'wrap', 'error'])
            for (const weights of ['all', 'binary']) {
              if (overflow === 'wrap' && format.startsWith('SQ')) continue;
              if (weights === 'binary' && !binaryApplicable(parseFormat(format))) continue;
              const s = settingOf(makeConfiguration({ format, activation, rounding, overflow, weights }));
              const want = plain(s);
              expect(
                readableLevelsExist(s),
                `${activation} ${format} ${rounding} ${overflow} ${weights}`,
              ).toBe(want);
              if (want) yes++;
              else no++;
            }
    // both answers occur (the comparison is not vacuous)
    expect(yes).toBeGreaterThan(100);
    expect(no).toBeGreaterThan(20);
  });
});
