import { describe, expect, it } from 'vitest';
import { mulCodes } from '../src/core/ops.js';
import { verifyCertificate } from '../src/engine/certificate.js';
import { type Gadget, parallel, stack } from '../src/engine/gadget.js';
import {
  findIdleChainCertificate,
  type IdleChainCertificate,
  materializeIdleChainCertificate,
  verifyIdleChainCertificate,
} from '../src/engine/idle-chain-certificate.js';
import { verifyIdleEmitters } from '../src/engine/idle-emitters.js';
import {
  findModularIdleCertificate,
  verifyModularIdleCertificate,
} from '../src/engine/modular-idle-certificate.js';
import { type Configuration, makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { makeNetwork, type Network } from '../src/network/network.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';
import { randomTable } from '../src/prng.js';
import { compileModular } from './modular-network.js';

// Idle chain certificates on unsigned formats under wrap (docs/theory.md §10.8, "Idle levels under wrap"):
// the readout ω kills ι because ω ⊗ ι wraps to 0, the thresholds are +1 rotations onto a window followed
// by a rest chain with the levels (a, ι), and E_y is k_y = y·T⁻¹ mod N copies of the delay read by one
// weight whose term T = ω ⊗ a is odd. Every certificate found on a small format is written out and checked
// by the exhaustive `verifyCertificate`, N_f for random tables runs on the BigInt reference evaluator,
// and mutated certificates are refused.

const cells = [
  ['softplus', 'UQ3.3', 'floor', 'last'],
  ['softplus', 'UQ2.4', 'nearest-even', 'first'],
  ['softplus', 'UQ4.2', 'nearest-up', 'last'],
  ['softplus', 'UQ3.4', 'toward-zero', 'first'],
  ['sigmoid', 'UQ2.4', 'nearest-even', 'last'],
] as const;

function conf(activation: string, format: string, rounding: string, bias: string): Configuration {
  return makeConfiguration({ format, activation, rounding, overflow: 'wrap', bias });
}

function found(c: Configuration): IdleChainCertificate {
  const cert = findIdleChainCertificate(settingOf(c)).certificate;
  if (!cert) throw new Error(`no idle chain certificate for ${c.activation.name} on ${c.format.spec}`);
  return cert;
}

/** N_f for d = 1 (docs/theory.md §8.3): D_z then E_{f(z)} for every z, one identity output neuron. */
function compile(c: Configuration, cert: IdleChainCertificate, f: ArrayLike<number>): Network {
  const s = settingOf(c);
  const m = materializeIdleChainCertificate(s, cert);
  let g: Gadget | null = null;
  const weights: number[] = [];
  for (let z = s.min; z <= s.max; z++) {
    const em = m.emitters[f[z - s.min] - s.min];
    if (em.weights.length === 0) continue;
    const tree = stack(m.detectors[z - s.min], em.gadget);
    g = g ? parallel(g, tree) : tree;
    weights.push(...em.weights);
  }
  if (!g) g = { inputs: 1, layers: [] };
  const layers = g.layers.map((layer) => ({
    activation: c.activation,
    neurons: layer.map((n) => ({
      bias: BigInt(n.bias),
      edges: n.edges.map(([src, w]) => [src, BigInt(w)] as const),
    })),
  }));
  layers.push({
    activation: makeConfiguration({ format: c.format.spec, activation: 'identity' }).activation,
    neurons: [{ bias: BigInt(m.beta), edges: weights.map((w, j) => [j, BigInt(w)] as const) }],
  });
  return makeNetwork({
    format: c.format,
    policy: c.policy,
    accumulation: c.accumulation,
    bias: c.bias,
    inputs: g.inputs,
    layers,
  });
}

describe('idle chain certificates on UQ formats under wrap', () => {
  it.each(cells)(
    '%s on %s (%s, bias %s): found, verified, written out and checked on every input',
    (activation, format, rounding, bias) => {
      const c = conf(activation, format, rounding, bias);
      const s = settingOf(c);
      expect(s.sigma.includes(0)).toBe(false);
      const cert = found(c);
      expect(cert.rotation).toBeDefined();
      expect(cert.emitters.wrap).toBeDefined();
      expect(verifyIdleChainCertificate(s, cert)).toBeNull();
      // the BigInt ⊗ of src/core with the setting's wrap: ω ⊗ ι = 0 although ω·ι ≠ 0, and ω ⊗ a is odd
      const mul = (w: number, h: number) => Number(mulCodes(BigInt(w), BigInt(h), c.format, c.policy));
      const omega = cert.emitters.omega;
      expect(omega * cert.idle).not.toBe(0);
      expect(mul(omega, cert.idle)).toBe(0);
      expect(mul(omega, cert.a) % 2).toBe(1);
      // every detector on every input, every emitter at ι and a (exhaustive check of §8.3)
      expect(verifyCertificate(s, materializeIdleChainCertificate(s, cert))).toBeNull();
      // N_f for two random tables, on every input, with the BigInt reference evaluator
      for (const seed of [1, 2]) {
        const f = randomTable(s.size, s.min, s.size, seed);
        const net = compile(c, cert, f);
        for (let x = s.min; x <= s.max; x++)
          expect(Number(evaluateReference(net, [BigInt(x)])[0]), `x = ${x}`).toBe(f[x - s.min]);
      }
    },
  );

  const c = conf('softplus', 'UQ3.3', 'floor', 'last');
  const s = settingOf(c);
  const cert = found(c);

  it('a rotation bias one code off: the chain verifier and the exhaustive check both refuse', () => {
    for (const table of ['ge', 'le'] as const) {
      const z = 5;
      const steps = cert[table][z - s.min] as readonly (readonly [number, number])[];
      const moved = [...cert[table]];
      moved[z - s.min] = [[steps[0][0], (steps[0][1] + 1) % s.size], ...steps.slice(1)];
      const bad = { ...cert, [table]: moved };
      expect(verifyIdleChainCertificate(s, bad)).toMatch(/cyclic chain (U|L) of code 5 is not proved/);
      expect(verifyCertificate(s, materializeIdleChainCertificate(s, bad))).not.toBeNull();
    }
  });

  it('an emitter weight that reads ι, or a wrong inverse: refused', () => {
    const e = cert.emitters;
    const reads = s.weights.find((w) => s.mul(w, cert.idle) !== 0 && s.mul(w, cert.a) % 2 === 1) as number;
    expect(verifyIdleEmitters(s, cert.a, cert.idle, cert.beta, { ...e, up: reads })).toMatch(
      /does not kill ι/,
    );
    const wrap = e.wrap as { inverse: number; modulus: number };
    const off = { ...e, wrap: { ...wrap, inverse: (wrap.inverse + 2) % wrap.modulus } };
    expect(verifyIdleEmitters(s, cert.a, cert.idle, cert.beta, off)).toMatch(/emitter E_\d+ gives/);
    // the same certificate under saturate: ω ⊗ ι no longer wraps to 0
    const sat = settingOf(makeConfiguration({ format: 'UQ3.3', activation: 'softplus', rounding: 'floor' }));
    expect(verifyIdleChainCertificate(sat, cert)).not.toBeNull();
  });
});

// The +1 rotations with the levels (a, ι) also serve the modular certificates of §8.9 (idle emitters add a
// constant, cancelled by β_f), which need no killing weight: with exact accumulation on UQ formats (the
// products 1·h of the emitters are multiples of 2^F) N_f is compiled and run on every input.
describe('modular idle certificates with +1 rotations on UQ formats (wrap, exact accumulation)', () => {
  const exact = [
    ['sigmoid', 'UQ2.4', 'nearest-down', 'last'],
    ['hard-sigmoid', 'UQ2.4', 'nearest-zero', 'last'],
    ['softplus', 'UQ3.3', 'floor', 'last'],
    ['softplus', 'UQ3.4', 'toward-zero', 'first'],
    ['hard-sigmoid', 'UQ3.3', 'nearest-zero', 'last'],
  ] as const;
  it.each(exact)(
    '%s on %s (%s, bias %s): N_f computes random tables on every input',
    (activation, format, rounding, bias) => {
      const c = makeConfiguration({
        format,
        activation,
        rounding,
        overflow: 'wrap',
        accumulation: 'exact',
        bias,
      });
      const s = settingOf(c);
      const cert = findModularIdleCertificate(s).certificate;
      expect(cert).not.toBeNull();
      if (!cert) return;
      expect(cert.rotation).toBeDefined();
      expect(verifyModularIdleCertificate(s, cert)).toBeNull();
      for (const seed of [1, 2]) {
        const f = randomTable(s.size, s.min, s.size, seed);
        const net = compileModular(c, cert, f);
        for (let x = s.min; x <= s.max; x++)
          expect(Number(evaluateReference(net, [BigInt(x)])[0]), `x = ${x}`).toBe(f[x - s.min]);
      }
      // a rotation bias one code off: refused, and the compiled network is wrong on some input
      const z = 3;
      const steps = cert.ge[z - s.min] as readonly (readonly [number, number])[];
      const ge = [...cert.ge];
      ge[z - s.min] = [[steps[0][0], (steps[0][1] + 1) % s.size], ...steps.slice(1)];
      const bad = { ...cert, ge };
      expect(verifyModularIdleCertificate(s, bad)).not.toBeNull();
      const f = randomTable(s.size, s.min, s.size, 7);
      const net = compileModular(c, bad, f);
      let wrong = 0;
      for (let x = s.min; x <= s.max; x++)
        if (Number(evaluateReference(net, [BigInt(x)])[0]) !== f[x - s.min]) wrong++;
      expect(wrong).toBeGreaterThan(0);
    },
  );
});
