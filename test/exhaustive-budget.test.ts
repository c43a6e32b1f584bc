import { describe, expect, it } from 'vitest';
import { Budget } from '../src/engine/budget.js';
import { findCertificate } from '../src/engine/certificate.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { decide } from '../src/expressivity/verdict.js';

// formats of at most 256 values: the exhaustive search has a first pass of 1/8 of the budget, the other
// searches go next, the search resumes with the rest, and whatever the budget stops is named
// (docs/theory.md §10.6, "Random cells of the full product"; found by bench/combos.bench.ts --random)
describe('the exhaustive search under the budget', () => {
  it('a cell whose failing exhaustive search ate the whole budget is decided by an idle-set chain', () => {
    // was undetermined after 48 s (the idle-set chains of §9.7 never ran, and the reason did not say so)
    const c = makeConfiguration({
      activation: 'gelu-tanh',
      format: 'UQ3.4',
      rounding: 'nearest-zero',
      overflow: 'wrap',
    });
    const v = decide(c);
    expect(v.verdict).toBe('universal');
    expect(v.reason).toMatch(/§9\.7/);
  });

  it('an undetermined verdict names the budget that stopped a search (and --budget)', () => {
    const c = makeConfiguration({
      activation: 'silu',
      format: 'UQ0.7',
      rounding: 'nearest-down',
      overflow: 'wrap',
    });
    const v = decide(c, { budget: 0.001 });
    expect(v.verdict).toBe('undetermined');
    expect(v.reason).toMatch(/the budget \(0\.03 s|time budget 0\.0\d* s/);
    expect(v.reason).toMatch(/raise it with --budget/);
  });

  it('findCertificate stops on the budget it is given, and runs to the end without one', () => {
    const s = settingOf(
      makeConfiguration({
        activation: 'silu',
        format: 'SQ2.3',
        rounding: 'ceil',
        overflow: 'error',
        weights: 'binary',
      }),
    );
    expect(() => findCertificate(s, new Budget(1, 0, 0))).toThrow(/exhaustive certificate search exceeded/);
    const full = findCertificate(s);
    const again = findCertificate(s, new Budget(1, 60));
    expect(again.tried).toEqual(full.tried);
    expect(again.certificate === null).toBe(full.certificate === null);
  });

  it('binary weights: the report names each classical level once, as e=1 (it said e=e=1)', () => {
    const s = settingOf(
      makeConfiguration({
        activation: 'silu',
        format: 'SQ2.3',
        rounding: 'ceil',
        overflow: 'error',
        weights: 'binary',
      }),
    );
    const report = findCertificate(s);
    const labels = report.tried.map((t) => t.split(':')[0]);
    const classical = labels.filter((l) => /^e=-?\d+$/.test(l));
    expect(new Set(classical).size).toBe(classical.length);
    expect(report.tried).toContain('e=1: no threshold gadget for x ≤ code -7');
    expect(report.tried.every((t) => !t.startsWith('e=e='))).toBe(true);
  });
});
