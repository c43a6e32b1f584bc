import { neuron, type Setting } from './setting.js';

/** One neuron of a gadget: a bias and edges (source index in the previous layer, weight), codes. */
export interface GadgetNeuron {
  readonly bias: number;
  readonly edges: ReadonlyArray<readonly [number, number]>;
}

/**
 * A small layered network on codes whose every layer applies σ_F (THEORY §5.2: "last layer uses σ").
 * Layer 0 is the inputs; the last layer's neurons are the outputs. A gadget with no layers passes its
 * inputs through (used for direct emitters).
 */
export interface Gadget {
  readonly inputs: number;
  readonly layers: ReadonlyArray<ReadonlyArray<GadgetNeuron>>;
}

/** Evaluates a gadget on one input vector; NaN marks an invalid (overflowing) value. */
export function runGadget(s: Setting, g: Gadget, input: readonly number[]): number[] {
  let h: number[] = input.slice();
  for (const layer of g.layers) {
    const next: number[] = new Array(layer.length);
    for (let i = 0; i < layer.length; i++) {
      const n = layer[i];
      next[i] = neuron(
        s,
        n.edges.map((e) => e[1]),
        n.edges.map((e) => h[e[0]]),
        n.bias,
      );
    }
    h = next;
  }
  return h;
}

/** A chain of unary neurons h ↦ σ_F(w⊗h ⊕ b) as a 1-input gadget. */
export function chainGadget(steps: ReadonlyArray<readonly [number, number]>): Gadget {
  return { inputs: 1, layers: steps.map(([w, b]) => [{ bias: b, edges: [[0, w]] }]) };
}

/** Parameters (edges + biases) of a gadget. */
export function gadgetParameters(g: Gadget): number {
  let p = 0;
  for (const layer of g.layers) for (const n of layer) p += n.edges.length + 1;
  return p;
}

export function gadgetNeurons(g: Gadget): number {
  let k = 0;
  for (const layer of g.layers) k += layer.length;
  return k;
}

/** Output count of a gadget. */
export function gadgetOutputs(g: Gadget): number {
  return g.layers.length === 0 ? g.inputs : g.layers[g.layers.length - 1].length;
}

/** Runs `a` and `b` side by side on the same inputs: outputs of `a` first, then of `b`. Equal depths. */
export function parallel(a: Gadget, b: Gadget): Gadget {
  if (a.layers.length !== b.layers.length || a.inputs !== b.inputs)
    throw new Error('parallel: shapes differ');
  const layers = a.layers.map((la, i) => {
    const off = i === 0 ? 0 : a.layers[i - 1].length;
    const lb = b.layers[i].map((n) => ({
      bias: n.bias,
      edges: n.edges.map(([src, w]) => [i === 0 ? src : src + off, w] as const),
    }));
    return [...la, ...lb];
  });
  return { inputs: a.inputs, layers };
}

/** `top` applied to the outputs of `g` (top.inputs must equal g's output count). */
export function stack(g: Gadget, top: Gadget): Gadget {
  return { inputs: g.inputs, layers: [...g.layers, ...top.layers] };
}

/**
 * The first parameter of a gadget outside the configuration (a weight not in W, a bias not a value of
 * 𝕀), or null. A certificate's networks must be networks of the configuration: evaluating them with
 * other parameters proves nothing about it (docs/theory.md §9.2). `checked` remembers neurons already
 * seen (emitters share theirs, so each is checked once).
 */
export function parameterOutside(
  s: Setting,
  g: Gadget,
  inW: (w: number) => boolean,
  checked?: WeakSet<object>,
): string | null {
  for (const layer of g.layers) {
    // emitters share whole layers (fan emitters: one layer array for every y): checked once each
    if (checked?.has(layer)) continue;
    for (const n of layer) {
      if (checked?.has(n)) continue;
      if (!(Number.isInteger(n.bias) && n.bias >= s.min && n.bias <= s.max))
        return `bias code ${n.bias} is not a value`;
      for (const [, w] of n.edges) if (!inW(w)) return `weight code ${w} is outside the weight set`;
      checked?.add(n);
    }
    checked?.add(layer);
  }
  return null;
}
