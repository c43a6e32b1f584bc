import type { Step } from '../engine/chain-solver.js';
import type { Gadget, GadgetNeuron } from '../engine/gadget.js';
import type { LayeredNet } from '../engine/layered-net.js';

export interface Node {
  readonly layer: number;
  readonly bias: number;
  readonly edges: Array<[number, number]>;
}

/**
 * Builds a layered network from nodes placed at layers, inserting delay neurons (the certificate's
 * one-step P, valid on {0, e} signals) where an edge skips layers; delays of one source are shared.
 */
export class NetBuilder {
  readonly nodes: Node[] = [];
  private readonly delays = new Map<string, number>();
  constructor(
    readonly inputs: number,
    private readonly delay: Step,
  ) {
    for (let i = 0; i < inputs; i++) this.nodes.push({ layer: 0, bias: 0, edges: [] });
  }
  layerOf(id: number): number {
    return this.nodes[id].layer;
  }
  /** A signal `id` carried to `layer` (delays inserted as needed). */
  at(id: number, layer: number): number {
    let cur = id;
    while (this.nodes[cur].layer < layer) {
      const key = `${cur}`;
      let d = this.delays.get(key);
      if (d === undefined) {
        d = this.add(this.nodes[cur].layer + 1, this.delay[1], [[cur, this.delay[0]]]);
        this.delays.set(key, d);
      }
      cur = d;
    }
    return cur;
  }
  add(layer: number, bias: number, edges: Array<[number, number]>): number {
    for (const [src] of edges) {
      if (this.nodes[src].layer !== layer - 1)
        throw new Error('NetBuilder: edge must come from the previous layer');
    }
    this.nodes.push({ layer, bias, edges });
    return this.nodes.length - 1;
  }
  /** A gadget applied to input signals (each carried to the gadget's first layer). */
  gadget(g: Gadget, sources: readonly number[], firstLayer: number): number[] {
    let cur = sources.map((src) => this.at(src, firstLayer - 1));
    g.layers.forEach((layer, i) => {
      cur = layer.map((n: GadgetNeuron) =>
        this.add(
          firstLayer + i,
          n.bias,
          n.edges.map(([src, w]) => [cur[src], w] as [number, number]),
        ),
      );
    });
    return cur;
  }
  chain(steps: readonly Step[], source: number, firstLayer: number): number {
    return this.gadget(
      { inputs: 1, layers: steps.map(([w, b]) => [{ bias: b, edges: [[0, w]] }]) },
      [source],
      firstLayer,
    )[0];
  }
  /** Materialises layers 1..last; node ids map to positions in their layer. */
  build(): LayeredNet {
    // a loop, not Math.max(...): compiled networks have hundreds of thousands of nodes
    let depth = 0;
    for (const n of this.nodes) if (n.layer > depth) depth = n.layer;
    const position = new Map<number, number>();
    const layers: GadgetNeuron[][] = Array.from({ length: depth }, () => []);
    this.nodes.forEach((n, id) => {
      if (n.layer === 0) {
        position.set(id, id);
        return;
      }
      position.set(id, layers[n.layer - 1].length);
      layers[n.layer - 1].push(n as unknown as GadgetNeuron);
    });
    return {
      inputs: this.inputs,
      layers: layers.map((layer) =>
        layer.map((n) => ({
          bias: n.bias,
          edges: (n as unknown as Node).edges.map(([src, w]) => [position.get(src)!, w] as const),
        })),
      ),
    };
  }
}
