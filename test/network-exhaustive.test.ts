/** Exhaustive evaluation: the lexicographic input order, streaming chunks, worker threads. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeFormat, parseFormat } from '../src/format.js';
import { evaluateAll, evaluateAllOutputs, exhaustiveRowCount } from '../src/network/exhaustive.js';
import { planExhaustive } from '../src/network/exhaustive-run.js';
import type { CompareResult, CsvResult, TaskResult } from '../src/network/exhaustive-tasks.js';
import {
  allInputs,
  fillInputs,
  forEachInput,
  indexOfInput,
  inputAt,
  inputCount,
} from '../src/network/input-space.js';
import { makeNetwork, type Network } from '../src/network/network.js';
import { parseNetworkJson } from '../src/network/network-json.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';
import { codeToDecimal } from '../src/value.js';
import { networkArb, smallFormatArb } from './network-arbitrary.js';
import { theoryNetJson } from './theory-net.js';

/** relu(x1 − x2/4 + 0.5)·1.5 over Q3.4: 65536 inputs. */
const NET = parseNetworkJson(theoryNetJson());

describe('the input space in lexicographic order of codes', () => {
  it('x1 varies slowest: Q0.1 (values −1, −0.5, 0, 0.5) in two inputs', () => {
    const f = parseFormat('Q0.1');
    const rows = [...allInputs(f, 2)];
    expect(rows.slice(0, 5)).toEqual([
      [-2n, -2n],
      [-2n, -1n],
      [-2n, 0n],
      [-2n, 1n],
      [-1n, -2n],
    ]);
    expect(rows).toHaveLength(16);
    expect(rows[15]).toEqual([1n, 1n]);
    const seen: Array<[bigint[], number]> = [];
    forEachInput(f, 2, (x, i) => seen.push([x, i]));
    expect(seen).toEqual(rows.map((x, i) => [x, i]));
  });

  it('fillInputs, inputAt and indexOfInput agree with the enumeration at any offset', () => {
    const arb = smallFormatArb(16).chain((f) =>
      fc.tuple(fc.constant(f), fc.integer({ min: 1, max: 3 })).chain(([f, d]) => {
        const total = Number(inputCount(f, d));
        return fc
          .tuple(fc.constant(f), fc.constant(d), fc.nat(total - 1))
          .chain(([f, d, start]) =>
            fc.tuple(
              fc.constant(f),
              fc.constant(d),
              fc.constant(start),
              fc.integer({ min: 1, max: total - start }),
            ),
          );
      }),
    );
    fc.assert(
      fc.property(arb, ([f, d, start, rows]) => {
        const all = [...allInputs(f, d)];
        const out = new Int32Array(rows * d);
        fillInputs(f, d, start, rows, out);
        expect(Array.from(out, BigInt)).toEqual(all.slice(start, start + rows).flat());
        expect(inputAt(f, d, BigInt(start))).toEqual(all[start]);
        expect(indexOfInput(f, all[start])).toBe(BigInt(start));
      }),
      { numRuns: 200 },
    );
  });
});

describe('evaluateAll streams every input in order', () => {
  it('chunks of any size cover all rows in order, with the reference outputs', () => {
    const arb = smallFormatArb(16).chain((f) =>
      networkArb(f, { inputs: 2, maxLayers: 2, maxWidth: 3, maxEdges: 4 }),
    );
    const net = fc.sample(
      arb.filter((n) => n.policy.overflow !== 'error'),
      { numRuns: 1, seed: 5 },
    )[0];
    const expected = [...allInputs(net.format, 2)].map((x) => evaluateReference(net, x));
    for (const chunkRows of [1, 7, 4096]) {
      const seen: bigint[][] = [];
      let next = 0;
      evaluateAll(
        net,
        ({ start, rows, outputs }) => {
          expect(start).toBe(next);
          next += rows;
          for (let r = 0; r < rows; r++) seen.push([BigInt(outputs[r])]);
        },
        { chunkRows },
      );
      expect(seen).toEqual(expected);
    }
    const part: number[] = [];
    evaluateAll(net, ({ start }) => part.push(start), { start: 3, end: 10, chunkRows: 4 });
    expect(part).toEqual([3, 7]);
    expect(Array.from(evaluateAllOutputs(net), BigInt)).toEqual(expected.flat());
  });

  it('refuses what cannot be enumerated', () => {
    const wide = makeNetwork({
      format: makeFormat('Q', 12, 12),
      inputs: 1,
      layers: [{ activation: 'identity', neurons: [{ bias: 0n, edges: [] }] }],
    });
    expect(() => exhaustiveRowCount(wide)).toThrow(
      'exhaustive evaluation needs a format of at most 24 bits; Q12.12 has 25',
    );
    const many = makeNetwork({
      ...NET,
      format: parseFormat('Q7.8'),
      inputs: 4,
      layers: [{ activation: 'identity', neurons: [{ bias: 0n, edges: [] }] }],
    });
    expect(() => exhaustiveRowCount(many)).toThrow('Q7.8^4 has 18446744073709551616 inputs, more than 2^53');
    expect(() => evaluateAllOutputs(NET, 1000)).toThrow('65536 inputs exceed the limit of 1000');
  });
});

