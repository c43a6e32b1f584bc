import { describe, expect, it } from 'vitest';
import {
  findModularIdleCertificate,
  type ModularIdleCertificate,
  modularOutputBias,
  verifyModularIdleCertificate,
} from '../src/engine/modular-idle-certificate.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';
import { randomTable } from '../src/prng.js';
import { compileModular } from './modular-network.js';

// Modular idle certificates (docs/theory.md §8.9): under overflow wrap the output neuron sums its terms
// modulo N, so idle emitters may add constants, cancelled by the output bias β_f of N_f. Networks N_f are
// compiled from found certificates and run on every input by the BigInt reference evaluator of
// src/network (independent of the engine's Setting arithmetic); mutated certificates are rejected.

const cells = [
  // threshold chains in the no-wrap shadow (§9.7 gadgets), σ_F never 0
  ['sigmoid', 'Q0.4', 'ceil', 'all', 'sequential', 'last'],
  ['hard-sigmoid', 'Q0.5', 'floor', 'all', 'sequential', 'first'],
  ['softplus', 'Q0.4', 'ceil', 'all', 'sequential', 'first'],
  ['sigmoid', 'Q0.5', 'nearest-even', 'all', 'exact', 'last'],
  // cyclic detectors (rotations, §10.3), binary weights: no weight kills any value of σ_F
  ['sigmoid', 'Q1.4', 'ceil', 'binary', 'sequential', 'last'],
  ['hard-sigmoid', 'Q1.4', 'ceil', 'binary', 'sequential', 'first'],
  ['sigmoid', 'Q1.4', 'floor', 'binary', 'exact', 'first'],
  ['softplus', 'Q1.4', 'ceil', 'all', 'sequential', 'last'],
  // one-sided cyclic detectors (the weight −1 alone: Q0.n has no +1)
  ['sigmoid', 'Q0.5', 'nearest-zero', 'all', 'sequential', 'first'],
  ['hard-sigmoid', 'Q0.5', 'toward-zero', 'all', 'sequential', 'last'],
  ['relu', 'Q0.5', 'toward-zero', 'all', 'sequential', 'first'],
] as const;

describe('modular idle certificates on small formats (overflow wrap)', () => {
  it.each(cells)(
    '%s on %s, %s, %s weights, %s, bias %s: N_f computes random tables on every input',
    (activation, format, rounding, weights, accumulation, bias) => {
      const c = makeConfiguration({
        format,
        activation,
        rounding,
        weights,
        accumulation,
        bias,
        overflow: 'wrap',
      });
      const s = settingOf(c);
      const cert = findModularIdleCertificate(s).certificate;
      expect(cert).not.toBeNull();
      if (!cert) return;
      expect(verifyModularIdleCertificate(s, cert)).toBeNull();
      for (const seed of [1, 2, 3]) {
        const f = randomTable(s.size, s.min, s.max, seed);
        const net = compileModular(c, cert, f);
        for (let x = s.min; x <= s.max; x++)
          expect(Number(evaluateReference(net, [BigInt(x)])[0])).toBe(f[x - s.min]);
      }
    },
  );

  it('Q0.n: one-sided cyclic detectors; a moved inverse rest chain is rejected and its N_f is wrong', () => {
    const c = makeConfiguration({
      format: 'Q0.5',
      activation: 'sigmoid',
      rounding: 'nearest-zero',
      overflow: 'wrap',
    });
    const s = settingOf(c);
    const cert = findModularIdleCertificate(s).certificate as ModularIdleCertificate;
    const inverse = cert.cyclic?.inverse as ReadonlyArray<readonly [number, number]>;
    expect(inverse).toBeDefined();
    // R′ replaced by R (no complement arc): D_z is a on a whole arc, not at z alone
    const bad = {
      ...cert,
      cyclic: {
        ...(cert.cyclic as NonNullable<ModularIdleCertificate['cyclic']>),
        inverse: cert.cyclic?.rest,
      },
    };
    expect(verifyModularIdleCertificate(s, bad)).toMatch(/rest chain/);
    const f = randomTable(s.size, s.min, s.max, 4);
    const net = compileModular(c, bad, f);
    let wrong = 0;
    for (let x = s.min; x <= s.max; x++)
      if (Number(evaluateReference(net, [BigInt(x)])[0]) !== f[x - s.min]) wrong++;
    expect(wrong).toBeGreaterThan(0);
  });

  it('binary weights, σ_F never 0: no weight kills a value, yet the cell is universal', () => {
    const c = makeConfiguration({
      format: 'Q1.4',
      activation: 'sigmoid',
      rounding: 'ceil',
      weights: 'binary',
      overflow: 'wrap',
    });
    const s = settingOf(c);
    expect(s.sigma.includes(0)).toBe(false);
    for (const v of s.sigma) for (const w of s.weights) expect(s.mul(w, v)).not.toBe(0);
    const cert = findModularIdleCertificate(s).certificate;
    expect(cert?.cyclic).toBeDefined();
  });
});

