import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Predecessors } from '../src/engine/predecessors.js';

// The emitter search's breadth-first tree (docs/theory.md §9.6): whatever its storage (direct arrays,
// a hash table with or without the bit per value), it answers like a Map from a to (from, term).

/**
 * Replays `ops` (value, from, term) on a Predecessors of `bound` and on a Map; the answers that differ
 * (none when they agree).
 */
function disagreements(
  bound: number,
  ops: ReadonlyArray<readonly [number, number, number]>,
  probes: readonly number[],
): string[] {
  const p = new Predecessors(bound);
  const ref = new Map<number, [number, number]>();
  const hashed = 2 * bound + 1 > 2 ** 22;
  const bad: string[] = [];
  for (const [a, from, term] of ops) {
    if (p.has(a) !== ref.has(a)) bad.push(`has(${a}) before set`);
    p.set(a, from, term);
    ref.set(a, [from, term]);
    // the memory the search is charged for: entries of the hash table (0 with direct arrays)
    if (p.size !== (hashed ? ref.size : 0)) bad.push(`size ${p.size} after set(${a})`);
  }
  for (const a of [...probes, ...ref.keys()]) {
    if (p.has(a) !== ref.has(a)) bad.push(`has(${a})`);
    const hit = ref.get(a);
    if (hit && (p.from(a) !== hit[0] || p.term(a) !== hit[1]))
      bad.push(`${a}: (${p.from(a)}, ${p.term(a)}), not (${hit[0]}, ${hit[1]})`);
  }
  return bad;
}

const op = (bound: number) =>
  fc.tuple(
    fc.integer({ min: -bound, max: bound }),
    fc.integer({ min: -bound, max: bound }),
    fc.integer({ min: -1, max: 63 }),
  );

describe('Predecessors', () => {
  // direct arrays (2^21 + 1 values), hash with a bit per value (2^26 + 1: Q7.8 exact), hash alone (2^33 + 1: Q0.15 exact)
  for (const bound of [2 ** 20, 2 ** 25, 2 ** 32]) {
    it(`answers like a Map on [−${bound}, ${bound}] (random values, overwrites, the ends)`, () => {
      fc.assert(
        fc.property(
          fc.array(op(bound), { maxLength: 300 }),
          fc.array(fc.integer({ min: -bound, max: bound }), { maxLength: 50 }),
          (ops, probes) => {
            expect(disagreements(bound, ops, [...probes, -bound, bound, 0])).toEqual([]);
          },
        ),
        { numRuns: 30 },
      );
    });
  }

  it('grows past many collisions: 40,000 clustered values (a breadth-first frontier) keep their entries', () => {
    const bound = 2 ** 32;
    const ops: Array<[number, number, number]> = [];
    for (let i = 0; i < 40_000; i++)
      ops.push([(i % 317) * 2 ** 20 + Math.floor(i / 317) - 2 ** 31, i, i % 64]);
    ops.push([-bound, 7, -1], [bound, -7, 5]);
    expect(disagreements(bound, ops, [1, -1, 2 ** 31])).toEqual([]);
  });
});
