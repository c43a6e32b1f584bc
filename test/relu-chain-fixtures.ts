/**
 * Shared scaffolding of the integer ReLU chain tests (docs/theory.md §10.9, Lemmas IR and IR₋): the
 * `error`-overflow configurations they use, and the exhaustive run of every threshold chain by the BigInt
 * reference evaluator (which raises on any overflow).
 */
import { expect } from 'vitest';
import type { Step } from '../src/engine/chain-solver.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { gadgetNet, ref } from './reference-gadget.js';

/** The options of one cell under overflow `error` and all weights (`extra` overrides any field). */
export const errorOptions = (
  format: string,
  activation: string,
  rounding: string,
  accumulation: string,
  bias: string,
  extra = {},
) => ({ format, activation, rounding, overflow: 'error', weights: 'all', accumulation, bias, ...extra });

/** The setting of `errorOptions(...)`. */
export const errorSetting = (...a: Parameters<typeof errorOptions>) =>
  settingOf(makeConfiguration(errorOptions(...a)));

/**
 * Runs the chains `atLeast(t)` (x ≥ t) and `atMost(t)` (x ≤ t) of SQm.0 on every input and every
 * threshold t, one hidden neuron per step, under `activation`/`rounding`; the chain must output `on`
 * where its condition holds and 0 elsewhere.
 */
export function checkThresholdChainsByReference(p: {
  formats: readonly string[];
  modes: readonly (readonly [accumulation: string, bias: string])[];
  activation: string;
  rounding: string;
  atLeast: (t: number) => readonly Step[];
  atMost: (t: number) => readonly Step[];
  on: number;
}): void {
  const net = (format: string, accumulation: string, bias: string, steps: readonly Step[]) =>
    gadgetNet(makeConfiguration(errorOptions(format, p.activation, p.rounding, accumulation, bias)), {
      inputs: 1,
      layers: steps.map(([w, b]) => [{ bias: b, edges: [[0, w] as const] }]),
    });
  for (const format of p.formats)
    for (const [accumulation, bias] of p.modes) {
      const max = 2 ** Number(format.slice(2, 3)) - 1;
      for (let t = -max; t <= max; t++) {
        const ge = t > -max ? net(format, accumulation, bias, p.atLeast(t)) : null;
        const le = t < max ? net(format, accumulation, bias, p.atMost(t)) : null;
        for (let x = -max; x <= max; x++) {
          if (ge) expect(ref(ge, [x])[0], `${format} x ≥ ${t} at ${x}`).toBe(x >= t ? p.on : 0);
          if (le) expect(ref(le, [x])[0], `${format} x ≤ ${t} at ${x}`).toBe(x <= t ? p.on : 0);
        }
      }
    }
}
