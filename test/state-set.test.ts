import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StateSet, setHash } from '../src/engine/state-set.js';

// src/engine/state-set.ts: membership must be exactly that of a set of joined sorted strings (the chain
// solver's former keys), hash collisions included
describe('StateSet', () => {
  const codes = fc.uniqueArray(fc.integer({ min: -20, max: 20 }), { maxLength: 8 });
  const key = (z: number[], e: number[]) =>
    `${[...z].sort((a, b) => a - b).join(',')}|${[...e].sort((a, b) => a - b).join(',')}`;

  it('answers as a set of joined strings, for sets given in any order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(codes, codes), { maxLength: 30 }),
        fc.array(fc.tuple(codes, codes)),
        (added, asked) => {
          const set = new StateSet();
          const ref = new Set<string>();
          for (const [z, e] of added) {
            set.add(Int32Array.from(z).sort(), Int32Array.from(e).sort());
            ref.add(key(z, e));
          }
          const min = -20;
          const markZ = new Int32Array(41);
          const markE = new Int32Array(41);
          let gen = 0;
          for (const [z, e] of [
            ...asked,
            ...added.map(([a, b]) => [[...a].reverse(), b] as [number[], number[]]),
          ]) {
            gen++;
            for (const v of z) markZ[v - min] = gen;
            for (const v of e) markE[v - min] = gen;
            expect(set.hasMarked(setHash(z, e), z.length, e.length, markZ, markE, gen, min)).toBe(
              ref.has(key(z, e)),
            );
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('tells apart pairs that share a hash bucket (a forced collision)', () => {
    const set = new StateSet();
    set.addHashed(42, Int32Array.of(1, 2), Int32Array.of(3));
    const markZ = new Int32Array(10);
    const markE = new Int32Array(10);
    markZ[1] = markZ[4] = 1; // the zero side {1, 4}, not {1, 2}
    markE[3] = 1;
    expect(set.hasMarked(42, 2, 1, markZ, markE, 1, 0)).toBe(false);
    markZ[2] = 2;
    markZ[1] = 2;
    markE[3] = 2;
    expect(set.hasMarked(42, 2, 1, markZ, markE, 2, 0)).toBe(true);
    expect(set.hasMarked(43, 2, 1, markZ, markE, 2, 0)).toBe(false);
  });
});
