/**
 * `fxnn check <net.json>`: the expressivity verdict (decide(), docs/theory.md) of each layer's
 * configuration in a typed network: an activation layer's result format with its σ and modes, and the
 * accumulation of the dense layer before it; a dense layer with no activation after it is `identity`
 * on its result type. decide() is for fxnn's correctly rounded σ in one format: the verdict says
 * whether networks over that (format, σ, modes) can compute every function — when a layer's types
 * cannot, no training will make them. Formats above `maxBits` are not run (the engine's search grows
 * quickly with the format: 8 bits take seconds, 12 bits minutes).
 */
import { FxnnError } from '../errors.js';
import { makeConfiguration } from '../expressivity/configuration.js';
import { decide, type Verdict } from '../expressivity/verdict.js';
import type { FixedType } from '../fixed-type.js';
import type { DenseLayer, TypedNetwork } from '../network/typed-network.js';

export interface LayerVerdict {
  /** The layers it covers: the dense layer's name and the activation's, or one of them. */
  readonly names: readonly string[];
  readonly activation: string;
  readonly type: FixedType;
  readonly verdict: Verdict | null;
  /** Why there is no verdict (too large, a mode or format the engine does not handle). */
  readonly skipped: string | null;
  /** For hls4ml table activations: the verdict is for the correctly rounded σ, not the table. */
  readonly table: boolean;
}

export const DEFAULT_CHECK_MAX_BITS = 8;

export function checkTypedNetwork(net: TypedNetwork, maxBits = DEFAULT_CHECK_MAX_BITS): LayerVerdict[] {
  const out: LayerVerdict[] = [];
  let dense: DenseLayer | null = null;
  const run = (names: string[], activation: unknown, key: string, type: FixedType, table: boolean) => {
    const base = { names, activation: key, type, table };
    if (type.format.bits > maxBits) {
      out.push({ ...base, verdict: null, skipped: `${type.format.bits} bits > --max-bits ${maxBits}` });
      return;
    }
    try {
      const config = makeConfiguration({
        format: type.format,
        activation,
        rounding: type.policy.rounding,
        overflow: type.policy.overflow,
        accumulation: dense?.accumulation ?? 'sequential',
        bias: dense?.bias ?? 'first',
      });
      out.push({ ...base, verdict: decide(config), skipped: null });
    } catch (e) {
      if (!(e instanceof FxnnError)) throw e;
      out.push({ ...base, verdict: null, skipped: e.message });
    }
  };
  net.layers.forEach((layer, l) => {
    if (layer.kind === 'dense') {
      if (dense) run([dense.name], 'identity', 'identity', dense.types.result, false);
      dense = layer;
      if (l === net.layers.length - 1) run([layer.name], 'identity', 'identity', layer.types.result, false);
      return;
    }
    const names = dense ? [dense.name, layer.name] : [layer.name];
    run(names, layer.activation.json, layer.activation.key, layer.result, layer.table !== null);
    dense = null;
  });
  return out;
}
