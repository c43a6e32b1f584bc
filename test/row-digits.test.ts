import { describe, expect, it } from 'vitest';
import { digitRowNeurons } from '../src/constructions/row-digits.js';
import { buildRamps, rampPlan } from '../src/constructions/two-level-ramps.js';
import { type LayeredNet, layeredSize } from '../src/engine/layered-net.js';
import { neuron } from '../src/engine/setting.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { toNetwork } from '../src/expressivity/construct.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';
import { randomTable } from '../src/prng.js';

type Options = Parameters<typeof makeConfiguration>[0];

/** The first input where the network differs from the table (BigInt reference evaluator), or null. */
function firstMismatch(o: Options, net: LayeredNet, table: Int32Array): string | null {
  const c = makeConfiguration(o);
  const s = settingOf(c);
  const network = toNetwork(c, net);
  for (let x = s.min; x <= s.max; x++) {
    const got = evaluateReference(network, [BigInt(x)])[0];
    if (got !== BigInt(table[x - s.min])) return `${x}: ${got} instead of ${table[x - s.min]}`;
  }
  return null;
}

const q34: Options = { format: 'Q3.4', activation: 'tanh' };
const q43: Options = { format: 'Q4.3', activation: 'tanh' };

describe('digit rows (row-digits.ts)', () => {
  it('every entry of a random row is one digit or two whose output terms add up to it; gated off outside', () => {
    for (const o of [q34, q43]) {
      const s = settingOf(makeConfiguration(o));
      const row = randomTable(28, s.min, s.size, 7);
      row[3] = 0;
      row[5] = s.min;
      row[6] = s.max;
      const rn = digitRowNeurons(s, row)!;
      expect(rn).not.toBeNull();
      // the row neuron as the network evaluates it: Z = one first (offset kinds), the entry's edge, the
      // gate copies (0 inside the row, one outside), then the bias
      const out = (n: (typeof rn)[number], c: number, inside: boolean) => {
        const e = n.entries.find(([col]) => col === c);
        const ws = [...(n.kind.z === undefined ? [] : [n.kind.z]), ...(e ? [e[1]] : []), ...n.pattern];
        const hs = [
          ...(n.kind.z === undefined ? [] : [s.one]),
          ...(e ? [s.one] : []),
          ...n.pattern.map(() => (inside ? 0 : s.one)),
        ];
        return s.mul(n.kind.omega, neuron(s, ws, hs, n.kind.b));
      };
      let twoDigit = 0;
      for (let c = 0; c < row.length; c++) {
        const terms = rn.map((n) => out(n, c, true)).filter((t) => t !== 0);
        expect(terms.length).toBeLessThanOrEqual(2);
        if (terms.length === 2) twoDigit++;
        // plain integer sum: both the first term and the total are codes, so no addition saturates
        for (const t of terms) expect(t >= s.min && t <= s.max).toBe(true);
        expect(terms.reduce((a, t) => a + t, 0)).toBe(row[c]);
        for (const n of rn) expect(out(n, c, false)).toBe(0);
      }
      expect(twoDigit).toBeGreaterThan(0);
    }
  });

  it('tanh on Q4.3, four column sums: blocks of 7 codes (a weight and bias per sum), exact, ratio < 4.3', () => {
    const s = settingOf(makeConfiguration(q43));
    const p = rampPlan(s, 4)!;
    expect(p.F).toBe(7);
    // recomputed from the plan's sums: in each group, the value S_j(x) at an x of a block of family j
    // is taken by no other x of the group
    for (let g = 0; 4 * g < p.B; g++) {
      const xs: number[] = [];
      for (let x = s.min + 4 * g * p.F; x < Math.min(s.max + 1, s.min + (4 * g + 4) * p.F); x++) xs.push(x);
      for (const x of xs) {
        const j = Math.floor((x - s.min) / p.F) % 4;
        const v = p.S[j][x - s.min];
        expect(xs.filter((y) => p.S[j][y - s.min] === v)).toEqual([x]);
      }
    }
    const table = randomTable(s.size, s.min, s.size, 5);
    const c = buildRamps(s, table, 4)!;
    expect(layeredSize(c.net).parameters).toBeLessThan(4.3 * 256);
    expect(firstMismatch(q43, c.net, table)).toBeNull();
    // a digit's weight off by one: some entry reads a wrong digit
    const rows = c.net.layers[c.net.layers.length - 2] as unknown as Array<{
      edges: Array<readonly [number, number]>;
    }>;
    const r = rows[0];
    const i = r.edges.findIndex(([, w]) => w !== 0);
    const [src, w] = r.edges[i + 1];
    r.edges[i + 1] = [src, w + 1];
    expect(firstMismatch(q43, c.net, table)).not.toBeNull();
  });
});
