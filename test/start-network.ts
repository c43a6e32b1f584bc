/**
 * Test helper (not a test file): the network N_f of a start-term idle certificate (docs/theory.md §8.10)
 * for d = 1, as a reference network of src/network: every z with E_{f(z)} non-empty gets D_z and on it
 * E_{f(z)} (copies of the delay); with the bias last, m copies of K sit on the tree of min; the output
 * neuron reads the copies of K first, then the emitters, with the bias β.
 */
import { chainGadget, type Gadget, parallel, stack } from '../src/engine/gadget.js';
import { idleChainDetector } from '../src/engine/idle-chain-certificate.js';
import { type StartIdleCertificate, startEmitterWeights } from '../src/engine/start-idle-certificate.js';
import { type Configuration, settingOf } from '../src/expressivity/configuration.js';
import { toNetwork } from '../src/expressivity/construct.js';
import type { Network } from '../src/network/network.js';

/** N_f for d = 1 (f a table over 𝕀); `copies` overrides the number of copies of K (mutation tests). */
export function compileStart(
  c: Configuration,
  cert: StartIdleCertificate,
  f: ArrayLike<number>,
  copies?: number,
): Network {
  const s = settingOf(c);
  const delay = chainGadget(cert.delay);
  const m = copies ?? cert.start?.copies ?? 0;
  let g: Gadget | null = null;
  const weights: number[] = [];
  // the prefix first: m copies of K on the detector of min
  if (cert.start && m > 0) {
    let ks = chainGadget(cert.start.chain);
    for (let j = 1; j < m; j++) ks = parallel(ks, chainGadget(cert.start.chain));
    g = stack(idleChainDetector(s, cert, s.min), ks);
    for (let j = 0; j < m; j++) weights.push(cert.start.weight);
  }
  for (let i = 0; i < f.length; i++) {
    const ws = startEmitterWeights(s, cert, f[i]);
    if (ws.length === 0) continue;
    let em = delay;
    for (let j = 1; j < ws.length; j++) em = parallel(em, delay);
    const tree = stack(idleChainDetector(s, cert, s.min + i), em);
    g = g ? parallel(g, tree) : tree;
    weights.push(...ws);
  }
  const output = { bias: cert.beta, edges: weights.map((w, j) => [j, w] as [number, number]) };
  return toNetwork(c, { inputs: 1, layers: [...(g?.layers ?? []), [output]] });
}
