/**
 * `verify` by the sweep (src/network/compare-all-inputs.ts): its mismatch count and first examples equal
 * a comparison input by input with the BigInt reference (`evaluateReference`) on random networks and
 * random targets (every format kind, rounding and overflow mode, both accumulations and bias orders,
 * 1–3 inputs); where the reference overflows it declines (null), so `verify` keeps the dense evaluator's
 * report there. The CLI gives the same report by either evaluator.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeFormat } from '../src/format.js';
import { compareOnAllInputs, sweepApplies } from '../src/network/compare-all-inputs.js';
import { allInputs } from '../src/network/input-space.js';
import { makeNetwork, type Network } from '../src/network/network.js';
import { networkToJsonText } from '../src/network/network-json.js';
import { networkArb, referenceOutcomes, smallFormatArb } from './network-arbitrary.js';
import { fxnn } from './run-cli.js';

/** One output: the first neuron of the last layer (a target function has one output). */
const oneOutput = (net: Network): Network => {
  const last = net.layers[net.layers.length - 1];
  return { ...net, layers: [...net.layers.slice(0, -1), { ...last, neurons: [last.neurons[0]] }] };
};

const networks: fc.Arbitrary<Network> = fc
  .oneof(
    smallFormatArb(64).chain((f) => networkArb(f, { inputs: 1, maxLayers: 4, maxWidth: 4, maxEdges: 4 })),
    smallFormatArb(12).chain((f) => networkArb(f, { inputs: 2, maxLayers: 3, maxWidth: 3, maxEdges: 4 })),
    smallFormatArb(5).chain((f) => networkArb(f, { inputs: 3, maxLayers: 2, maxWidth: 3, maxEdges: 4 })),
  )
  .map(oneOutput);

describe('compareOnAllInputs', () => {
  it('counts the mismatches of the BigInt reference and lists the first ones, input by input', () => {
    fc.assert(
      fc.property(
        networks,
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 0, max: 4 }),
        (net, seed, show) => {
          const ref = referenceOutcomes(net);
          const inputs = [...allInputs(net.format, net.inputs)];
          const size = Number(net.format.size);
          const min = Number(net.format.minCode);
          // a target that agrees with the network on about half the inputs (where it is valid)
          const target = ref.map((o, i) =>
            'outputs' in o && ((seed >> (i % 31)) & 1) === 0
              ? Number(o.outputs[0])
              : min + ((seed + 7 * i) % size),
          );
          const got = compareOnAllInputs(
            net,
            (x, i) => {
              expect(x.map(Number)).toEqual(inputs[i].map(Number));
              return target[i];
            },
            show,
          );
          if (ref.some((o) => 'overflow' in o)) {
            expect(got).toBeNull();
            return;
          }
          const bad = ref.flatMap((o, i) =>
            'outputs' in o && Number(o.outputs[0]) !== target[i] ? [i] : [],
          );
          expect(got).not.toBeNull();
          expect(got?.inputs).toBe(ref.length);
          expect(got?.mismatches).toBe(bad.length);
          expect(got?.examples).toEqual(
            bad.slice(0, show).map((i) => ({
              index: i,
              input: inputs[i].map(Number),
              network: Number((ref[i] as { outputs: bigint[] }).outputs[0]),
              target: target[i],
            })),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('declines what the sweep does not take: more than 16 bits, more than one output', () => {
    const wide = makeNetwork({
      format: makeFormat('Q', 8, 9),
      policy: { rounding: 'nearest-even', overflow: 'saturate' },
      inputs: 1,
      layers: [{ activation: 'identity', neurons: [{ bias: 0n, edges: [[0, 512n]] }] }],
    });
    expect(sweepApplies(wide)).toBe(false);
    expect(compareOnAllInputs(wide, () => 0, 1)).toBeNull();
    const two = makeNetwork({
      format: makeFormat('Q', 2, 2),
      policy: { rounding: 'nearest-even', overflow: 'saturate' },
      inputs: 1,
      layers: [
        {
          activation: 'identity',
          neurons: [
            { bias: 0n, edges: [[0, 4n]] },
            { bias: 1n, edges: [[0, 4n]] },
          ],
        },
      ],
    });
    expect(sweepApplies(two)).toBe(false);
  });
});

describe('fxnn verify by the sweep', () => {
  it('reports what the dense evaluator reports (agreement, mismatches, overflow under error)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fxnn-verify-sweep-'));
    const net = (overflow: string) => {
      const n = makeNetwork({
        format: makeFormat('Q', 3, 4),
        policy: { rounding: 'nearest-even', overflow: overflow as 'saturate' },
        inputs: 1,
        layers: [
          { activation: 'relu', neurons: [{ bias: 4n, edges: [[0, 32n]] }] },
          { activation: 'identity', neurons: [{ bias: -2n, edges: [[0, 16n]] }] },
        ],
      });
      const path = join(dir, `${overflow}.json`);
      writeFileSync(path, networkToJsonText(n));
      return path;
    };
    const sat = net('saturate');
    const ok = await fxnn('verify', sat, '--fn', 'max(min(2*x1 + 0.25, 7.9375), 0) - 0.125');
    expect(ok.stdout).toBe('verified: the network equals the target on all 256 inputs\n');
    expect(ok.status).toBe(0);
    const off = await fxnn(
      'verify',
      sat,
      '--fn',
      'max(min(2*x1 + 0.25, 7.9375), 0)',
      '--show',
      '2',
      '--json',
    );
    expect(off.status).toBe(1);
    const r = JSON.parse(off.stdout);
    // the network is 0.125 below the target everywhere
    expect(r.mismatches).toBe(256);
    expect(r.examples).toHaveLength(2);
    for (const m of r.examples) expect(Number(m.target) - Number(m.network)).toBe(0.125);
    // under error the network overflows (2·x1 past 7.9375): the dense evaluator's report, as before
    const err = await fxnn('verify', net('error'), '--fn', 'x1');
    expect(err.status).toBe(2);
    expect(err.stderr).toMatch(/^error: .*overflow/m);
  });
});
