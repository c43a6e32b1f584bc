import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mulCodes } from '../src/core/ops.js';
import { findCertificate, verifyCertificate } from '../src/engine/certificate.js';
import { checkDist } from '../src/engine/dist.js';
import { type Gadget, parallel, stack } from '../src/engine/gadget.js';
import {
  findIdleChainCertificate,
  type IdleChainCertificate,
  materializeIdleChainCertificate,
  verifyIdleChainCertificate,
} from '../src/engine/idle-chain-certificate.js';
import { idleEmitterWeights, verifyIdleEmitters } from '../src/engine/idle-emitters.js';
import { outputRange } from '../src/engine/output-range.js';
import { type Configuration, makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { decide } from '../src/expressivity/verdict.js';
import { makeNetwork, type Network } from '../src/network/network.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';
import { randomTable } from '../src/prng.js';

// Idle-set certificates in chain form (docs/theory.md §9.7). The chain form proves its threshold chains by
// interval images and its emitters by one rule; here every certificate found on a small format is written
// out gadget by gadget and checked by the exhaustive `verifyCertificate` (every detector on every input),
// and networks compiled from it are run on the BigInt reference evaluator of src/network.

function found(c: Configuration): IdleChainCertificate {
  const cert = findIdleChainCertificate(settingOf(c)).certificate;
  if (!cert) throw new Error(`no idle chain certificate for ${c.activation.name} on ${c.format.spec}`);
  return cert;
}

/** A 1-input gadget as a reference network, followed by the identity output neuron. */
function outputNet(c: Configuration, g: Gadget, weights: readonly number[], beta: number): Network {
  const layers = g.layers.map((layer) => ({
    activation: c.activation,
    neurons: layer.map((n) => ({
      bias: BigInt(n.bias),
      edges: n.edges.map(([src, w]) => [src, BigInt(w)] as const),
    })),
  }));
  layers.push({
    activation: makeConfiguration({ format: c.format.spec, activation: 'identity' }).activation,
    neurons: [{ bias: BigInt(beta), edges: weights.map((w, j) => [j, BigInt(w)] as const) }],
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

/**
 * N_f for d = 1 (docs/theory.md §8.3): for every z with f(z) ≠ β the detector D_z followed by the emitter
 * E_{f(z)}, side by side, and one identity output neuron over every emitter output.
 */
function compile(c: Configuration, cert: IdleChainCertificate, f: ArrayLike<number>): Network {
  const s = settingOf(c);
  const m = materializeIdleChainCertificate(s, cert);
  let g: Gadget | null = null;
  const weights: number[] = [];
  for (let z = s.min; z <= s.max; z++) {
    const y = f[z - s.min];
    const em = m.emitters[y - s.min];
    if (em.weights.length === 0) continue;
    const tree = stack(m.detectors[z - s.min], em.gadget);
    g = g ? parallel(g, tree) : tree;
    weights.push(...em.weights);
  }
  if (!g) g = { inputs: 1, layers: [] };
  return outputNet(c, g, weights, m.beta);
}

describe('idle chain certificates on small formats agree with the exhaustive check', () => {
  const cells = [
    ['sigmoid', 'Q0.4'],
    ['softplus', 'Q0.5'],
    ['hard-sigmoid', 'Q0.4'],
    ['sigmoid', 'Q1.4'],
    ['softplus', 'Q1.3'],
    ['hard-sigmoid', 'Q1.4'],
    ['sigmoid', 'Q2.5'],
  ] as const;

  it.each(cells)(
    '%s on %s (σ_F never 0): found, and every gadget verified on every input',
    (activation, format) => {
      const c = makeConfiguration({ format, activation });
      const s = settingOf(c);
      expect(s.sigma.includes(0)).toBe(false);
      const cert = found(c);
      expect(verifyIdleChainCertificate(s, cert)).toBeNull();
      // the readout kills ι and reads a, by the BigInt ⊗ of src/core
      const mul = (w: number, h: number) => Number(mulCodes(BigInt(w), BigInt(h), c.format, c.policy));
      expect(mul(cert.emitters.omega, cert.idle)).toBe(0);
      expect(mul(cert.emitters.omega, cert.a)).not.toBe(0);
      // written out: the exhaustive check runs every detector on every input
      expect(verifyCertificate(s, materializeIdleChainCertificate(s, cert))).toBeNull();
      // the exhaustive search of formats up to 256 values agrees: a certificate exists
      expect(findCertificate(s).certificate).not.toBeNull();
      expect(decide(c).verdict).toBe('universal');
    },
  );

  it('a property: whatever the rounding, overflow and bias order, a certificate found passes the exhaustive check', () => {
    let checked = 0;
    fc.assert(
      fc.property(
        fc.constantFrom('sigmoid', 'softplus', 'hard-sigmoid'),
        fc.constantFrom('Q0.3', 'Q0.4', 'Q1.3', 'Q1.4', 'Q2.3'),
        fc.constantFrom('nearest-even', 'nearest-away', 'floor', 'ceil', 'toward-zero'),
        fc.constantFrom('saturate', 'wrap', 'error'),
        fc.constantFrom('last', 'first'),
        (activation, format, rounding, overflow, bias) => {
          const c = makeConfiguration({ format, activation, rounding, overflow, bias });
          const s = settingOf(c);
          const cert = findIdleChainCertificate(s).certificate;
          if (!cert) return;
          checked++;
          expect(verifyCertificate(s, materializeIdleChainCertificate(s, cert))).toBeNull();
          // no obstruction disagrees: DIST holds, and the output neuron reaches every value
          expect(checkDist(s).holds).toBe(true);
          const range = outputRange(s);
          expect(range.largest < s.size && range.hiddenValues < s.size && range.shallowSwap === false).toBe(
            false,
          );
          expect(decide(c).verdict).toBe('universal');
        },
      ),
      { numRuns: 24, seed: 12 },
    );
    // the property is not vacuous
    expect(checked).toBeGreaterThan(5);
  });
});

describe('networks compiled from an idle chain certificate', () => {
  it.each([
    ['sigmoid', 'Q0.4', 1],
    ['softplus', 'Q1.3', 2],
    ['hard-sigmoid', 'Q0.4', 3],
  ] as const)(
    '%s on %s (seed %i): a random f is computed on every input (reference evaluator)',
    (activation, format, seed) => {
      const c = makeConfiguration({ format, activation });
      const s = settingOf(c);
      const cert = found(c);
      const f = randomTable(s.size, s.min, s.size, seed);
      const net = compile(c, cert, f);
      for (let x = s.min; x <= s.max; x++)
        expect(Number(evaluateReference(net, [BigInt(x)])[0]), `x = ${x}`).toBe(f[x - s.min]);
    },
  );
});

describe('mutations are rejected', () => {
  const c = makeConfiguration({ format: 'Q0.4', activation: 'sigmoid' });
  const s = settingOf(c);
  const cert = found(c);

  it('a threshold chain with its first bias moved: the interval proof and the exhaustive check both fail', () => {
    const t = 3;
    const steps = cert.ge[t - s.min] as readonly (readonly [number, number])[];
    const ge = [...cert.ge];
    ge[t - s.min] = [[steps[0][0], steps[0][1] + 1], ...steps.slice(1)];
    const bad = { ...cert, ge };
    expect(verifyIdleChainCertificate(s, bad)).toMatch(/threshold chain for x ≥ code 3/);
    expect(verifyCertificate(s, materializeIdleChainCertificate(s, bad))).not.toBeNull();
  });

  it('an emitter weight that does not kill ι, a wrong remainder, another idle value: rejected', () => {
    const e = cert.emitters;
    // a weight reading ι (ω ⊗ ι ≠ 0) as the run term
    const reads = s.weights.find((w) => s.mul(w, cert.idle) !== 0 && s.mul(w, cert.a) > 0) as number;
    expect(verifyIdleEmitters(s, cert.a, cert.idle, cert.beta, { ...e, up: reads })).toMatch(
      /does not kill ι/,
    );
    // a remainder with one term too many
    const upRest = e.upRest.map((r) => [...r]);
    upRest[0] = [e.up as number];
    expect(verifyIdleEmitters(s, cert.a, cert.idle, cert.beta, { ...e, upRest })).toMatch(
      /emitter E_\d+ gives/,
    );
    // the same certificate claimed with another idle value
    expect(verifyIdleChainCertificate(s, { ...cert, idle: cert.idle - 1 })).not.toBeNull();
  });

  it('the emitters of a 16-bit cell by the rule: E_min has 32768 terms, and each y is checked', () => {
    const big = settingOf(makeConfiguration({ format: 'Q1.14', activation: 'hard-sigmoid' }));
    const v = decide(makeConfiguration({ format: 'Q1.14', activation: 'hard-sigmoid' }));
    expect(v.verdict).toBe('universal');
    expect(v.certificate?.idle).toEqual(['0.5']);
    expect(v.certificate?.emitter.maxTerms).toBe(32768);
    expect(big.size).toBe(65536);
  });
});

describe('where no idle chain certificate exists', () => {
  it('exact accumulation (ω · ι = 0 forces ι = 0) and binary weights (±1 ⊗ v ≠ 0): none, and the reason says so', () => {
    const exact = settingOf(
      makeConfiguration({ format: 'Q0.8', activation: 'sigmoid', accumulation: 'exact' }),
    );
    expect(findIdleChainCertificate(exact).certificate).toBeNull();
    const binary = settingOf(makeConfiguration({ format: 'Q1.8', activation: 'sigmoid', weights: 'binary' }));
    expect(findIdleChainCertificate(binary).certificate).toBeNull();
  });

  it('idleEmitterWeights: k copies of the run term then the remainder', () => {
    const rule = {
      omega: 1,
      up: 7,
      upInc: 3,
      down: -7,
      downInc: -3,
      upRest: [[], [1], [1, 1]],
      downRest: [[], [-1], [-1, -1]],
    };
    expect(idleEmitterWeights(rule, 8)).toEqual([7, 7, 1, 1]);
    expect(idleEmitterWeights(rule, -7)).toEqual([-7, -7, -1]);
    expect(idleEmitterWeights(rule, 0)).toEqual([]);
  });
});
