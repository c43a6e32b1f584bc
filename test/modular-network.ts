/**
 * Test helper (not a test file): the network N_f of a modular idle certificate (docs/theory.md §8.9) for
 * d = 1, as a reference network of src/network. Every z with E_{f(z)} non-empty gets its detector D_z and
 * on it E_{f(z)} (copies of the delay); one identity output neuron with the bias β_f sums them.
 */
import { chainGadget, type Gadget, parallel, stack } from '../src/engine/gadget.js';
import {
  type ModularIdleCertificate,
  modularDetector,
  modularEmitterWeights,
  modularOutputBias,
} from '../src/engine/modular-idle-certificate.js';
import { type Configuration, settingOf } from '../src/expressivity/configuration.js';
import { toNetwork } from '../src/expressivity/construct.js';
import type { Network } from '../src/network/network.js';

/** N_f for d = 1 (f a table over 𝕀), with the output bias `beta` (default β_f of §8.9). */
export function compileModular(
  c: Configuration,
  cert: ModularIdleCertificate,
  f: ArrayLike<number>,
  beta?: number,
): Network {
  const s = settingOf(c);
  const delay = chainGadget(cert.delay);
  let g: Gadget | null = null;
  const weights: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < f.length; i++) {
    values.push(f[i]);
    const ws = modularEmitterWeights(s, cert, f[i]);
    if (ws.length === 0) continue;
    let em = delay;
    for (let j = 1; j < ws.length; j++) em = parallel(em, delay);
    const tree = stack(modularDetector(s, cert, s.min + i), em);
    g = g ? parallel(g, tree) : tree;
    weights.push(...ws);
  }
  const output = {
    bias: beta ?? modularOutputBias(s, cert, values),
    edges: weights.map((w, j) => [j, w] as [number, number]),
  };
  return toNetwork(c, { inputs: 1, layers: [...(g?.layers ?? []), [output]] });
}
