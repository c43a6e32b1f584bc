import { describe, expect, it } from 'vitest';
import { KIND_CELLS as cells } from '../bench/decided-kind-cells.js';
import { findThresholdSpanCertificate } from '../src/engine/threshold-span-certificate.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { construct, toNetwork } from '../src/expressivity/construct.js';
import { decidedNetwork } from '../src/expressivity/decided-network.js';
import { type DecidedCertificate, decide } from '../src/expressivity/verdict.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';
import { randomTable } from '../src/prng.js';

// `construct` on every kind of certificate that `decide` reports (issue 12 item 4, "verified means
// verified"; docs/construction.md, "Certificates the compiler cannot cut into boxes"): on one small ✓ cell per
// kind, decide names the kind that decided the cell, the compiler's own constructions cannot build the
// table, and construct writes out N_f from that certificate. The network is run here on every input by the
// BigInt reference evaluator of src/network (independent of the sweep evaluator construct verifies with)
// and compared with the table, which is drawn at random (a target with no structure to exploit).

/** Every input of 𝕀^d (x1 slowest) through the BigInt reference evaluator, compared with the table. */
function wrongInputs(
  net: Parameters<typeof evaluateReference>[0],
  table: Int32Array,
  min: number,
  size: number,
  d: number,
): number {
  let wrong = 0;
  for (let i = 0; i < table.length; i++) {
    const x: bigint[] = [];
    let rest = i;
    for (let k = d - 1; k >= 0; k--) {
      x[k] = BigInt(min + (rest % size));
      rest = Math.floor(rest / size);
    }
    if (Number(evaluateReference(net, x)[0]) !== table[i]) wrong++;
  }
  return wrong;
}

// the long-prefix start cell (SQ0.7, 255 values, about 9 s) is left to bench/construct-kinds.bench.ts: its N_f is
// the start-term layout the Q0.2 cell checks here
const fast = cells.filter(([, , format]) => format !== 'SQ0.7');

