/**
 * `fxnn check <net.json>`: the expressivity verdict (decide(), docs/theory.md) of each layer's
 * configuration in a typed network: an activation layer's result format with its σ and modes, and the
 * accumulation of the dense layer before it; a dense layer with no activation after it is `identity`
 * on its result type. decide() is for fxnn's correctly rounded σ in one format: the verdict says
 * whether networks over that (format, σ, modes) can compute every function — when a layer's types
 * cannot, no training will make them. Every layer of up to 32 bits is decided (`maxBits`, default 32),
 * each within decide()'s budget (`budget`, a multiple of its 30 s; docs/theory.md §9): an `undetermined`
 * that names the budget is an honest answer. Above 16 bits decide() takes the analytic path of
 * docs/theory.md §9.5. Layers above 32 bits, and layers whose overflow mode the engine does not take
 * (saturate-symmetric, saturate-zero, wrap-sign-magnitude), are reported as not decided, with the
 * reason. Identical configurations are decided once.
 */
import { WIDE_MAX_BITS } from '../engine/wide/decide-wide.js';
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
  /** Why there is no verdict (above 32 bits, above maxBits, a mode or format the engine does not take). */
  readonly skipped: string | null;
  /** The verdict is `undetermined` because the search's budget ran out (more budget may decide it). */
  readonly budgetStopped: boolean;
  /** For hls4ml table activations: the verdict is for the correctly rounded σ, not the table. */
  readonly table: boolean;
}

/** Layers of at most this many bits are decided by default: all the engine takes (tabulated up to 16
 * bits, the analytic lemmas of docs/theory.md §9.5 up to 32). */
export const DEFAULT_CHECK_MAX_BITS = WIDE_MAX_BITS;

/** The overflow modes decide() takes (the engine's theory, THEORY §2). */
const ENGINE_OVERFLOW = ['saturate', 'wrap', 'error'];

export interface CheckNetworkOptions {
  /** Decide formats of at most this many bits (default 32; above 32 nothing is decided). */
  readonly maxBits?: number;
  /** Multiple of decide()'s default budget, per layer configuration (default 1). */
  readonly budget?: number;
  /** Told before each configuration decide() runs on (not for skipped or repeated ones). */
  readonly onLayer?: (names: readonly string[], activation: string, type: FixedType) => void;
  /** Told after it. */
  readonly onLayerDone?: (verdict: Verdict) => void;
}

/** True when decide() stopped on its time or work budget (its reason then names the budget). */
function stoppedByBudget(v: Verdict): boolean {
  return v.verdict === 'undetermined' && /budget/.test(v.reason);
}

export function checkTypedNetwork(net: TypedNetwork, options: CheckNetworkOptions = {}): LayerVerdict[] {
  const maxBits = options.maxBits ?? DEFAULT_CHECK_MAX_BITS;
  const out: LayerVerdict[] = [];
  const seen = new Map<string, Verdict>();
  let dense: DenseLayer | null = null;
  const run = (names: string[], activation: unknown, key: string, type: FixedType, table: boolean) => {
    const base = { names, activation: key, type, table };
    const skip = (why: string) => out.push({ ...base, verdict: null, skipped: why, budgetStopped: false });
    const { overflow, saturationBits } = type.policy;
    if (!ENGINE_OVERFLOW.includes(overflow) || (saturationBits ?? 0) > 0) {
      skip(
        `the expressivity engine takes saturate, wrap or error overflow; this layer's is ${overflow}${saturationBits ? ` with N = ${saturationBits}` : ''}`,
      );
      return;
    }
    const bits = type.format.bits;
    if (bits > WIDE_MAX_BITS) {
      skip(`above ${WIDE_MAX_BITS} bits (${bits}): no verdict is proved there (docs/theory.md §9.5)`);
      return;
    }
    if (bits > maxBits) {
      skip(`${bits} bits > --max-bits ${maxBits}`);
      return;
    }
    const accumulation = dense?.accumulation ?? 'sequential';
    const bias = dense?.bias ?? 'first';
    const cacheKey = `${type.name}|${JSON.stringify(activation)}|${accumulation}|${bias}`;
    let verdict = seen.get(cacheKey);
    if (!verdict) {
      try {
        const config = makeConfiguration({
          format: type.format,
          activation,
          rounding: type.policy.rounding,
          overflow,
          accumulation,
          bias,
        });
        options.onLayer?.(names, key, type);
        verdict = decide(config, { budget: options.budget ?? 1 });
        options.onLayerDone?.(verdict);
      } catch (e) {
        if (!(e instanceof FxnnError)) throw e;
        skip(e.message);
        return;
      }
      seen.set(cacheKey, verdict);
    }
    out.push({ ...base, verdict, skipped: null, budgetStopped: stoppedByBudget(verdict) });
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
