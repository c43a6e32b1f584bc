/**
 * The two 16-bit certificates of branch signedcells checked outside the engine's kernels, by the BigInt
 * reference evaluator of src/network (too slow for the test suite):
 *
 * - softplus on Q0.15 (ceil, `error`, all weights, sequential, bias last): the contraction start-term
 *   certificate (docs/theory.md §9.7, "Contraction rest chains"). Detectors D_z for z = min, min + ε, −ε, 0, ε,
 *   the split −15,033ε, max − ε, max are run on all 65,536 inputs: a exactly at x = z, ι elsewhere.
 * - hard-swish on SQ13.1 (nearest-even, `error`, binary, sequential, bias last): the feature-pair certificate
 *   with digit fan emitters (docs/theory.md §10.2, "Complete digit sets"). Emitters E_y for y = min, min + ε,
 *   −ε, ε, 12,345ε, max − ε, max are run at 0 (every output 0) and at e (the output neuron gives y).
 *
 * Usage: npx tsx bench/signed-cells.bench.ts [--detectors 8]
 */
import { findContractionIdleCertificate } from '../src/engine/contraction-idle-certificate.js';
import { findFeaturePairCertificate } from '../src/engine/feature-pair-certificate.js';
import { type Gadget, stack } from '../src/engine/gadget.js';
import { idleChainDetector } from '../src/engine/idle-chain-certificate.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { toNetwork } from '../src/expressivity/construct.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';

const readOut = (w: number): Gadget => ({ inputs: 1, layers: [[{ bias: 0, edges: [[0, w]] }]] });

function softplusDetectors(limit: number): void {
  const c = makeConfiguration({
    format: 'Q0.15',
    activation: 'softplus',
    rounding: 'ceil',
    overflow: 'error',
    weights: 'all',
    accumulation: 'sequential',
    bias: 'last',
  });
  const s = settingOf(c);
  const t0 = performance.now();
  const found = findContractionIdleCertificate(s).certificate;
  if (!found) throw new Error('no contraction certificate');
  const cert = found.certificate;
  console.log(
    `softplus Q0.15: ${found.form} form found and verified in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  // (1 − ε) ⊗ h = h for 0 < h < 1 under ceil: the read-out passes the detector's value unchanged
  const w = s.max;
  if (s.mul(w, cert.a) !== cert.a || s.mul(w, cert.idle) !== cert.idle) throw new Error('read-out not exact');
  for (const z of [s.min, s.min + 1, -1, 0, 1, -15033, s.max - 1, s.max].slice(0, limit)) {
    const t = performance.now();
    const net = toNetwork(c, stack(idleChainDetector(s, cert, z), readOut(w)));
    let wrong = 0;
    for (let x = s.min; x <= s.max; x++) {
      let v: number;
      try {
        v = Number(evaluateReference(net, [BigInt(x)])[0]);
      } catch {
        v = Number.NaN;
      }
      if (v !== (x === z ? cert.a : cert.idle)) wrong++;
    }
    console.log(
      `  D_${z}: ${wrong} wrong of ${s.size} inputs (${((performance.now() - t) / 1000).toFixed(1)} s)`,
    );
    if (wrong > 0) process.exitCode = 1;
  }
}

function hardSwishEmitters(): void {
  const c = makeConfiguration({
    format: 'SQ13.1',
    activation: 'hard-swish',
    rounding: 'nearest-even',
    overflow: 'error',
    weights: 'binary',
    accumulation: 'sequential',
    bias: 'last',
  });
  const s = settingOf(c);
  const t0 = performance.now();
  const cert = findFeaturePairCertificate(s).certificate;
  if (!cert) throw new Error('no feature-pair certificate');
  console.log(
    `hard-swish SQ13.1: feature-pair certificate (e = ${cert.e}) found and verified in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  for (const y of [s.min, s.min + 1, -1, 1, 12345, s.max - 1, s.max]) {
    const em = cert.emitters[y - s.min];
    const out = { bias: cert.beta, edges: em.weights.map((w, j) => [j, w] as [number, number]) };
    const withOut = toNetwork(c, { inputs: 1, layers: [...em.gadget.layers, [out]] });
    const atE = Number(evaluateReference(withOut, [BigInt(cert.e)])[0]);
    // every output of the shared gadget at input 0 (read one at a time by weight 1): 0
    const idleOut = em.gadget.layers[em.gadget.layers.length - 1].map((_, j) => {
      const one = toNetwork(c, {
        inputs: 1,
        layers: [...em.gadget.layers, [{ bias: 0, edges: [[j, s.one]] }]],
      });
      return Number(evaluateReference(one, [0n])[0]);
    });
    const ok = atE === y && idleOut.every((v) => v === 0);
    console.log(
      `  E_${y}: ${em.weights.length} terms, at e ${atE}, at 0 ${ok ? 'all 0' : idleOut.join(',')}`,
    );
    if (!ok) process.exitCode = 1;
  }
}

const k = process.argv.indexOf('--detectors');
softplusDetectors(k > 0 ? Number(process.argv[k + 1]) : 8);
hardSwishEmitters();
