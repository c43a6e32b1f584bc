import { describe, expect, it } from 'vitest';
import { expandNet, settledRelu, settledSetting } from '../src/constructions/settled-sigma.js';
import { twoLevelWrap } from '../src/constructions/two-level-wrap.js';
import { layeredSize } from '../src/engine/layered-net.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { toNetwork } from '../src/expressivity/construct.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';
import { randomTable } from '../src/prng.js';

// docs/construction.md, "Two-level tables through periodic columns", Settled σ_F.

type Options = Parameters<typeof makeConfiguration>[0];

describe('settled σ_F', () => {
  it('σ_F^r is σ_F applied r times; leaky-relu on ap_fixed<16,6> (floor) settles to max(p, −1)', () => {
    const s = settingOf(makeConfiguration({ format: 'ap_fixed<16,6>', activation: 'leaky-relu' }));
    const t = settledSetting(s, 3);
    for (let p = s.min; p <= s.max; p++) {
      // ⌊p/100⌋ three times, computed independently
      let v = p;
      for (let k = 0; k < 3; k++) v = v < 0 ? Math.floor(v / 100) : v;
      expect(t.sigma[p - s.min]).toBe(v);
      expect(v).toBe(Math.max(p, -1));
    }
    expect(settledRelu(s)).toBeNull();
  });

  it('off floor, σ_F³ of leaky-relu is relu on codes (toward zero, ceiling, nearest)', () => {
    for (const rounding of ['toward-zero', 'ceil', 'nearest-even', 'nearest-away'] as const) {
      const s = settingOf(
        makeConfiguration({ format: 'ap_fixed<16,6>', activation: 'leaky-relu', rounding }),
      );
      expect(settledRelu(s)?.r, rounding).toBe(3);
    }
  });

  it('expandNet adds r − 1 single-edge layers after every hidden layer, none after the output', () => {
    const net = {
      inputs: 1,
      layers: [
        [
          { bias: 3, edges: [[0, 16] as const] },
          { bias: 0, edges: [[0, -16] as const] },
        ],
        [{ bias: 1, edges: [[0, 16] as const, [1, 16] as const] }],
      ],
    };
    const e = expandNet(net, 3, 16);
    expect(e.layers.map((l) => l.length)).toEqual([2, 2, 2, 1]);
    expect(layeredSize(e).parameters).toBe(layeredSize(net).parameters + 2 * 2 * 2);
    expect(e.layers[1][1]).toEqual({ bias: 0, edges: [[1, 16]] });
  });
});

describe('two-level-wrap through σ_F³ = relu (leaky-relu off floor)', () => {
  it('random tables equal the BigInt reference on every input; size as planned', () => {
    const cases: Options[] = [
      { format: 'ap_fixed<8,4>', activation: 'leaky-relu', rounding: 'toward-zero' },
      { format: 'ap_fixed<8,4>', activation: 'leaky-relu', rounding: 'ceil', accumulation: 'exact' },
      { format: 'ap_fixed<8,4>', activation: 'leaky-relu', rounding: 'nearest-away', bias: 'first' },
    ];
    for (const o of cases) {
      const c0 = makeConfiguration(o);
      const s = settingOf(c0);
      const table = randomTable(s.size, s.min, s.size, 4);
      const t = { s, table, d: 1, cert: undefined as never };
      const c = twoLevelWrap.build(t);
      expect(c, JSON.stringify(o)).not.toBeNull();
      expect(twoLevelWrap.plan(t)).toBe(layeredSize(c!.net).parameters);
      const network = toNetwork(c0, c!.net);
      const bad: number[] = [];
      for (let x = s.min; x <= s.max; x++)
        if (evaluateReference(network, [BigInt(x)])[0] !== BigInt(table[x - s.min])) bad.push(x);
      expect(bad, JSON.stringify(o)).toEqual([]);
    }
  });

  it('does not apply with floor (σ_F³ ends on −1, not relu)', () => {
    const s = settingOf(makeConfiguration({ format: 'ap_fixed<8,4>', activation: 'leaky-relu' }));
    expect(twoLevelWrap.plan({ s, table: new Int32Array(256), d: 1, cert: undefined as never })).toBeNull();
  });
});
