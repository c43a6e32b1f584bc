/**
 * Test helper (not a test file): the network N_f of a boolean gadget certificate (docs/theory.md §8.12,
 * Proposition BG) for d = 1 or 2, as a reference network of src/network.
 */
import {
  type BooleanGadgetCertificate,
  modularCount,
  modularPlan,
  pairedCount,
  startCount,
} from '../src/engine/boolean-gadget-certificate.js';
import { type Gadget, parallel, stack } from '../src/engine/gadget.js';
import { type Configuration, settingOf } from '../src/expressivity/configuration.js';
import { toNetwork } from '../src/expressivity/construct.js';
import type { Network } from '../src/network/network.js';

/** g (1 input) reading input k of `inputs` instead. */
function onInput(g: Gadget, k: number, inputs: number): Gadget {
  const [first, ...rest] = g.layers;
  return {
    inputs,
    layers: [first.map((n) => ({ bias: n.bias, edges: n.edges.map(([, w]) => [k, w] as const) })), ...rest],
  };
}

/** `count` copies of `unit` side by side (1 input each, one depth). */
function copies(unit: Gadget, count: number): Gadget {
  let g = unit;
  for (let j = 1; j < count; j++) g = parallel(g, unit);
  return g;
}

/**
 * N_f: the detectors on each coordinate, for d = 2 one AND per point, on each point's tree its emitter (and,
 * modular, the dummy copies of C on the first tree), one identity output neuron. `f` lists f(z) in the
 * order of the points (z₁ outer for d = 2); `beta` overrides the output bias (mutations).
 */
export function compileBoolean(
  c: Configuration,
  cert: BooleanGadgetCertificate,
  f: ArrayLike<number>,
  d: 1 | 2,
  beta?: number,
): Network {
  const s = settingOf(c);
  const points: number[][] = [];
  for (let z1 = s.min; z1 <= s.max; z1++)
    if (d === 1) points.push([z1]);
    else for (let z2 = s.min; z2 <= s.max; z2++) points.push([z1, z2]);
  const table = Array.from(f);
  const plan = cert.kind === 'modular' ? modularPlan(s, cert, table) : null;
  let net: Gadget | null = null;
  const weights: number[] = [];
  points.forEach((z, i) => {
    const y = table[i];
    const parts: Gadget[] = [];
    const ws: number[] = [];
    if (cert.kind === 'paired') {
      const k = pairedCount(s, cert, y) as number;
      const pair = parallel(cert.delay, cert.constant as Gadget);
      if (k !== 0) parts.push(copies(pair, Math.abs(k)));
      for (let j = 0; j < Math.abs(k); j++) ws.push(Math.sign(k) * cert.unit, -Math.sign(k) * cert.unit);
    } else if (cert.kind === 'start') {
      const k = startCount(s, cert, y) as number;
      if (k > 0) parts.push(copies(cert.delay, k));
      for (let j = 0; j < k; j++) ws.push(cert.unit);
    } else {
      const k = modularCount(s, cert, y);
      if (k > 0) parts.push(copies(cert.delay, k));
      for (let j = 0; j < k; j++) ws.push(cert.unit);
      if (i === 0 && plan && plan.dummies > 0) {
        parts.push(copies(cert.constant as Gadget, plan.dummies));
        for (let j = 0; j < plan.dummies; j++) ws.push(cert.unit);
      }
    }
    if (parts.length === 0) return;
    const emitter = parts.reduce((x, g) => parallel(x, g));
    const tree =
      d === 1
        ? onInput(cert.detectors[z[0] - s.min], 0, 1)
        : stack(
            parallel(
              onInput(cert.detectors[z[0] - s.min], 0, 2),
              onInput(cert.detectors[z[1] - s.min], 1, 2),
            ),
            cert.and,
          );
    const branch = stack(tree, emitter);
    net = net ? parallel(net, branch) : branch;
    weights.push(...ws);
  });
  const prefix = cert.prefix;
  if (cert.kind === 'start' && prefix && prefix.count > 0) {
    const first = points[0];
    const tree =
      d === 1
        ? onInput(cert.detectors[first[0] - s.min], 0, 1)
        : stack(
            parallel(
              onInput(cert.detectors[first[0] - s.min], 0, 2),
              onInput(cert.detectors[first[1] - s.min], 1, 2),
            ),
            cert.and,
          );
    const branch = stack(tree, copies(prefix.gadget, prefix.count));
    // the prefix's neurons come first in every layer, so its edges are the output neuron's first terms
    net = net ? parallel(branch, net) : branch;
    weights.unshift(...new Array(prefix.count).fill(prefix.weight));
  }
  const b = beta ?? (plan ? plan.beta : cert.beta);
  const output = { bias: b, edges: weights.map((w, j) => [j, w] as [number, number]) };
  const hidden = (net as Gadget | null)?.layers ?? [];
  return toNetwork(c, { inputs: d, layers: [...hidden, [output]] });
}