describe('construct builds N_f from the certificate that decided the verdict, for every kind', () => {
  it.each(fast)(
    '%s: %s on %s (%s, %s, %s weights, %s, bias %s)',
    (kind, activation, format, rounding, overflow, weights, accumulation, bias) => {
      const c = makeConfiguration({ activation, format, rounding, overflow, weights, accumulation, bias });
      const s = settingOf(c);
      let found: DecidedCertificate | null = null;
      const v = decide(c, {
        onCertificate: (f) => {
          found = f;
        },
      });
      expect(v.verdict).toBe('universal');
      expect((found as DecidedCertificate | null)?.key).toBe(kind);
      for (const d of s.size <= 8 ? [1, 2] : [1]) {
        const table = randomTable(s.size ** d, s.min, s.size, 11 + d);
        const r = construct(c, table, d);
        expect(r.method).toMatch(/^composition \(/);
        expect(r.verifiedInputs).toBe(table.length);
        expect(wrongInputs(r.network, table, s.min, s.size, d)).toBe(0);
      }
    },
  );

  it('family: the certificate of the analytic path (§9.5), searched again and written out, computes random tables', () => {
    // hard-swish on SQ2.0 (floor, error, all weights) was decided by the family path until the feature-pair
    // search with all weights came before it; the family search still finds its certificate there
    const c = makeConfiguration({
      activation: 'hard-swish',
      format: 'SQ2.0',
      rounding: 'floor',
      overflow: 'error',
    });
    const s = settingOf(c);
    for (const d of [1, 2]) {
      const table = randomTable(s.size ** d, s.min, s.size, 3 + d);
      const net = decidedNetwork(c, s, { key: 'family', certificate: null }, table, d);
      if (typeof net === 'string') throw new Error(net);
      expect(wrongInputs(toNetwork(c, net), table, s.min, s.size, d)).toBe(0);
    }
  });

  it('thresholdSpan: the terms of Lemma XT written out as the network of Proposition XS compute random tables (UQ0.3, d = 1, 2)', () => {
    // decide uses Lemma XT from 512 values on (UQ0.9), where N_f needs 68 million copies of the terms: that
    // cell is refused with one line (below); the network itself is checked here on a small format
    const c = makeConfiguration({
      activation: 'identity',
      format: 'UQ0.3',
      rounding: 'nearest-even',
      overflow: 'wrap',
      accumulation: 'exact',
      bias: 'first',
    });
    const s = settingOf(c);
    const cert = findThresholdSpanCertificate(s).certificate;
    expect(cert).not.toBeNull();
    for (const d of [1, 2]) {
      const table = randomTable(s.size ** d, s.min, s.size, 5 + d);
      const net = decidedNetwork(c, s, { key: 'thresholdSpan', certificate: cert }, table, d);
      if (typeof net === 'string') throw new Error(net);
      expect(wrongInputs(toNetwork(c, net), table, s.min, s.size, d)).toBe(0);
    }
  });

  it('a network beyond the bound of the composition is refused with one line naming the kind (UQ0.9, Lemma XT)', () => {
    const c = makeConfiguration({
      activation: 'identity',
      format: 'UQ0.9',
      rounding: 'nearest-even',
      overflow: 'wrap',
      accumulation: 'exact',
      bias: 'first',
    });
    const s = settingOf(c);
    expect(() => construct(c, randomTable(s.size, s.min, s.size, 1), 1)).toThrow(
      /^a threshold span certificate decides this configuration, but the exact span network needs \d+ first-layer neurons/,
    );
  });

  it('a cell that is not universal keeps its error line, which points to check', () => {
    // sigmoid on Q1.1 under ceil with binary weights: ✗ in bench/small-cells.jsonl
    const c = makeConfiguration({
      activation: 'sigmoid',
      format: 'Q1.1',
      rounding: 'ceil',
      overflow: 'saturate',
      weights: 'binary',
    });
    expect(decide(c).verdict).toBe('not-universal');
    const s = settingOf(c);
    expect(() => construct(c, randomTable(s.size, s.min, s.size, 3), 1)).toThrow(
      /no certificate of universality was found .* run: fxnn check --activation sigmoid --format Q1.1/,
    );
  });

  it('a wrong output bias is caught: N_f with β moved by one code is refused on some input', () => {
    // the composition is trusted by nobody: the same network with its output bias moved must fail the check
    const c = makeConfiguration({
      activation: 'identity',
      format: 'Q0.2',
      rounding: 'toward-zero',
      overflow: 'wrap',
      accumulation: 'sequential',
    });
    const s = settingOf(c);
    const table = randomTable(s.size, s.min, s.size, 5);
    const r = construct(c, table, 1);
    const layers = r.network.layers;
    const out = layers[layers.length - 1].neurons[0];
    const moved = {
      ...r.network,
      layers: [
        ...layers.slice(0, -1),
        {
          ...layers[layers.length - 1],
          neurons: [{ ...out, bias: out.bias === BigInt(s.max) ? BigInt(s.min) : out.bias + 1n }],
        },
      ],
    };
    expect(wrongInputs(moved, table, s.min, s.size, 1)).toBe(s.size);
  });

  it('steps on an unsigned format under wrap: every weight and bias is a code of the format', () => {
    // steps' shared prefix σ_F(±x ⊕ b0) took the weight −1 and negative biases on UQ1.2 (codes 0 … 7): the
    // network format refused them with an `error:` line after the network was built
    for (const activation of ['tanh', 'silu']) {
      const c = makeConfiguration({
        activation,
        format: 'UQ1.2',
        rounding: activation === 'tanh' ? 'nearest-away' : 'nearest-down',
        overflow: 'wrap',
      });
      const s = settingOf(c);
      const table = randomTable(s.size, s.min, s.size, 7);
      const r = construct(c, table, 1);
      for (const layer of r.network.layers)
        for (const n of layer.neurons) {
          expect(n.bias >= BigInt(s.min) && n.bias <= BigInt(s.max)).toBe(true);
          for (const [, w] of n.edges) expect(w >= BigInt(s.min) && w <= BigInt(s.max)).toBe(true);
        }
      expect(wrongInputs(r.network, table, s.min, s.size, 1)).toBe(0);
    }
  });
});
