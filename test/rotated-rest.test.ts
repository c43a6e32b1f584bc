import { describe, expect, it } from 'vitest';
import { runGadget } from '../src/engine/gadget.js';
import { solveIdleChain } from '../src/engine/idle-chain-certificate.js';
import { sigmaRanges } from '../src/engine/interval-chain.js';
import {
  findModularIdleCertificate,
  type ModularIdleCertificate,
  modularDetector,
  verifyModularIdleCertificate,
} from '../src/engine/modular-idle-certificate.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';
import { randomTable } from '../src/prng.js';
import { compileModular } from './modular-network.js';

// Rotated rest chains (docs/theory.md §8.9): softplus with binary weights under wrap, where σ_F itself wraps
// (softplus(x) > max near max, so σ_F([s, max]) holds codes at min and at max for every split s below the
// wrap point, and above it the off side reaches max): the rest chain R's first step (±1, b) moves one side
// across the wrap as a whole, proved by interval images in windows (§10.8). The small analogues of
// softplus on ap_fixed<10,2> (Q1.8) and ap_fixed<12,3> (Q2.9): the certificate is materialized, every
// detector checked on every input, N_f for random tables run on every input by the BigInt reference
// evaluator; a moved first bias or split is rejected.

const cells = [
  ['Q1.4', 'nearest-up', 'exact', 'first'],
  ['Q1.5', 'nearest-down', 'exact', 'last'],
  ['Q1.4', 'floor', 'sequential', 'last'],
] as const;

const config = (format: string, rounding: string, accumulation: string, bias: string) =>
  makeConfiguration({
    format,
    activation: 'softplus',
    rounding,
    weights: 'binary',
    accumulation,
    bias,
    overflow: 'wrap',
  } as Parameters<typeof makeConfiguration>[0]);

describe('modular idle certificates with rotated rest chains (softplus, binary, wrap)', () => {
  it.each(cells)('softplus on %s, %s, %s, bias %s: detectors and N_f on every input', (f, r, a, b) => {
    const c = config(f, r, a, b);
    const s = settingOf(c);
    const cert = findModularIdleCertificate(s).certificate as ModularIdleCertificate;
    expect(cert?.cyclic).toBeDefined();
    expect(verifyModularIdleCertificate(s, cert)).toBeNull();
    const { split, rest } = cert.cyclic as NonNullable<ModularIdleCertificate['cyclic']>;
    const ranges = sigmaRanges(s);
    const on = ranges.range(split, s.max) as [number, number];
    const off = ranges.range(s.min, split - 1) as [number, number];
    // the search in the no-wrap shadow finds no rest chain for this split: the rotation is what is new
    expect(solveIdleChain(s, off, on, cert.idle, cert.a, { minDepth: 0, maxDepth: 3 })).toBeNull();
    // the first step wraps one side as a whole: its exact pre-activations leave [min, max] at both ends
    const [w, b0] = rest[0];
    const outside = (h: number) => b0 + (w / s.one) * h < s.min || b0 + (w / s.one) * h > s.max;
    expect((outside(on[0]) && outside(on[1])) || (outside(off[0]) && outside(off[1]))).toBe(true);
    for (let z = s.min; z <= s.max; z++) {
      const d = modularDetector(s, cert, z);
      for (let x = s.min; x <= s.max; x++) expect(runGadget(s, d, [x])[0]).toBe(x === z ? cert.a : cert.idle);
    }
    for (const seed of [1, 2]) {
      const table = randomTable(s.size, s.min, s.max, seed);
      const net = compileModular(c, cert, table);
      for (let x = s.min; x <= s.max; x++)
        expect(Number(evaluateReference(net, [BigInt(x)])[0])).toBe(table[x - s.min]);
    }
  });

  it('a first bias or a split moved by one code is rejected (three of the four make detectors wrong)', () => {
    const s = settingOf(config('Q1.4', 'nearest-up', 'exact', 'first'));
    const cert = findModularIdleCertificate(s).certificate as ModularIdleCertificate;
    const cyclic = cert.cyclic as NonNullable<ModularIdleCertificate['cyclic']>;
    const [w, b0] = cyclic.rest[0];
    const mutants: ModularIdleCertificate[] = [
      { ...cert, cyclic: { ...cyclic, split: cyclic.split - 1 } },
      { ...cert, cyclic: { ...cyclic, split: cyclic.split + 1 } },
      { ...cert, cyclic: { ...cyclic, rest: [[w, b0 - 1], ...cyclic.rest.slice(1)] } },
      { ...cert, cyclic: { ...cyclic, rest: [[w, b0 + 1], ...cyclic.rest.slice(1)] } },
    ];
    for (const bad of mutants) {
      expect(verifyModularIdleCertificate(s, bad)).not.toBeNull();
      let wrong = 0;
      for (let z = s.min; z <= s.max; z++) {
        const d = modularDetector(s, bad, z);
        for (let x = s.min; x <= s.max; x++)
          if (runGadget(s, d, [x])[0] !== (x === z ? bad.a : bad.idle)) wrong++;
      }
      // split + 1 is refused by the conservative proof (the off side's hull then holds σ_F's wrap) though
      // its detectors happen to be right; the others compute wrong detectors
      if (bad !== mutants[1]) expect(wrong).toBeGreaterThan(0);
    }
  });
});
