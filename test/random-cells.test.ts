import { describe, expect, it } from 'vitest';
import { cellCommand, overflowsOf, randomCells, spellings } from '../bench/random-cells.js';
import { makeConfiguration } from '../src/expressivity/configuration.js';
import { isPlainFormat, parseFormat } from '../src/format.js';

// bench/random-cells.ts: the random cells of `bench/combos.bench.ts --random N --seed S` (docs/theory.md §10.6)
describe('random cells of the full 3–16-bit product', () => {
  const all = spellings();

  it('lists every spelling of 3 to 16 bits once, each parsed to a format of that width the engine takes', () => {
    // Q, SQ, ap_fixed: W splits per width; UQ, ap_ufixed: W + 1; ap_int, ap_uint: 1 (W = 3 … 16)
    let expected = 0;
    for (let w = 3; w <= 16; w++) expected += 3 * w + 2 * (w + 1) + 2;
    expect(all.length).toBe(expected);
    expect(new Set(all.map((s) => s.format)).size).toBe(all.length);
    for (const s of all) {
      const f = parseFormat(s.format);
      expect(f.bits).toBe(s.bits);
      expect(isPlainFormat(f)).toBe(true);
      expect(f.kind).toBe(s.kind === 'SQ' ? 'SQ' : s.kind.startsWith('ap_u') || s.kind === 'UQ' ? 'UQ' : 'Q');
    }
    // every split of a width: Qm.n for m = 0 … W−1 and its ap_fixed twin name the same format
    for (let w = 3; w <= 16; w++) {
      const q = all.filter((s) => s.kind === 'Q' && s.bits === w).map((s) => parseFormat(s.format));
      const ap = all.filter((s) => s.kind === 'ap_fixed' && s.bits === w).map((s) => parseFormat(s.format));
      expect(new Set(ap)).toEqual(new Set(q));
      expect(q.map((f) => f.intBits).sort((a, b) => a - b)).toEqual([...Array(w).keys()]);
    }
  });

  it('pairs each spelling with the overflows check takes: no wrap on SQ (refused with one line)', () => {
    for (const s of all.filter((_, i) => i % 7 === 0)) {
      for (const overflow of ['saturate', 'wrap', 'error']) {
        const make = () => makeConfiguration({ format: s.format, activation: 'relu', overflow });
        if (overflowsOf(s).includes(overflow)) expect(make).not.toThrow();
        else expect(make).toThrow(/wrap/);
      }
    }
  });

  it('is reproducible, a prefix of any longer draw, and different for another seed', () => {
    const a = randomCells(60, 7);
    expect(randomCells(60, 7)).toEqual(a);
    expect(randomCells(25, 7)).toEqual(a.slice(0, 25));
    expect(randomCells(60, 8)).not.toEqual(a);
    expect(a.map((c) => c.draw)).toEqual([...Array(60).keys()]);
    expect(cellCommand(a[0])).toBe(
      `node bin/fxnn.js check --activation ${a[0].activation} --format "${a[0].format}" --rounding ${a[0].rounding} --overflow ${a[0].overflow} --weights ${a[0].weights} --accumulation ${a[0].accumulation} --bias ${a[0].bias}`,
    );
  });

  it('draws the (spelling, overflow) pairs and the other factors uniformly', () => {
    const n = 20_000;
    const cells = randomCells(n, 1);
    const pairs = all.reduce((k, s) => k + overflowsOf(s).length, 0);
    const share = (p: (c: (typeof cells)[number]) => boolean) => cells.filter(p).length / n;
    // SQ spellings: 2 of their pairs' overflows; 3-bit spellings are few, 16-bit ones many
    const sqPairs = all.filter((s) => s.kind === 'SQ').length * 2;
    expect(Math.abs(share((c) => c.kind === 'SQ') - sqPairs / pairs)).toBeLessThan(0.015);
    const w16 = all.filter((s) => s.bits === 16).reduce((k, s) => k + overflowsOf(s).length, 0);
    expect(Math.abs(share((c) => c.bits === 16) - w16 / pairs)).toBeLessThan(0.015);
    expect(share((c) => c.kind === 'SQ' && c.overflow === 'wrap')).toBe(0);
    expect(Math.abs(share((c) => c.weights === 'binary') - 0.5)).toBeLessThan(0.015);
    expect(Math.abs(share((c) => c.rounding === 'ceil') - 1 / 8)).toBeLessThan(0.015);
    expect(Math.abs(share((c) => c.activation === 'gelu-tanh') - 1 / 14)).toBeLessThan(0.015);
    expect(Math.abs(share((c) => c.bias === 'first' && c.accumulation === 'exact') - 1 / 4)).toBeLessThan(
      0.015,
    );
  });
});