describe('planned runs, in this thread and in worker threads', () => {
  async function collect(net: Network, task: Parameters<typeof planExhaustive>[1], parallelAbove: number) {
    // chunks of 4096 rows: the split into chunks must not depend on how fast this machine is today
    const plan = await planExhaustive(net, task, { workers: 2, parallelAbove, maxChunkRows: 4096 });
    const results: Array<[number, number, TaskResult]> = [];
    await plan.run((result, start, rows) => {
      results.push([start, rows, result]);
    });
    return { plan, results };
  }

  it('CSV rows from two workers equal those of this thread, in lexicographic order', async () => {
    const here = await collect(NET, { kind: 'csv' }, Number.POSITIVE_INFINITY);
    const there = await collect(NET, { kind: 'csv' }, 0);
    expect(here.plan.workers).toBe(1);
    expect(there.plan.workers).toBe(2);
    const text = (r: typeof here) => r.results.map(([, , t]) => (t as CsvResult).text).join('');
    expect(text(there)).toBe(text(here));
    const lines = text(here).trimEnd().split('\n');
    expect(lines).toHaveLength(65536);
    // row index i ↔ (x1, x2) = codes (⌊i/256⌋ − 128, i mod 256 − 128)
    const i = 40000;
    const [a, b] = [BigInt(Math.floor(i / 256) - 128), BigInt((i % 256) - 128)];
    const y = evaluateReference(NET, [a, b])[0];
    expect(lines[i]).toBe([a, b, y].map((c) => codeToDecimal(c, NET.format)).join(','));
  });

  it('an overflow under mode error in a worker rejects with the first overflowing input', async () => {
    const net = makeNetwork({
      ...NET,
      policy: { overflow: 'error' },
      layers: [
        {
          activation: 'identity',
          neurons: [
            {
              bias: 0n,
              edges: [
                [0, 64n],
                [1, 64n],
              ],
            },
          ],
        },
      ],
    });
    // 4·x1 + 4·x2 first leaves [−8, 7.9375] at x1 = −8: 4 ⊗ −8 = −32
    await expect(collect(net, { kind: 'outputs' }, 0)).rejects.toThrow(
      'overflow in layers[0].neurons[0] (the product w ⊗ h of edges[0]) at input (-8, -8): -32 is outside Q3.4',
    );
  });

  it('compare-fn counts mismatches against a target expression', async () => {
    const { results } = await collect(
      NET,
      { kind: 'compare-fn', expression: '1.5 * relu(x1 - x2/4 + 0.5)', examples: 2 },
      Number.POSITIVE_INFINITY,
    );
    let mismatches = 0;
    for (const [, , r] of results) mismatches += (r as CompareResult).mismatches;
    // brute force: the network rounds x2/4 and the product 1.5·h, the target rounds once
    let expected = 0;
    for (const [a, b] of allInputs(NET.format, 2)) {
      const y = evaluateReference(NET, [a, b])[0];
      // exact target in units of 2^-6: 1.5·max(0, 4a − b + 32)/4 … rounded to 2^-4 (nearest-even)
      const t4 = 4n * a - b + 32n; // (x1 − x2/4 + 0.5) in units of 2^-6
      const num = 3n * (t4 > 0n ? t4 : 0n); // 1.5·t in units of 2^-7
      const q = num / 8n;
      const r = num % 8n;
      const code = r > 4n || (r === 4n && q % 2n === 1n) ? q + 1n : q;
      const sat = code > 127n ? 127n : code;
      if (sat !== y) expected++;
    }
    expect(mismatches).toBe(expected);
    expect(expected).toBeGreaterThan(0);
  });
});
