import { describe, expect, it } from 'vitest';
import { mulCodes } from '../src/core/ops.js';
import { type Certificate, findCertificate, verifyCertificate } from '../src/engine/certificate.js';
import type { Gadget } from '../src/engine/gadget.js';
import { kills, readableLevelsExist } from '../src/engine/levels.js';
import { certificateFor } from '../src/expressivity/certificates.js';
import { type Configuration, makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { construct } from '../src/expressivity/construct.js';
import { decide } from '../src/expressivity/verdict.js';
import { makeNetwork, type Network } from '../src/network/network.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';
import { randomTable } from '../src/prng.js';

// Idle-set certificates (docs/theory.md §8): gadget outputs are a when active and in I when idle, and
// every edge reading them has a weight ω with ω ⊗ i = 0 for i ∈ I. Everything below is re-checked with
// the BigInt reference evaluator of src/network and the BigInt ⊗ of src/core, not the engine's kernels.

/** A gadget (every layer σ), optionally followed by the identity output neuron, as a reference network. */
function gadgetNet(c: Configuration, g: Gadget, out?: { weights: readonly number[]; beta: number }): Network {
  const layers = g.layers.map((layer) => ({
    activation: c.activation,
    neurons: layer.map((n) => ({
      bias: BigInt(n.bias),
      edges: n.edges.map(([src, w]) => [src, BigInt(w)] as const),
    })),
  }));
  if (out) {
    layers.push({
      activation: makeConfiguration({ format: c.format.spec, activation: 'identity' }).activation,
      neurons: [
        {
          bias: BigInt(out.beta),
          edges: out.weights.map((w, j) => [j, BigInt(w)] as const),
        },
      ],
    });
  }
  return makeNetwork({
    format: c.format,
    policy: c.policy,
    accumulation: c.accumulation,
    bias: c.bias,
    inputs: g.inputs,
    layers,
  });
}

function ref(net: Network, input: readonly number[]): number[] {
  return evaluateReference(
    net,
    input.map((v) => BigInt(v)),
  ).map(Number);
}

/** ω ⊗ h by the BigInt path. */
function mul(c: Configuration, w: number, h: number): number {
  return Number(mulCodes(BigInt(w), BigInt(h), c.format, c.policy));
}

/** Every gadget of an idle-set certificate on every input of its domain, by the reference evaluator. */
function recheckIdleSet(c: Configuration, cert: Certificate): void {
  const s = settingOf(c);
  const a = cert.e;
  const idle = new Set(cert.idle);
  expect(idle.has(a)).toBe(false);
  // the readout weight: kills every idle value, reads a
  for (const i of cert.idle) expect(mul(c, cert.omega, i)).toBe(0);
  expect(mul(c, cert.omega, a)).not.toBe(0);
  for (let z = s.min; z <= s.max; z++) {
    const net = gadgetNet(c, cert.detectors[z - s.min]);
    for (let x = s.min; x <= s.max; x++) {
      const got = ref(net, [x])[0];
      if (x === z) expect(got).toBe(a);
      else expect(idle.has(got), `D_${z}(${x}) = ${got}`).toBe(true);
    }
  }
  const and = gadgetNet(c, cert.and);
  const delay = gadgetNet(c, cert.delay);
  for (const u of [...idle, a]) {
    for (const v of [...idle, a]) {
      const got = ref(and, [u, v])[0];
      if (u === a && v === a) expect(got).toBe(a);
      else expect(idle.has(got), `AND(${u}, ${v}) = ${got}`).toBe(true);
    }
    const p = ref(delay, [u])[0];
    if (u === a) expect(p).toBe(a);
    else expect(idle.has(p), `P(${u}) = ${p}`).toBe(true);
  }
  for (let y = s.min; y <= s.max; y++) {
    const em = cert.emitters[y - s.min];
    if (em.weights.length === 0) {
      expect(cert.beta).toBe(y);
      continue;
    }
    // idle input: every output weighted by its ω_j is exactly 0
    const outs = (u: number) => (em.gadget.layers.length === 0 ? [u] : ref(gadgetNet(c, em.gadget), [u]));
    for (const i of idle) {
      outs(i).forEach((h, j) => {
        expect(mul(c, em.weights[j], h), `E_${y}(${i})`).toBe(0);
      });
    }
    // active input: the output neuron gives y
    const withOut =
      em.gadget.layers.length === 0
        ? null
        : gadgetNet(c, em.gadget, { weights: em.weights, beta: cert.beta });
    if (withOut) expect(ref(withOut, [a])[0]).toBe(y);
  }
}

describe('the example of issue 11: sigmoid on Q0.2, nearest-even', () => {
  const c = makeConfiguration({ format: 'Q0.2', activation: 'sigmoid' });
  const s = settingOf(c);
  // codes are quarters: ¼ = 1, ½ = 2, ¾ = 3, −½ = −2, −¾ = −3, −1 = −4
  it('σ_F takes only ¼, ½, ¾; ω = −½ kills ¼ (−⅛ ties to 0) and reads ½ as −¼', () => {
    expect([...new Set(s.sigma)].sort()).toEqual([1, 2, 3]);
    expect(mul(c, -2, 1)).toBe(0);
    expect(mul(c, -2, 2)).toBe(-1);
    expect(mul(c, 2, 2)).toBe(1); // the increments ±¼ = ±ε
  });

  it('AND σ_F(½⊗u ⊕ ½⊗v ⊕ (−1)) gives ¼, ¼, ½ and delay (½, −¾) keeps ¼ and ½, on the reference evaluator', () => {
    const and: Gadget = {
      inputs: 2,
      layers: [
        [
          {
            bias: -4,
            edges: [
              [0, 2],
              [1, 2],
            ],
          },
        ],
      ],
    };
    const delay: Gadget = { inputs: 1, layers: [[{ bias: -3, edges: [[0, 2]] }]] };
    const A = gadgetNet(c, and);
    expect([ref(A, [1, 1])[0], ref(A, [2, 1])[0], ref(A, [1, 2])[0], ref(A, [2, 2])[0]]).toEqual([
      1, 1, 1, 2,
    ]);
    const P = gadgetNet(c, delay);
    expect([ref(P, [1])[0], ref(P, [2])[0]]).toEqual([1, 2]);
  });

  it('the search finds a = ½, I = {¼}, ω = −½, and every gadget checks out on the reference evaluator', () => {
    const { report } = certificateFor(c);
    const cert = report.certificate!;
    expect([cert.e, cert.idle, cert.omega]).toEqual([2, [1], -2]);
    expect(verifyCertificate(s, cert)).toBeNull();
    recheckIdleSet(c, cert);
    const v = decide(c);
    expect(v.verdict).toBe('universal');
    expect(v.certificate).toMatchObject({ a: '0.5', idle: ['0.25'], omega: '-0.5' });
    expect(v.reason).toMatch(/idle-set certificate/);
  });
});

describe('idle-set certificates where σ_F has no zero', () => {
  const cells = [
    ['sigmoid', 'Q0.2'],
    ['sigmoid', 'Q0.3'],
    ['softplus', 'Q0.2'],
    ['softplus', 'Q0.3'],
    ['hard-sigmoid', 'Q0.2'],
    ['hard-sigmoid', 'Q0.3'],
    ['sigmoid', 'Q1.3'],
    ['softplus', 'Q1.2'],
    ['hard-sigmoid', 'Q1.2'],
  ] as const;

  it.each(cells)('%s on %s: universal, every gadget verified on every input', (activation, format) => {
    const c = makeConfiguration({ format, activation });
    const s = settingOf(c);
    expect(s.sigma.includes(0)).toBe(false);
    const cert = certificateFor(c).report.certificate!;
    expect(cert).not.toBeNull();
    expect(cert.idle).not.toEqual([0]);
    recheckIdleSet(c, cert);
    expect(decide(c).verdict).toBe('universal');
  });

  it.each([
    ['sigmoid', 'Q0.2', 1],
    ['sigmoid', 'Q0.2', 2],
    ['sigmoid', 'Q0.3', 1],
    ['sigmoid', 'Q0.3', 2],
    ['softplus', 'Q0.2', 1],
    ['softplus', 'Q0.2', 2],
    ['softplus', 'Q0.3', 1],
    ['softplus', 'Q0.3', 2],
    ['hard-sigmoid', 'Q0.2', 1],
    ['hard-sigmoid', 'Q0.2', 2],
    ['hard-sigmoid', 'Q0.3', 1],
    ['hard-sigmoid', 'Q0.3', 2],
    ['sigmoid', 'Q1.3', 1],
  ] as const)(
    '%s on %s, d = %i: a random table is computed exactly (reference evaluator, every input)',
    (activation, format, d) => {
      const c = makeConfiguration({ format, activation });
      const s = settingOf(c);
      for (const seed of [1, 2]) {
        const table = randomTable(s.size ** d, s.min, s.size, seed);
        const r = construct(c, table, d);
        for (let k = 0; k < table.length; k++) {
          const x = d === 1 ? [s.min + k] : [s.min + Math.floor(k / s.size), s.min + (k % s.size)];
          expect(ref(r.network, x)[0], `${x}`).toBe(table[k]);
        }
      }
    },
    60_000,
  );

  it('a readout weight that does not kill I is caught, and breaks the network', () => {
    const c = makeConfiguration({ format: 'Q0.2', activation: 'sigmoid' });
    const s = settingOf(c);
    const cert = certificateFor(c).report.certificate!;
    // ω = −¾: (−¾) ⊗ ¼ = −3/16, which rounds to −¼, not 0
    expect(kills(s, -3, cert.idle)).toBe(false);
    expect(verifyCertificate(s, { ...cert, omega: -3 })).toMatch(/does not kill the idle value/);
    // an emitter whose output weight reads the idle value: the verifier names it
    const y = cert.emitters.findIndex((em) => em.weights.length > 0);
    const em = cert.emitters[y];
    const broken = {
      ...cert,
      emitters: cert.emitters.map((e, i) => (i === y ? { ...em, weights: [-3, ...em.weights.slice(1)] } : e)),
    };
    expect(verifyCertificate(s, broken)).toMatch(/not read as 0|gives/);
    // a compiled network with one output weight changed to −¾: where its source is idle it now adds
    // (−¾) ⊗ ¼ = −¼ instead of nothing, and the network no longer computes its table there
    const table = randomTable(s.size, s.min, s.size, 3);
    const r = construct(c, table, 1);
    const layers = r.network.layers;
    const out = layers[layers.length - 1].neurons[0];
    const net = (l: typeof layers) =>
      makeNetwork({
        format: c.format,
        policy: c.policy,
        accumulation: c.accumulation,
        bias: c.bias,
        inputs: 1,
        layers: l,
      });
    const hidden = net(layers.slice(0, -1));
    const h = (x: number) => ref(hidden, [x]);
    let breaks = 0;
    let tried = 0;
    out.edges.forEach(([src, w], k) => {
      const idleAt: number[] = [];
      for (let x = s.min; x <= s.max; x++) if (cert.idle.includes(h(x)[src])) idleAt.push(x);
      if (idleAt.length === 0 || w === -3n) return;
      tried++;
      const edges = out.edges.map(([j, v], i) => [j, i === k ? -3n : v] as const);
      const mutated = net([
        ...layers.slice(0, -1),
        { ...layers[layers.length - 1], neurons: [{ ...out, edges }] },
      ]);
      if (idleAt.some((x) => ref(mutated, [x])[0] !== table[x - s.min])) breaks++;
    });
    for (let x = s.min; x <= s.max; x++) expect(ref(r.network, [x])[0]).toBe(table[x - s.min]);
    expect(tried).toBeGreaterThan(4);
    expect(breaks).toBeGreaterThan(tried / 2);
  });

  it('with binary weights no weight kills a non-zero value: no certificate exists, and the last-term obstruction decides', () => {
    const c = makeConfiguration({ format: 'Q1.3', activation: 'sigmoid', weights: 'binary' });
    const s = settingOf(c);
    expect(readableLevelsExist(s)).toBe(false);
    expect(findCertificate(s).certificate).toBeNull();
    // docs/theory.md §8.7: every term ±1 ⊗ σ_F(·) is non-zero with the sign of its weight
    const v = decide(c);
    expect(v.verdict).toBe('not-universal');
    expect(v.reason).toMatch(/^last-term obstruction/);
  });

  it('under exact accumulation idle values must be exactly 0: no idle-set levels are tried', () => {
    const c = makeConfiguration({ format: 'Q0.2', activation: 'sigmoid', accumulation: 'exact' });
    const s = settingOf(c);
    // ω · ¼ is never 0 in the wide sum, although (−½) ⊗ ¼ rounds to 0
    expect(kills(s, -2, [1])).toBe(false);
    expect(readableLevelsExist(s)).toBe(false);
    expect(findCertificate(s).certificate).toBeNull();
  });
});
