/**
 * The composition lemma point by point (THEORY §5.2; docs/theory.md §8.3 with idle sets, §8.8 paired,
 * §8.9 modular, §8.10 start terms, §8.12 boolean gadgets; docs/construction.md, "Certificates the compiler
 * cannot cut into boxes"): for every point z ∈ 𝕀^d, the detectors D_{z_i} on the inputs (one depth), a tree
 * of the certificate's AND gadget (leaves padded to a power of two with a second copy of the last detector,
 * so that no neuron reads one source twice), the emitter E_{f(z)} on the tree's root, and one output neuron
 * that reads every emitter output (extra terms first when the certificate puts them first) with the bias
 * β_f. Exactly one tree is active at every input; the idle trees' terms are 0 (kill), cancel (paired) or
 * sum to a constant that β_f cancels (modular), as each kind's proof shows. The gadgets are the
 * certificate's own, so nothing is searched here: the network is then verified on every input by
 * `construct`.
 */
import type { Gadget } from '../engine/gadget.js';
import type { LayeredNet } from '../engine/layered-net.js';
import type { Setting } from '../engine/setting.js';
import { FxnnError } from '../errors.js';

/** The most neurons the composition writes (a bound on time and memory: a few hundred MB of nodes). */
export const COMPOSITION_MAX_NEURONS = 2 ** 21;

/** One emitter: a 1-input gadget (depth shared by all emitters of a plan) and a weight per output. */
export interface PointEmitter {
  readonly gadget: Gadget;
  readonly weights: readonly number[];
}

/** What a certificate kind supplies to the point-by-point composition. */
export interface PointPlan {
  /** D_z on one input (1 input, 1 output), one depth for every z. */
  detector(z: number): Gadget;
  /** The AND gadget on two signals (needed when d ≥ 2). */
  readonly and: Gadget | null;
  /** E_y (null: the point adds nothing, e.g. y = β). */
  emitter(y: number): PointEmitter | null;
  /**
   * Terms on the first point's tree that do not depend on the point: a start-term prefix (read first by
   * the output neuron) or the dummy copies of a modular boolean certificate (read after the emitters).
   */
  extra?(values: Int32Array): { emitter: PointEmitter; first: boolean } | null;
  /** The output bias β_f for the table (one value per point). */
  beta(values: Int32Array): number;
}

/** A neuron under construction: its layer (1-based), bias and edges to node ids of the previous layer. */
interface Node {
  readonly layer: number;
  readonly bias: number;
  readonly edges: Array<[number, number]>;
}

/** A composed network and the number of point trees that feed its output neuron. */
export type Composed = LayeredNet & { readonly trees: number };

/**
 * N_f for `table` (one code per point of 𝕀^d, x1 slowest), as a layered net whose last layer is the output
 * neuron (hidden layers σ_F, output identity, as `toNetwork` writes it).
 */
