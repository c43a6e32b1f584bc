import { describe, expect, it } from 'vitest';
import {
  buildTwoLevelPeriodic,
  periodicSetup,
  twoLevelPeriodic,
} from '../src/constructions/two-level-periodic.js';
import { type LayeredNet, layeredSize } from '../src/engine/layered-net.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { toNetwork } from '../src/expressivity/construct.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';
import { evaluateAllInputs } from '../src/network/sweep-evaluator.js';
import { randomTable } from '../src/prng.js';
import { fxnn } from './run-cli.js';

// docs/construction.md, "Two-level tables through periodic columns". ap_fixed<8,4> and ap_fixed<11,5> play
// ap_fixed<16,6>'s part: AP_TRN and AP_WRAP by default, σ_F's low plateau a fair share of the codes.

type Options = Parameters<typeof makeConfiguration>[0];

/** Inputs (every one, or every `step`-th) where the BigInt reference evaluator differs from the table. */
function mismatches(o: Options, net: LayeredNet, table: Int32Array, step = 1): number[] {
  const c = makeConfiguration(o);
  const s = settingOf(c);
  const network = toNetwork(c, net);
  const bad: number[] = [];
  for (let x = s.min; x <= s.max; x += step)
    if (evaluateReference(network, [BigInt(x)])[0] !== BigInt(table[x - s.min])) bad.push(x);
  return bad;
}

function built(o: Options, seed: number) {
  const s = settingOf(makeConfiguration(o));
  const table = randomTable(s.size, s.min, s.size, seed);
  const c = buildTwoLevelPeriodic(s, table);
  return { s, table, c };
}

describe('two-level-periodic on ap_fixed<8,4> (AP_TRN, AP_WRAP)', () => {
  for (const activation of ['tanh', 'elu', 'silu', 'gelu', 'softplus', 'mish', 'hard-swish', 'gelu-tanh']) {
    it(`${activation}: a random table, equal to the BigInt reference on every input, size as planned`, () => {
      const o = { format: 'ap_fixed<8,4>', activation };
      const { s, table, c } = built(o, 1);
      expect(c).not.toBeNull();
      expect(mismatches(o, c!.net, table)).toEqual([]);
      expect(twoLevelPeriodic.plan({ s, table, d: 1, cert: undefined as never })).toBe(
        layeredSize(c!.net).parameters,
      );
    });
  }

  it('other roundings, bias first and exact accumulation (tanh, elu)', () => {
    for (const extra of [
      { rounding: 'nearest-even' },
      { rounding: 'nearest-away' },
      { bias: 'first' },
      { accumulation: 'exact' },
    ] as const) {
      for (const activation of ['tanh', 'elu']) {
        const o = { format: 'ap_fixed<8,4>', activation, ...extra };
        const { table, c } = built(o, 2);
        expect(c, `${activation} ${JSON.stringify(extra)}`).not.toBeNull();
        expect(mismatches(o, c!.net, table), `${activation} ${JSON.stringify(extra)}`).toEqual([]);
      }
    }
  });

  it('does not apply without a long low plateau, without wrap, or at d = 2', () => {
    // identity: σ_F^r = σ_F for every r, no plateau at all
    expect(
      periodicSetup(settingOf(makeConfiguration({ format: 'ap_fixed<8,4>', activation: 'identity' }))),
    ).toBeNull();
    const sat = settingOf(
      makeConfiguration({ format: 'ap_fixed<8,4>', activation: 'tanh', overflow: 'saturate' }),
    );
    expect(
      twoLevelPeriodic.plan({ s: sat, table: new Int32Array(256), d: 1, cert: undefined as never }),
    ).toBeNull();
    const s = settingOf(makeConfiguration({ format: 'ap_fixed<4,2>', activation: 'tanh' }));
    expect(
      twoLevelPeriodic.plan({ s, table: new Int32Array(256), d: 2, cert: undefined as never }),
    ).toBeNull();
  });
});

describe('two-level-periodic through settled σ_F^r (leaky-relu: ⌊p/100⌋ below 0)', () => {
  it('σ_F^r is σ_F applied r times; the staged network equals the BigInt reference on every input', () => {
    for (const extra of [
      {},
      { rounding: 'nearest-even' },
      { bias: 'first' },
      { accumulation: 'exact' },
    ] as const) {
      const o = { format: 'ap_fixed<8,4>', activation: 'leaky-relu', ...extra };
      const { s, table, c } = built(o, 3);
      const su = periodicSetup(s);
      expect(su?.stages, JSON.stringify(extra)).toBeGreaterThan(1);
      for (let i = 0; i < s.size; i++) {
        let v = s.min + i;
        for (let k = 0; k < su!.stages; k++) v = s.sigma[v - s.min];
        expect(su!.t.sigma[i]).toBe(v);
      }
      // the rows keep every stage
      expect(su!.layerStages[su!.layerStages.length - 1]).toBe(su!.stages);
      expect(c, JSON.stringify(extra)).not.toBeNull();
      expect(mismatches(o, c!.net, table), JSON.stringify(extra)).toEqual([]);
      expect(twoLevelPeriodic.plan({ s, table, d: 1, cert: undefined as never })).toBe(
        layeredSize(c!.net).parameters,
      );
    }
  });
});

describe('two-level-periodic on ap_fixed<11,5> (sigmoid and hard-sigmoid need more codes per unit)', () => {
  for (const activation of ['sigmoid', 'hard-sigmoid']) {
    it(`${activation}: every input by the sweep evaluator, every 7th by the BigInt reference`, () => {
      const o = { format: 'ap_fixed<11,5>', activation };
      const { table, c } = built(o, 1);
      expect(c).not.toBeNull();
      const c0 = makeConfiguration(o);
      const out = evaluateAllInputs(toNetwork(c0, c!.net)).outputs[0];
      let bad = 0;
      for (let i = 0; i < table.length; i++) if (out[i] !== table[i]) bad++;
      expect(bad).toBe(0);
      expect(mismatches(o, c!.net, table, 7)).toEqual([]);
    });
  }
});

describe('construct (CLI) under wrap with tanh', () => {
  it('builds, names two-level-periodic and verifies every input', async () => {
    const r = await fxnn(
      'construct',
      '--activation',
      'tanh',
      '--format',
      'ap_fixed<8,4>',
      '--fn',
      'sin(3*x1)',
      '--construction',
      'two-level-periodic',
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/verified on all 256 inputs: the network computes the target exactly/);
    expect(r.stdout).toMatch(/construction two-level-periodic: \d+ parameters as planned \(exact\)/);
  });
});
