/**
 * Whether any input of a box makes a typed network overflow (docs/import.md "profile"): exact, by
 * monotonicity. Every cast without overflow (a rounding, then the identity) is non-decreasing, sums
 * are increasing in each term, a product w·x is monotone in x with the sign of w, and relu, leaky
 * relu (α ≥ 0), hls4ml's tables, the correctly rounded σ and the quantizers are non-decreasing. So,
 * layer by layer, with each value of the previous layer in [lo, hi]: while no cast overflows, every
 * partial sum of neuron j is smallest at the corner x_i = (w_ji ≥ 0 ? lo_i : hi_i) and largest at the
 * opposite corner, and an activation's outputs are smallest at lo and largest at hi. Evaluating those
 * corners with the reference evaluator's overflow hook finds an overflow iff some input of the box
 * has one in the first layer; in later layers the previous values are bounded by their own box, which
 * over-approximates their (correlated) set: no event means no input of the box overflows anywhere,
 * while an event may come from a combination no input reaches.
 */
import { FxnnError } from '../errors.js';
import type { FixedType } from '../fixed-type.js';
import type { ActivationLayer, DenseLayer, TypedLayer, TypedNetwork } from '../network/typed-network.js';
import { evaluateTypedReference, type OverflowEvent } from '../network/typed-reference.js';

function oneLayer(layer: TypedLayer, inputs: number, input: FixedType): TypedNetwork {
  return { version: 2, inputs, input, layers: [layer], v1: null };
}

/** The overflow events at the extreme corners of the box [lo, hi] (codes of the input type); empty iff none anywhere. */
export function boxOverflows(
  net: TypedNetwork,
  lo: readonly bigint[],
  hi: readonly bigint[],
): OverflowEvent[] {
  const events: OverflowEvent[] = [];
  let type = net.input;
  let low = [...lo];
  let high = [...hi];
  net.layers.forEach((layer, l) => {
    const single = oneLayer(layer, low.length, type);
    const result = layer.kind === 'dense' ? layer.types.result : layer.result;
    // under overflow "error" the evaluator throws after reporting: the bound is then the type's extreme
    const evaluate = (
      x: bigint[],
      hooks: { onOverflow: (e: OverflowEvent) => void },
      up: boolean,
    ): bigint[] => {
      try {
        return evaluateTypedReference(single, x, hooks);
      } catch (e) {
        if (!(e instanceof FxnnError)) throw e;
        return x.map(() => (up ? result.format.maxCode : result.format.minCode));
      }
    };
    const seen = (e: OverflowEvent) => events.push({ ...e, layer: l });
    if (layer.kind === 'dense') {
      const d = layer as DenseLayer;
      const nextLo: bigint[] = [];
      const nextHi: bigint[] = [];
      d.neurons.forEach((neuron, j) => {
        const weight = new Map(neuron.edges.map(([i, w]) => [i, w]));
        const corner = (up: boolean) => low.map((x, i) => ((weight.get(i) ?? 0n) >= 0n === up ? high[i] : x));
        const only = (e: OverflowEvent) => {
          if (e.neuron === j) seen(e);
        };
        nextLo.push(evaluate(corner(false), { onOverflow: only }, false)[j]);
        nextHi.push(evaluate(corner(true), { onOverflow: only }, true)[j]);
      });
      low = nextLo;
      high = nextHi;
      type = d.types.result;
    } else {
      const a = layer as ActivationLayer;
      low = evaluate(low, { onOverflow: seen }, false);
      high = evaluate(high, { onOverflow: seen }, true);
      type = a.result;
    }
  });
  return events;
}
