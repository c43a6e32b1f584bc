import { expect } from 'vitest';
import type { Certificate } from '../src/engine/certificate.js';
import type { Gadget } from '../src/engine/gadget.js';
import { type Configuration, makeConfiguration } from '../src/expressivity/configuration.js';
import { makeNetwork, type Network } from '../src/network/network.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';

// Certificates re-checked with the BigInt reference evaluator of src/network (not the engine's kernels):
// every detector on every input, AND and delay on {0, e}, every emitter at 0 and at e.

/** A gadget (every layer σ), optionally followed by the identity output neuron, as a reference network. */
export function gadgetNet(
  c: Configuration,
  g: Gadget,
  out?: { weights: readonly number[]; beta: number },
): Network {
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
      neurons: [{ bias: BigInt(out.beta), edges: out.weights.map((w, j) => [j, BigInt(w)] as const) }],
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

/** The reference outputs of a network on integer codes. */
export function ref(net: Network, input: readonly number[]): number[] {
  return evaluateReference(
    net,
    input.map((v) => BigInt(v)),
  ).map(Number);
}

/** Every gadget of a classical certificate (I = {0}) on its whole domain, by the reference evaluator. */
export function recheckClassical(c: Configuration, cert: Certificate, min: number, max: number): void {
  const e = cert.e;
  expect(cert.idle).toEqual([0]);
  for (let z = min; z <= max; z++) {
    const net = gadgetNet(c, cert.detectors[z - min]);
    for (let x = min; x <= max; x++) expect(ref(net, [x])[0], `D_${z}(${x})`).toBe(x === z ? e : 0);
  }
  const and = gadgetNet(c, cert.and);
  const delay = gadgetNet(c, cert.delay);
  for (const u of [0, e]) {
    for (const v of [0, e]) expect(ref(and, [u, v])[0], `AND(${u}, ${v})`).toBe(u === e && v === e ? e : 0);
    expect(ref(delay, [u])[0], `P(${u})`).toBe(u);
  }
  for (let y = min; y <= max; y++) {
    const em = cert.emitters[y - min];
    if (em.weights.length === 0) {
      expect(cert.beta).toBe(y);
      continue;
    }
    if (em.gadget.layers.length > 0) {
      // idle input: every output is 0 (so every weight reads it as 0)
      for (const h of ref(gadgetNet(c, em.gadget), [0])) expect(h, `E_${y}(0)`).toBe(0);
    }
    const withOut = gadgetNet(c, em.gadget.layers.length > 0 ? em.gadget : delayless(em.weights.length), {
      weights: em.weights,
      beta: cert.beta,
    });
    expect(ref(withOut, [e])[0], `E_${y}(e)`).toBe(y);
  }
}

/** A direct emitter (no layers) reads its input itself: an output neuron with one edge from it. */
function delayless(n: number): Gadget {
  if (n !== 1) throw new Error('a direct emitter has one term');
  return { inputs: 1, layers: [] };
}