export function composePoints(s: Setting, plan: PointPlan, table: Int32Array, d: number): Composed {
  const nodes: Node[] = [];
  for (let i = 0; i < d; i++) nodes.push({ layer: 0, bias: 0, edges: [] });
  /** Places gadget `g` on sources (one per input of g, all at layer `from`); returns its output ids. */
  const place = (g: Gadget, sources: readonly number[], from: number): number[] => {
    if (nodes.length > COMPOSITION_MAX_NEURONS)
      throw new FxnnError(
        `the point-by-point composition of this certificate needs more than ${COMPOSITION_MAX_NEURONS} neurons for |𝕀|^d = ${table.length} points`,
        'format',
      );
    let cur = [...sources];
    g.layers.forEach((layer, l) => {
      cur = layer.map((n) => {
        nodes.push({
          layer: from + l + 1,
          bias: n.bias,
          edges: n.edges.map(([src, w]) => [cur[src], w] as [number, number]),
        });
        return nodes.length - 1;
      });
    });
    return cur;
  };
  const det0 = plan.detector(s.min);
  const detDepth = det0.layers.length;
  if (d >= 2 && !plan.and) throw new Error('the certificate has no AND gadget, which d ≥ 2 needs');
  const andDepth = plan.and?.layers.length ?? 0;
  let leaves = 1;
  while (leaves < d) leaves *= 2;
  const treeDepth = detDepth + Math.log2(leaves) * andDepth;
  // detectors shared between points: key (input, z, copy)
  const detectors = new Map<string, number>();
  const detector = (i: number, z: number, copy: number): number => {
    const key = `${i}:${z}:${copy}`;
    let id = detectors.get(key);
    if (id === undefined) {
      const g = plan.detector(z);
      if (g.layers.length !== detDepth) throw new Error('the certificate’s detectors differ in depth');
      id = place(g, [i], 0)[0];
      detectors.set(key, id);
    }
    return id;
  };
  // AND nodes shared between points: key (left id, right id)
  const ands = new Map<string, number>();
  const andOf = (u: number, v: number, from: number): number => {
    const key = `${u}:${v}`;
    let id = ands.get(key);
    if (id === undefined) {
      id = place(plan.and as Gadget, [u, v], from)[0];
      ands.set(key, id);
    }
    return id;
  };
  const z = new Array<number>(d).fill(0);
  const tree = (point: number): number => {
    let rest = point;
    for (let k = d - 1; k >= 0; k--) {
      z[k] = s.min + (rest % s.size);
      rest = Math.floor(rest / s.size);
    }
    let level: number[] = [];
    for (let k = 0; k < leaves; k++) {
      const i = Math.min(k, d - 1);
      level.push(detector(i, z[i], k - i));
    }
    let from = detDepth;
    while (level.length > 1) {
      const next: number[] = [];
      for (let k = 0; k < level.length; k += 2) next.push(andOf(level[k], level[k + 1], from));
      level = next;
      from += andDepth;
    }
    return level[0];
  };
  const edges: Array<[number, number]> = [];
  let emitDepth = -1;
  const emit = (em: PointEmitter, root: number): Array<[number, number]> => {
    if (emitDepth < 0) emitDepth = em.gadget.layers.length;
    if (em.gadget.layers.length !== emitDepth) throw new Error('the certificate’s emitters differ in depth');
    const outs = place(em.gadget, [root], treeDepth);
    if (outs.length !== em.weights.length) throw new Error('an emitter has one weight per output');
    return outs.map((o, j) => [o, em.weights[j]] as [number, number]);
  };
  const extra = plan.extra?.(table) ?? null;
  const firstEdges = extra ? emit(extra.emitter, tree(0)) : [];
  if (extra?.first) edges.push(...firstEdges);
  let trees = 0;
  for (let p = 0; p < table.length; p++) {
    const em = plan.emitter(table[p]);
    if (em && em.weights.length > 0) {
      edges.push(...emit(em, tree(p)));
      trees++;
    }
  }
  if (extra && !extra.first) edges.push(...firstEdges);
  const beta = plan.beta(table);
  if (edges.length === 0) return { inputs: d, layers: [[{ bias: beta, edges: [] }]], trees: 0 };
  const outLayer = treeDepth + emitDepth + 1;
  nodes.push({ layer: outLayer, bias: beta, edges });
  // write the layers: ids → positions; a node off the output's paths (a shared detector copy) is kept
  const position = new Map<number, number>();
  const layers: Array<Array<{ bias: number; edges: Array<readonly [number, number]> }>> = Array.from(
    { length: outLayer },
    () => [],
  );
  nodes.forEach((n, id) => {
    if (n.layer === 0) {
      position.set(id, id);
      return;
    }
    position.set(id, layers[n.layer - 1].length);
    layers[n.layer - 1].push({
      bias: n.bias,
      edges: n.edges.map(([src, w]) => {
        const at = position.get(src);
        if (at === undefined || nodes[src].layer !== n.layer - 1)
          throw new Error('composition: an edge skips a layer');
        return [at, w] as const;
      }),
    });
  });
  return { inputs: d, layers, trees };
}
