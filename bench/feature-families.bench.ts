/**
 * One-off soundness checks of Lemma FE and of feature-threshold certificates with all weights under overflow
 * `error` (docs/theory.md §10.9), too slow for the test suite:
 *
 *   npx tsx bench/feature-families.bench.ts --detectors [first|last]
 *     the certificate of elu on SQ7.8 (toward-zero, error, all weights, sequential): 13 detectors D_z (the
 *     ends, whose chains need a split at least 255 codes from 0, and the middle), each written out and run
 *     by the BigInt reference evaluator on all 65,535 inputs (about 30 s on a quiet machine);
 *   npx tsx bench/feature-families.bench.ts --sweep
 *     1,760 configurations of 5–6-bit SQ formats (11 activations × 8 roundings × both accumulations and bias
 *     orders, error, all weights): the feature search forced in place of the families, every table padded
 *     and verified, then every certificate written out for the exhaustive `verifyCertificate`.
 *
 * Exits 1 on the first disagreement.
 */
import { parseArgs } from 'node:util';
import { verifyCertificate } from '../src/engine/certificate.js';
import {
  chainDetector,
  findChainCertificate,
  materializeChainCertificate,
  verifyChainCertificate,
} from '../src/engine/chain-certificate.js';
import { findFeatureThresholds } from '../src/engine/feature-thresholds.js';
import type { Gadget } from '../src/engine/gadget.js';
import { sigmaRanges } from '../src/engine/interval-chain.js';
import { padThresholdTables } from '../src/engine/threshold-padding.js';
import { type Configuration, makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { makeNetwork, type Network } from '../src/network/network.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';

const { values, positionals } = parseArgs({
  options: { detectors: { type: 'boolean', default: false }, sweep: { type: 'boolean', default: false } },
  allowPositionals: true,
});

/** A gadget (every layer σ) as a reference network. */
function gadgetNet(c: Configuration, g: Gadget): Network {
  return makeNetwork({
    format: c.format,
    policy: c.policy,
    accumulation: c.accumulation,
    bias: c.bias,
    inputs: g.inputs,
    layers: g.layers.map((layer) => ({
      activation: c.activation,
      neurons: layer.map((n) => ({
        bias: BigInt(n.bias),
        edges: n.edges.map(([src, w]) => [src, BigInt(w)] as const),
      })),
    })),
  });
}

function detectors(bias: string): void {
  const c = makeConfiguration({
    activation: 'elu',
    format: 'SQ7.8',
    overflow: 'error',
    rounding: 'toward-zero',
    accumulation: 'sequential',
    bias,
    weights: 'all',
  });
  const s = settingOf(c);
  const cert = findChainCertificate(s).certificate;
  if (!cert || verifyChainCertificate(s, cert)) throw new Error('no verified certificate');
  const t0 = Date.now();
  const zs = [s.min, s.min + 1, s.min + 200, -256, -255, -1, 0, 1, 255, 256, s.max - 200, s.max - 1, s.max];
  for (const z of zs) {
    const net = gadgetNet(c, chainDetector(s, cert, z));
    for (let x = s.min; x <= s.max; x++) {
      const y = Number(evaluateReference(net, [BigInt(x)])[0]);
      if (y !== (x === z ? cert.e : 0)) {
        console.log(`FAIL: D_${z}(${x}) = ${y}`);
        process.exit(1);
      }
    }
  }
  console.log(
    `bias ${bias}: e = ${cert.e} (codes), ${zs.length} detectors, each on all ${s.size} inputs (BigInt reference evaluator): e exactly at x = z; ${Date.now() - t0} ms`,
  );
}

function sweep(): void {
  let tried = 0;
  let found = 0;
  const t0 = Date.now();
  for (const format of ['SQ2.2', 'SQ2.3', 'SQ3.2', 'SQ3.3', 'SQ1.4'])
    for (const activation of [
      'elu',
      'relu',
      'leaky-relu',
      'softplus',
      'tanh',
      'silu',
      'mish',
      'gelu',
      'hard-swish',
      'step',
      'sigmoid',
    ])
      for (const rounding of [
        'toward-zero',
        'nearest-zero',
        'nearest-away',
        'nearest-even',
        'floor',
        'ceil',
        'nearest-up',
        'nearest-down',
      ])
        for (const accumulation of ['sequential', 'exact'])
          for (const bias of ['first', 'last']) {
            const s = settingOf(
              makeConfiguration({
                format,
                activation,
                overflow: 'error',
                weights: 'all',
                rounding,
                accumulation,
                bias,
              }),
            );
            tried++;
            const base = findChainCertificate(s).certificate;
            if (!base) continue;
            const r = sigmaRanges(s);
            const tables = findFeatureThresholds(s, r, base.e);
            if (typeof tables === 'string') continue;
            const padded = padThresholdTables(
              s,
              r,
              base.e,
              tables,
              base.delay.length,
              base.and.layers.length,
            );
            if (typeof padded === 'string') continue;
            const cert = { ...base, ge: padded.ge, le: padded.le };
            if (verifyChainCertificate(s, cert)) continue;
            found++;
            const failure = verifyCertificate(s, materializeChainCertificate(s, cert));
            if (failure) {
              console.log(
                `FAIL: ${activation} ${format} ${rounding} ${accumulation} bias ${bias}: ${failure}`,
              );
              process.exit(1);
            }
          }
  console.log(
    `${tried} configurations, ${found} feature-threshold certificates, every one passes the exhaustive check (${Date.now() - t0} ms)`,
  );
}

if (values.detectors) detectors(positionals[0] ?? 'first');
else if (values.sweep) sweep();
else {
  console.error('error: give --detectors [first|last] or --sweep');
  process.exit(2);
}
