import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { activationTable, makePolicy, parseActivation, parseFormat } from '../src/index.js';
import {
  type ActivationFixture,
  decodeCodes,
  FIXTURE_ACTIVATIONS,
  FIXTURE_FORMATS,
  FIXTURE_ROUNDINGS,
} from './fixtures/activations/fixture-codec.js';

/**
 * Whole tables against the independent references of test/fixtures/activations (generate.ts:
 * decimal.js at 64/200 digits with tail forms, exact rationals): codes equal, no tolerance.
 */
const dir = join(import.meta.dirname, 'fixtures', 'activations');

describe.each(FIXTURE_FORMATS)('reference tables of %s', (spec) => {
  const file = join(dir, `${spec}.json`);
  it('has a fixture file with every activation and rounding', () => {
    expect(existsSync(file)).toBe(true);
    const fixture = JSON.parse(readFileSync(file, 'utf8')) as ActivationFixture;
    expect(Object.keys(fixture.tables).sort()).toEqual([...FIXTURE_ACTIVATIONS].sort());
  });
  const fixture: ActivationFixture | null = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
  const format = parseFormat(spec);
  for (const name of FIXTURE_ACTIVATIONS) {
    for (const rounding of FIXTURE_ROUNDINGS) {
      it(`${name} ${rounding}`, () => {
        const expected = decodeCodes(fixture!.tables[name][rounding]);
        expect(expected.length).toBe(Number(format.size));
        const table = activationTable(parseActivation(name), format, makePolicy(format, { rounding }));
        const got = Array.from(table);
        // report the first mismatch readably
        const i = got.findIndex((c, j) => c !== expected[j]);
        if (i >= 0) {
          const x = (Number(format.minCode) + i) / 2 ** format.fracBits;
          expect({ x, code: got[i] }).toEqual({ x, code: expected[i] });
        }
        expect(got).toEqual(expected);
      });
    }
  }
});
