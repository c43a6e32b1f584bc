/**
 * Test helper (not a test file): the network N_f of a paired idle certificate (docs/theory.md §8.8) for
 * d = 1, as a reference network of src/network.
 */
import { chainGadget, type Gadget, parallel, stack } from '../src/engine/gadget.js';
import { idleChainDetector } from '../src/engine/idle-chain-certificate.js';
import { type PairedIdleCertificate, pairedEmitterWeights } from '../src/engine/paired-idle-certificate.js';
import { type Configuration, settingOf } from '../src/expressivity/configuration.js';
import { toNetwork } from '../src/expressivity/construct.js';
import type { Network } from '../src/network/network.js';

/** N_f for d = 1: for every z with f(z) ≠ β the detector D_z, then E_{f(z)} (pairs (P, C)), summed by one identity neuron. */
export function compilePaired(c: Configuration, cert: PairedIdleCertificate, f: ArrayLike<number>): Network {
  const s = settingOf(c);
  const pair = parallel(chainGadget(cert.delay), chainGadget(cert.constant));
  let g: Gadget | null = null;
  const weights: number[] = [];
  for (let z = s.min; z <= s.max; z++) {
    const ws = pairedEmitterWeights(s, cert, f[z - s.min]);
    if (ws.length === 0) continue;
    let em = pair;
    for (let j = 1; j < ws.length; j++) em = parallel(em, pair);
    const tree = stack(idleChainDetector(s, cert, z), em);
    g = g ? parallel(g, tree) : tree;
    for (const w of ws) weights.push(w, -w);
  }
  // the gadget's layers, then one output neuron summing the emitters' terms (toNetwork: σ, then identity)
  const output = { bias: cert.beta, edges: weights.map((w, j) => [j, w] as [number, number]) };
  return toNetwork(c, { inputs: 1, layers: [...(g?.layers ?? []), [output]] });
}
