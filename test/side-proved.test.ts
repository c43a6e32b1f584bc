import { describe, expect, it } from 'vitest';
import { runGadget } from '../src/engine/gadget.js';
import { sigmaRanges } from '../src/engine/interval-chain.js';
import {
  findModularIdleCertificate,
  type ModularIdleCertificate,
  modularDetector,
  verifyModularIdleCertificate,
} from '../src/engine/modular-idle-certificate.js';
import { pointThrough, sideProved } from '../src/engine/side-proved.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';
import { randomTable } from '../src/prng.js';
import { compileModular } from './modular-network.js';

// Lemma P (docs/theory.md §10.3): softplus under ceil on ap_fixed<n,m> rounds σ_F(max) up to 2^(m−1),
// which wraps to min, so the hull of σ_F([split, max]) is all of 𝕀 and no rest chain is proved by interval
// images alone; with the code max evaluated directly (and the rest by interval images) one is. The small
// analogues of the ap_fixed<16,6> cell: the certificate is materialized and its N_f run on every input by
// the BigInt reference evaluator; a rest chain that is right everywhere but at the code max is rejected.

const formats = ['ap_fixed<6,3>', 'ap_fixed<8,4>'] as const;

const config = (format: string) =>
  makeConfiguration({
    format,
    activation: 'softplus',
    rounding: 'ceil',
    weights: 'binary',
    accumulation: 'sequential',
    bias: 'first',
    overflow: 'wrap',
  });

describe('Lemma P: cyclic rest chains with the code max evaluated directly', () => {
  it.each(formats)('softplus, ceil, wrap, binary on %s: σ_F(max) = min, yet universal', (format) => {
    const c = config(format);
    const s = settingOf(c);
    expect(s.sigma[s.max - s.min]).toBe(s.min); // the wrapped value that defeats interval images alone
    const cert = findModularIdleCertificate(s).certificate as ModularIdleCertificate;
    expect(cert?.cyclic).toBeDefined();
    expect(verifyModularIdleCertificate(s, cert)).toBeNull();
    const r = sigmaRanges(s);
    const { split } = cert.cyclic as NonNullable<ModularIdleCertificate['cyclic']>;
    // the on side's hull meets the off side's: interval images alone cannot separate them
    const on = r.range(split, s.max) as readonly [number, number];
    const off = r.range(s.min, split - 1) as readonly [number, number];
    expect(on[0] <= off[1] && off[0] <= on[1]).toBe(true);
    // every detector D_z on every input (the engine's gadget evaluator)
    for (let z = s.min; z <= s.max; z++) {
      const d = modularDetector(s, cert, z);
      for (let x = s.min; x <= s.max; x++) expect(runGadget(s, d, [x])[0]).toBe(x === z ? cert.a : cert.idle);
    }
    // N_f on every input by the BigInt reference evaluator
    for (const seed of s.size <= 64 ? [1, 2] : [1]) {
      const f = randomTable(s.size, s.min, s.max, seed);
      const net = compileModular(c, cert, f);
      for (let x = s.min; x <= s.max; x++)
        expect(Number(evaluateReference(net, [BigInt(x)])[0])).toBe(f[x - s.min]);
    }
  });

  it('a moved split or a moved first bias is rejected, and the moved split makes detectors wrong', () => {
    const s = settingOf(config('ap_fixed<8,4>'));
    const cert = findModularIdleCertificate(s).certificate as ModularIdleCertificate;
    const cyclic = cert.cyclic as NonNullable<ModularIdleCertificate['cyclic']>;
    const r = sigmaRanges(s);
    const { split, rest } = cyclic;
    // the point max is decided by direct evaluation: R ∘ σ_F(max) = a, and no other value is accepted
    expect(pointThrough(s, rest, s.max)).toBe(cert.a);
    expect(sideProved(s, r, rest, split, s.max, cert.a)).toBe(true);
    expect(sideProved(s, r, rest, split, s.max, cert.idle)).toBe(false);
    expect(sideProved(s, r, rest, split - 1, s.max, cert.a)).toBe(false);
    expect(sideProved(s, r, rest, s.min, split, cert.idle)).toBe(false);
    for (const moved of [split - 1, split + 1]) {
      const bad: ModularIdleCertificate = { ...cert, cyclic: { ...cyclic, split: moved } };
      expect(verifyModularIdleCertificate(s, bad)).not.toBeNull();
      let wrong = 0;
      for (let z = s.min; z <= s.max; z++) {
        const d = modularDetector(s, bad, z);
        for (let x = s.min; x <= s.max; x++)
          if (runGadget(s, d, [x])[0] !== (x === z ? bad.a : bad.idle)) wrong++;
      }
      expect(wrong).toBeGreaterThan(0);
    }
    const [w, b0] = rest[0];
    const movedBias = { ...cert, cyclic: { ...cyclic, rest: [[w, b0 + 1] as const, ...rest.slice(1)] } };
    expect(verifyModularIdleCertificate(s, movedBias)).not.toBeNull();
  });

  it('sideProved splits off only the codes min and max', () => {
    const s = settingOf(config('ap_fixed<6,3>'));
    const r = sigmaRanges(s);
    // σ_F alone (empty chain): max is sent to min directly, [max − 1, max] is not (σ_F(max − 1) ≠ min);
    // an empty or out-of-range interval is never proved
    expect(sideProved(s, r, [], s.max, s.max, s.min)).toBe(true);
    expect(sideProved(s, r, [], s.max - 1, s.max, s.min)).toBe(false);
    expect(sideProved(s, r, [], s.min, s.min - 1, 0)).toBe(false);
    expect(sideProved(s, r, [], s.max, s.max + 1, s.min)).toBe(false);
  });
});
