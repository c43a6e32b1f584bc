/**
 * One-off soundness checks of halving-head certificates (docs/theory.md §10.9, Proposition HH), too slow
 * for the test suite:
 *
 *   npx tsx bench/halving-head.bench.ts --sweep
 *     identity under overflow error, sequential accumulation, all weights on 13 formats of 15 to 256 values
 *     × 8 roundings × both bias orders: wherever a halving-head certificate is found (the verifier runs
 *     inside the search), every detector is written out for the exhaustive `verifyCertificate`;
 *   npx tsx bench/halving-head.bench.ts --detectors FORMAT BIAS
 *     the certificate of identity on FORMAT (toward-zero, error, all weights, sequential, bias BIAS):
 *     detectors D_z at the ends, next to 0 and on the thresholds no gain serves, each written out and run by
 *     the BigInt reference evaluator on every input.
 *
 * Exits 1 on the first disagreement.
 */
import { parseArgs } from 'node:util';
import { verifyCertificate } from '../src/engine/certificate.js';
import type { Gadget } from '../src/engine/gadget.js';
import {
  findHalvingHeadCertificate,
  halvingHeadDetector,
  materializeHalvingHeadCertificate,
} from '../src/engine/halving-head-certificate.js';
import { type Configuration, makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { makeNetwork, type Network } from '../src/network/network.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';

const { values, positionals } = parseArgs({
  options: { detectors: { type: 'boolean', default: false }, sweep: { type: 'boolean', default: false } },
  allowPositionals: true,
});

const ROUNDINGS = [
  'toward-zero',
  'floor',
  'ceil',
  'nearest-even',
  'nearest-up',
  'nearest-down',
  'nearest-zero',
  'nearest-away',
];

const config = (format: string, rounding: string, bias: string) =>
  makeConfiguration({
    activation: 'identity',
    format,
    rounding,
    overflow: 'error',
    weights: 'all',
    accumulation: 'sequential',
    bias,
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

function sweep(): void {
  const formats = [
    'Q1.2',
    'SQ1.2',
    'Q2.2',
    'SQ2.2',
    'Q1.3',
    'SQ1.3',
    'Q2.3',
    'SQ2.3',
    'Q1.4',
    'Q3.3',
    'SQ3.3',
    'SQ2.4',
    'Q4.3',
  ];
  let found = 0;
  let runs = 0;
  const t0 = Date.now();
  for (const format of formats)
    for (const rounding of ROUNDINGS)
      for (const bias of ['first', 'last']) {
        runs++;
        const s = settingOf(config(format, rounding, bias));
        const { certificate, tried } = findHalvingHeadCertificate(s);
        if (!certificate) {
          console.log(`${format} ${rounding} ${bias}: none (${tried[tried.length - 1] ?? ''})`);
          continue;
        }
        const failure = verifyCertificate(s, materializeHalvingHeadCertificate(s, certificate));
        if (failure) {
          console.error(`DISAGREEMENT ${format} ${rounding} ${bias}: ${failure}`);
          process.exit(1);
        }
        found++;
      }
  console.log(
    `${runs} configurations, ${found} certificates, every one passes the exhaustive check (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
  );
}

function detectors(format: string, bias: string): void {
  const c = config(format, 'toward-zero', bias);
  const s = settingOf(c);
  const { certificate, tried } = findHalvingHeadCertificate(s);
  if (!certificate) throw new Error(`no certificate: ${tried.join('; ')}`);
  const k = 2 ** c.format.fracBits;
  const zs = [s.min, s.min + 1, s.min + 2, -k - 1, -k, -1, 0, 1, 2, k, k + 1, s.max - 2, s.max - 1, s.max];
  const t0 = Date.now();
  for (const z of zs) {
    const net = gadgetNet(c, halvingHeadDetector(s, certificate, z));
    for (let x = s.min; x <= s.max; x++) {
      const got = Number(evaluateReference(net, [BigInt(x)])[0]);
      if (got !== (x === z ? certificate.e : 0)) {
        console.error(`DISAGREEMENT D_${z}(${x}) = ${got}`);
        process.exit(1);
      }
    }
    console.log(
      `D_${z}: e exactly at ${z}, 0 on the other ${s.size - 1} inputs (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
    );
  }
}

if (values.sweep) sweep();
if (values.detectors) detectors(positionals[0] ?? 'SQ7.8', positionals[1] ?? 'first');
