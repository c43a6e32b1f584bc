/**
 * Test helper (not a test file): the fixtures the shift span tests share (docs/theory.md §10.10) — a seeded
 * xorshift generator, a configuration under wrap with all weights, a random σ table as a lookup-table
 * activation, and the check that the network N_f of a certificate computes a random f on every input.
 */
import { expect } from 'vitest';
import { lutActivation } from '../src/activations/lut-activation.js';
import { ratio } from '../src/core/rational.js';
import type { Setting } from '../src/engine/setting.js';
import type { ShiftSpanCertificate } from '../src/engine/shift-span-certificate.js';
import { type Configuration, makeConfiguration } from '../src/expressivity/configuration.js';
import type { Network } from '../src/network/network.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';
import { shiftNetworkFor } from './shift-network.js';

/** xorshift32 with a seed: uniform numbers in [0, 1). */
export function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/** A configuration under overflow wrap with all weights (the setting of Proposition SS). */
export function wrapConfig(
  format: string,
  activation: unknown,
  rounding: string,
  accumulation: string,
  bias: string,
): Configuration {
  return makeConfiguration({
    format,
    activation,
    rounding,
    overflow: 'wrap',
    accumulation,
    bias,
    weights: 'all',
  } as never);
}

/** A random σ table with N values on codes min..min + N − 1 (min = 0 unsigned, −N/2 signed). */
export function randomLut(format: string, fracBits: number, N: number, random: () => number, min = 0) {
  return lutActivation(
    format,
    Array.from({ length: N }, () => ratio(BigInt(Math.floor(random() * N) + min), 1n << BigInt(fracBits))),
  );
}

/** N_f for a random f : 𝕀^d → 𝕀 (d = 1, 2) equals f on every input (BigInt reference evaluator). */
export function checkShiftNetwork(
  cfg: Configuration,
  s: Setting,
  c: ShiftSpanCertificate,
  d: number,
  seed: number,
): Network {
  const N = s.size;
  const random = rng(seed);
  const table = Array.from({ length: N ** d }, () => s.min + Math.floor(random() * N));
  const f = (x: number[]) => table[d === 1 ? x[0] - s.min : (x[0] - s.min) * N + (x[1] - s.min)];
  const net = shiftNetworkFor(cfg, s, c, d, f);
  for (let i = 0; i < N ** d; i++) {
    const x = d === 1 ? [s.min + i] : [s.min + Math.floor(i / N), s.min + (i % N)];
    expect(Number(evaluateReference(net, x.map(BigInt))[0]), `${cfg.format.spec} f(${x})`).toBe(f(x));
  }
  return net;
}
