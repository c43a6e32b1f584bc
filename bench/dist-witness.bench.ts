/**
 * DIST witnesses re-checked by brute force (issue 12): for each configuration, `decide` gives a
 * not-universal verdict with a witness pair (x, y); this bench then runs every unary neuron (w, b) over
 * all of W × B and checks that none is valid on every input and separates x from y. For a weight whose
 * products w⊗x and w⊗y are equal the two rows are equal for every bias (skipped); every other weight is
 * run on every bias. Exits 1 on a separating neuron. Usage:
 *   npx tsx bench/dist-witness.bench.ts [--cells "relu Q7.8 binary;relu Q15.0 all"]
 */
import { parseArgs } from 'node:util';
import { biasRows } from '../src/engine/bias-rows.js';
import { unary } from '../src/engine/setting.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { decide } from '../src/expressivity/verdict.js';
import { exactCode } from '../src/value.js';

const { values } = parseArgs({
  options: {
    cells: { type: 'string', default: 'relu Q7.8 binary;relu Q15.0 all;gelu Q15.0 all;relu Q0.15 binary' },
  },
});
let bad = 0;
for (const cell of values.cells.split(';')) {
  const [activation, format, weights] = cell.trim().split(/\s+/);
  const c = makeConfiguration({ format, activation, weights });
  const t0 = performance.now();
  const v = decide(c);
  const t1 = performance.now();
  if (!v.dist?.witness) {
    console.log(`${cell}: ${v.verdict} (no DIST witness) in ${((t1 - t0) / 1000).toFixed(1)} s`);
    continue;
  }
  const s = settingOf(c);
  const x = Number(exactCode(v.dist.witness[0], c.format));
  const y = Number(exactCode(v.dist.witness[1], c.format));
  const rows = biasRows(s);
  let neurons = 0;
  let separating: string | null = null;
  for (const w of s.weights) {
    if (separating) break;
    const valid = rows.validBiases(w);
    if (s.accumulation === 'sequential' && s.mul(w, x) === s.mul(w, y)) continue;
    for (const [lo, hi] of valid) {
      for (let b = lo; b <= hi; b++) {
        neurons++;
        if (unary(s, w, x, b) !== unary(s, w, y, b)) {
          separating = `w code ${w}, b code ${b}`;
          break;
        }
      }
    }
  }
  const t2 = performance.now();
  if (separating) bad++;
  console.log(
    `${cell}: ${v.verdict}, witness (${v.dist.witness.join(', ')}) in ${((t1 - t0) / 1000).toFixed(1)} s; ` +
      `brute force over ${s.weights.length} weights × ${s.size} biases (${neurons} neurons run): ` +
      `${separating ? `SEPARATED by ${separating}` : 'no valid neuron separates the pair'} in ${((t2 - t1) / 1000).toFixed(1)} s`,
  );
}
process.exit(bad === 0 ? 0 : 1);
