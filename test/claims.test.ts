import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.js';
import { type ClaimMap, paperClaims } from '../src/expressivity/claims.js';
import { type MapCell, mapFormats } from '../src/expressivity/map.js';

let out = '';
beforeEach(() => {
  out = '';
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => {
    out += `${a.join(' ')}\n`;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => vi.restoreAllMocks());

/** A synthetic map cell: only the fields the claims read. */
function cell(
  activation: string,
  format: string,
  verdict: MapCell['verdict'],
  dist: boolean | null,
): MapCell {
  return {
    activation,
    format,
    weights: 'all',
    verdict,
    dist: dist === null ? null : { holds: dist, witness: dist ? null : ['-2', '-1.5'] },
    certificate: null,
    reason: verdict,
    analytic: null,
  };
}

describe('paperClaims', () => {
  const all: ClaimMap = {
    encoding: 'Q',
    weights: 'all',
    accumulation: 'sequential',
    cells: [
      cell('relu', 'Q1.1', 'not-universal', false), // C1 holds, C3 fails, C4 holds (relu(0) = 0)
      cell('relu', 'Q2.1', 'universal', true), // C2, C3, C4 hold
      cell('sigmoid', 'Q0.2', 'undetermined', true), // C2, C3 fail; sigmoid has no zero: not in C4
      cell('identity', 'Q2.1', 'universal', true), // C6 holds
      cell('step', 'Q2.1', 'not-universal', true), // C2 fails, C4 fails (step is 0 below 0)
      cell('tanh', 'Q2.1', 'universal', true),
    ],
  };
  const binary: ClaimMap = {
    ...all,
    weights: 'binary',
    cells: [
      cell('relu', 'Q2.1', 'not-universal', false), // C5 fails (all weights universal)
      cell('tanh', 'Q2.1', 'universal', true), // C5 holds
      cell('sigmoid', 'Q0.2', 'not-applicable', null), // never tested
      cell('identity', 'Q2.1', 'undetermined', true), // C6 fails
    ],
  };
  const claims = Object.fromEntries(paperClaims([all, binary]).map((c) => [c.id, c]));
  const names = (id: string, side: 'holds' | 'fails') =>
    claims[id][side].map((c) => `${c.map}: ${c.activation} ${c.format}`);

  it('C1 is tested where DIST fails, C2 where it holds', () => {
    expect(names('C1', 'holds')).toEqual(['Q all: relu Q1.1', 'Q binary: relu Q2.1']);
    expect(names('C1', 'fails')).toEqual([]);
    expect(names('C2', 'fails')).toEqual([
      'Q all: sigmoid Q0.2',
      'Q all: step Q2.1',
      'Q binary: identity Q2.1',
    ]);
  });

  it('C3 on the named activations with all weights, C4 on activations with a zero in the format', () => {
    expect(names('C3', 'holds')).toEqual(['Q all: relu Q2.1']);
    expect(names('C3', 'fails')).toEqual(['Q all: relu Q1.1', 'Q all: sigmoid Q0.2']);
    expect(names('C4', 'fails')).toEqual(['Q all: step Q2.1', 'Q binary: identity Q2.1']);
    expect(names('C4', 'holds')).not.toContain('Q all: sigmoid Q0.2');
  });

  it('C5 pairs each binary cell with the all-weights cell; C6 is the identity', () => {
    expect(names('C5', 'holds')).toEqual(['Q binary: tanh Q2.1']);
    expect(names('C5', 'fails')).toEqual(['Q binary: relu Q2.1']);
    expect(names('C6', 'holds')).toEqual(['Q all: identity Q2.1']);
    expect(names('C6', 'fails')).toEqual(['Q binary: identity Q2.1']);
    expect(claims.C6.byMap).toEqual({ 'Q all': [1, 1], 'Q binary': [0, 1] });
  });
});

describe('fxnn reproduce --encoding, --accumulation, --claims', () => {
  it('mapFormats lists every format of 3 to maxBits bits of each encoding', () => {
    expect(mapFormats(4)).toEqual(['Q0.2', 'Q1.1', 'Q2.0', 'Q0.3', 'Q1.2', 'Q2.1', 'Q3.0']);
    expect(mapFormats(3, 'SQ')).toEqual(['SQ0.2', 'SQ1.1', 'SQ2.0']);
    expect(mapFormats(3, 'UQ')).toEqual(['UQ0.3', 'UQ1.2', 'UQ2.1', 'UQ3.0']);
  });

  it('--encoding sq --accumulation exact --json: SQ cells with the same fields as before', async () => {
    expect(
      await main(['reproduce', '--max-bits', '3', '--encoding', 'sq', '--accumulation', 'exact', '--json']),
    ).toBe(0);
    const { cells } = JSON.parse(out) as { cells: Record<string, unknown>[] };
    expect(cells).toHaveLength(14 * 3);
    expect(new Set(cells.map((c) => c.format))).toEqual(new Set(['SQ0.2', 'SQ1.1', 'SQ2.0']));
    for (const c of cells)
      expect(Object.keys(c).sort()).toEqual(
        ['activation', 'analytic', 'certificate', 'dist', 'format', 'reason', 'verdict', 'weights'].sort(),
      );
  }, 60_000);

  it('--claims --json: six claims over the Q and SQ maps, all and binary weights', async () => {
    expect(await main(['reproduce', '--max-bits', '3', '--claims', '--json'])).toBe(0);
    const r = JSON.parse(out) as {
      maps: string[];
      claims: { id: string; holds: unknown[]; fails: unknown[] }[];
    };
    expect(r.maps).toEqual(['Q all', 'Q binary', 'SQ all', 'SQ binary']);
    expect(r.claims.map((c) => c.id)).toEqual(['C1', 'C2', 'C3', 'C4', 'C5', 'C6']);
    // C1 is a theorem: it never fails
    expect(r.claims[0].fails).toEqual([]);
  }, 60_000);
});