describe('mutations are rejected', () => {
  const c = makeConfiguration({
    format: 'Q1.4',
    activation: 'sigmoid',
    rounding: 'ceil',
    weights: 'binary',
    overflow: 'wrap',
  });
  const s = settingOf(c);
  const cert = findModularIdleCertificate(s).certificate as ModularIdleCertificate;
  const f = randomTable(s.size, s.min, s.max, 11);
  const wrongCount = (net: ReturnType<typeof compileModular>) => {
    let wrong = 0;
    for (let x = s.min; x <= s.max; x++)
      if (Number(evaluateReference(net, [BigInt(x)])[0]) !== f[x - s.min]) wrong++;
    return wrong;
  };

  it('the output bias β_f moved by one code: N_f is wrong on every input', () => {
    const beta = modularOutputBias(s, cert, f);
    expect(wrongCount(compileModular(c, cert, f, beta === s.max ? s.min : beta + 1))).toBe(s.size);
  });

  it('a rest chain bias moved, swapped levels, the unit weight outside W', () => {
    const cyclic = cert.cyclic as NonNullable<ModularIdleCertificate['cyclic']>;
    const [w, b] = cyclic.rest[0];
    const moved = { ...cert, cyclic: { ...cyclic, rest: [[w, b + 3] as const, ...cyclic.rest.slice(1)] } };
    expect(verifyModularIdleCertificate(s, moved)).not.toBeNull();
    expect(verifyModularIdleCertificate(s, { ...cert, a: cert.idle, idle: cert.a })).not.toBeNull();
    expect(verifyModularIdleCertificate(s, { ...cert, emitters: { unit: 2 * s.one, back: null } })).toMatch(
      /not in W/,
    );
  });

  it('an even difference is no unit modulo N (0, or any weight with an even difference)', () => {
    expect(verifyModularIdleCertificate(s, { ...cert, emitters: { unit: 0, back: null } })).toMatch(
      /not in W/,
    );
    const all = settingOf(
      makeConfiguration({
        format: 'Q1.4',
        activation: 'sigmoid',
        rounding: 'ceil',
        weights: 'all',
        overflow: 'wrap',
      }),
    );
    const ca = { ...(findModularIdleCertificate(all).certificate as ModularIdleCertificate) };
    expect(verifyModularIdleCertificate(all, ca)).toBeNull();
    // 0 kills both levels (difference 0), and a weight whose difference is even and non-zero
    expect(verifyModularIdleCertificate(all, { ...ca, emitters: { unit: 0, back: null } })).toMatch(/even/);
    const diff = (w: number) => (((all.mul(w, ca.a) - all.mul(w, ca.idle)) % all.size) + all.size) % all.size;
    const even = all.weights.find((w) => diff(w) !== 0 && diff(w) % 2 === 0);
    expect(even).toBeDefined();
    expect(
      verifyModularIdleCertificate(all, { ...ca, emitters: { unit: even as number, back: null } }),
    ).toMatch(/even/);
  });

  it('the same certificate under saturate is refused, and its N_f computes a wrong function there', () => {
    const sat = makeConfiguration({
      format: 'Q1.4',
      activation: 'sigmoid',
      rounding: 'ceil',
      weights: 'binary',
      overflow: 'saturate',
    });
    const ss = settingOf(sat);
    expect(verifyModularIdleCertificate(ss, cert)).toMatch(/wrap/);
    const net = compileModular(sat, cert, f, modularOutputBias(s, cert, f));
    let wrong = 0;
    for (let x = ss.min; x <= ss.max; x++)
      if (Number(evaluateReference(net, [BigInt(x)])[0]) !== f[x - ss.min]) wrong++;
    expect(wrong).toBeGreaterThan(0);
  });

  it('exact accumulation with a product that is not a multiple of 2^F is not covered', () => {
    const ex = settingOf(
      makeConfiguration({
        format: 'Q0.4',
        activation: 'sigmoid',
        rounding: 'ceil',
        overflow: 'wrap',
        accumulation: 'exact',
      }),
    );
    const ce = findModularIdleCertificate(ex).certificate as ModularIdleCertificate;
    // a weight of one code: ε·a is a multiple of 2^F only when a is
    const odd = ce.a % 2 !== 0 ? ce.a : ce.idle;
    expect(odd % 2).not.toBe(0);
    expect(verifyModularIdleCertificate(ex, { ...ce, emitters: { unit: 1, back: null } })).toMatch(
      /multiple/,
    );
  });
});
