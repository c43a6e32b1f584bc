/**
 * Soundness of every verdict (issue 11 §1): random small configurations, and for each `not-universal`
 * verdict a randomized search over small networks (depth ≤ 3, width ≤ 8, distinct sources, random weights
 * and biases, evaluated by the BigInt reference evaluator) that must never contradict the argument the
 * verdict rests on: a DIST witness pair is never separated, no output leaves the output-range set R_β
 * (docs/theory.md §6) and no network without hidden layers computes the swap, no computed function lies
 * outside the fixpoint's set (§4), no network with a hidden layer outputs both min and max under the
 * last-term obstruction (§8.7). Every `universal` verdict's certificate is verified on every input (a paired
 * idle certificate, §8.8, by running N_f for random tables on every input).
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUILTIN_ACTIVATIONS } from '../src/activations/activation.js';
import { lutActivation } from '../src/activations/lut-activation.js';
import { ratio } from '../src/core/rational.js';
import { alternatingObstruction } from '../src/engine/alternating-layers.js';
import {
  type BooleanGadgetCertificate,
  findBooleanGadgetCertificate,
  verifyBooleanGadgetCertificate,
} from '../src/engine/boolean-gadget-certificate.js';
import { unlimitedBudget } from '../src/engine/budget.js';
import { verifyCertificate } from '../src/engine/certificate.js';
import { materializeChainCertificate } from '../src/engine/chain-certificate.js';
import { findClosureChainCertificate } from '../src/engine/closure-chain-certificate.js';
import { findContractionIdleCertificate } from '../src/engine/contraction-idle-certificate.js';
import {
  findCopyChainCertificate,
  materializeCopyChainCertificate,
  verifyCopyChainCertificate,
} from '../src/engine/copy-chain-certificate.js';
import {
  findDeepGadgetCertificate,
  verifyDeepGadgetCertificate,
} from '../src/engine/deep-gadget-certificate.js';
import {
  findDeepStartCertificate,
  verifyDeepStartCertificate,
} from '../src/engine/deep-start-certificate.js';
import { checkDist } from '../src/engine/dist.js';
import {
  findExactSpanCertificate,
  verifyExactSpanCertificate,
} from '../src/engine/exact-span-certificate.js';
import {
  findFeaturePairCertificate,
  materializeFeaturePairCertificate,
  verifyFeaturePairCertificate,
} from '../src/engine/feature-pair-certificate.js';
import { reachableUnary } from '../src/engine/fixpoint.js';
import { findFloorReluCertificate } from '../src/engine/floor-relu-chains.js';
import {
  findIdleChainCertificate,
  materializeIdleChainCertificate,
} from '../src/engine/idle-chain-certificate.js';
import { findIntegerReluCertificate, findScaledReluCertificate } from '../src/engine/integer-relu-chains.js';
import { findLayeredLiteralCertificate } from '../src/engine/layered-literal-certificate.js';
import {
  findModularIdleCertificate,
  type ModularIdleCertificate,
} from '../src/engine/modular-idle-certificate.js';
import {
  findModularSpanCertificate,
  verifyModularSpanCertificate,
} from '../src/engine/modular-span-certificate.js';
import { outputValues } from '../src/engine/output-range.js';
import {
  findPairedIdleCertificate,
  verifyPairedIdleCertificate,
} from '../src/engine/paired-idle-certificate.js';
import {
  findShiftSpanCertificate,
  verifyShiftSpanCertificate,
} from '../src/engine/shift-span-certificate.js';
import { findShrinkChainCertificate } from '../src/engine/shrink-chain-certificate.js';
import {
  findStartIdleCertificate,
  type StartIdleCertificate,
  verifyStartIdleCertificate,
} from '../src/engine/start-idle-certificate.js';
import { activationShape } from '../src/engine/wide/activation-shape.js';
import { materializeWideCertificate } from '../src/engine/wide/materialize-wide.js';
import { tabulatedShape } from '../src/engine/wide/tabulated-shape.js';
import { findWideCertificate } from '../src/engine/wide/wide-certificate.js';
import { wideSetting } from '../src/engine/wide/wide-setting.js';
import { wideSigma } from '../src/engine/wide/wide-sigma.js';
import { certificateFor } from '../src/expressivity/certificates.js';
import { binaryApplicable, makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { decide } from '../src/expressivity/verdict.js';
import { parseFormat } from '../src/format.js';
import { makeNetwork, type Neuron } from '../src/network/network.js';
import { NetworkOverflowError } from '../src/network/network-overflow-error.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';
import { OVERFLOW_MODES, ROUNDING_MODES } from '../src/policy.js';
import { mulberry32, randomTable } from '../src/prng.js';
import { compileBoolean } from './boolean-gadget-network.js';
import { exactSpanNetworkFor } from './exact-span-network.js';
import { compileModular } from './modular-network.js';
import { compilePaired } from './paired-network.js';
import { shiftNetworkFor } from './shift-network.js';
import { networkFor } from './span-network.js';
import { compileStart } from './start-network.js';

// 1- to 4-bit formats of every kind (the 1-bit ones have N = 2, where DIST alone proves nothing)
const FORMATS = [
  ...['Q0.0', 'UQ1.0', 'Q0.1', 'Q1.0', 'UQ0.2', 'UQ2.0', 'SQ1.0', 'SQ0.1'],
  ...['Q0.2', 'Q1.1', 'Q2.0', 'UQ1.2', 'UQ3.0'],
];
// 4-bit unsigned formats are left out: their certificate search alone takes seconds
const FORMATS4 = ['Q0.3', 'Q1.2', 'Q3.0', 'SQ1.1', 'SQ2.0'];

const configArb = fc
  .record({
    format: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...FORMATS) }, fc.constantFrom(...FORMATS4)),
    // a built-in, or a random table: a few distinct values (possibly out of range) spread over 𝕀
    activation: fc.oneof(
      fc.constantFrom(...BUILTIN_ACTIVATIONS),
      fc.record({
        values: fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 1, maxLength: 4 }),
        picks: fc.array(fc.nat(), { minLength: 16, maxLength: 16 }),
      }),
    ),
    rounding: fc.constantFrom(...ROUNDING_MODES),
    overflow: fc.constantFrom(...OVERFLOW_MODES),
    accumulation: fc.constantFrom('sequential', 'exact'),
    bias: fc.constantFrom('last', 'first'),
    weights: fc.constantFrom('all', 'binary'),
    seed: fc.integer(),
  })
  .filter((r) => !(r.overflow === 'wrap' && r.format.startsWith('SQ')));

type Raw = fc.Arbitrary<typeof configArb extends fc.Arbitrary<infer T> ? T : never>;

function configurationOf(r: Raw extends fc.Arbitrary<infer T> ? T : never) {
  const format = parseFormat(r.format);
  const N = Number(format.size);
  const activation =
    typeof r.activation === 'string'
      ? r.activation
      : (() => {
          // table values: multiples of ε inside [2·min, 2·max] (out of range overflows under error)
          const { values, picks } = r.activation;
          const lo = Number(format.minCode);
          const span = N;
          const ys = Array.from({ length: N }, (_, i) => {
            const v = values[picks[i % picks.length] % values.length];
            return ratio(
              BigInt(lo + (((v % (2 * span)) + 2 * span) % (2 * span)) - Math.floor(span / 2)),
              1n << BigInt(format.fracBits),
            );
          });
          return lutActivation(format, ys);
        })();
  const weights = r.weights === 'binary' && binaryApplicable(format) ? 'binary' : 'all';
  return makeConfiguration({ ...r, activation, weights });
}

/** A random network on one input: 0–2 hidden layers of width 1–8, distinct sources in random order. */
function randomNetwork(
  c: ReturnType<typeof configurationOf>,
  weights: readonly number[],
  next: () => number,
) {
  const s = settingOf(c);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)];
  const code = () => BigInt(s.min + Math.floor(next() * s.size));
  const hidden = Math.floor(next() * 3);
  const layers = [];
  let previous = 1;
  for (let l = 0; l <= hidden; l++) {
    const width = l === hidden ? 1 : 1 + Math.floor(next() * 8);
    const neurons: Neuron[] = [];
    for (let i = 0; i < width; i++) {
      const sources = Array.from({ length: previous }, (_, j) => j).sort(() => next() - 0.5);
      const k =
        l === hidden && l > 0 ? 1 + Math.floor(next() * previous) : Math.floor(next() * (previous + 1));
      neurons.push({
        bias: code(),
        edges: sources.slice(0, k).map((j) => [j, BigInt(pick(weights))] as const),
      });
    }
    layers.push({ activation: l === hidden ? 'identity' : c.activation, neurons });
    previous = width;
  }
  return makeNetwork({
    format: c.format,
    policy: c.policy,
    accumulation: c.accumulation,
    bias: c.bias,
    weights: c.weights,
    inputs: 1,
    layers,
  });
}

/** The network's function on every x (codes), or null when it raises somewhere (overflow `error`). */
function functionOf(net: ReturnType<typeof makeNetwork>, min: number, max: number): number[] | null {
  const f: number[] = [];
  try {
    for (let x = min; x <= max; x++) f.push(Number(evaluateReference(net, [BigInt(x)])[0]));
  } catch (e) {
    if (e instanceof NetworkOverflowError) return null;
    throw e;
  }
  return f;
}

const NETWORKS = 60;

describe('soundness: no random network contradicts a verdict', () => {
  it('random configurations of 1–4-bit formats, every mode, both weight sets (seeded)', () => {
    const tally: Record<string, number> = {};
    fc.assert(
      fc.property(configArb, (r) => {
        const c = configurationOf(r);
        const v = decide(c);
        const kind =
          v.verdict !== 'not-universal'
            ? v.verdict
            : v.reason.startsWith('DIST')
              ? 'dist'
              : v.reason.startsWith('output-range')
                ? 'output-range'
                : v.reason.startsWith('exact affine')
                  ? 'affine'
                  : v.reason.startsWith('monotone')
                    ? 'monotone'
                    : v.reason.startsWith('last-term')
                      ? 'last-term'
                      : v.reason.startsWith('alternating-layer')
                        ? 'alternating'
                        : 'fixpoint';
        tally[kind] = (tally[kind] ?? 0) + 1;
        if (v.verdict === 'universal') {
          const { setting, report } = certificateFor(c);
          if (v.reason.startsWith('a deep gadget certificate')) {
            // docs/theory.md §8.11: found again and every gadget checked on every input of its domain
            expect(report.certificate).toBeNull();
            const cert = findDeepGadgetCertificate(setting, unlimitedBudget()).certificate;
            expect(cert).not.toBeNull();
            if (cert) expect(verifyDeepGadgetCertificate(setting, cert)).toBeNull();
            return;
          }
          if (v.reason.startsWith('a deep start certificate')) {
            // docs/theory.md §8.14, Proposition DS: found again, verified, N_f for random tables on every input
            const cert = findDeepStartCertificate(setting, unlimitedBudget()).certificate;
            expect(cert).not.toBeNull();
            if (!cert) return;
            expect(verifyDeepStartCertificate(setting, cert)).toBeNull();
            const asStart = { ...cert, kind: 'start', constant: null } as BooleanGadgetCertificate;
            for (const seed of [r.seed, r.seed + 1]) {
              const f = randomTable(setting.size, setting.min, setting.max, seed);
              expect(functionOf(compileBoolean(c, asStart, f, 1), setting.min, setting.max)).toEqual([...f]);
            }
            return;
          }
          if (v.reason.startsWith('a two-layer literal certificate')) {
            // docs/theory.md §8.12, two-layer literals: found again, verified, N_f for random tables on every input
            const cert = findLayeredLiteralCertificate(setting).certificate;
            expect(cert).not.toBeNull();
            if (!cert) return;
            expect(verifyBooleanGadgetCertificate(setting, cert)).toBeNull();
            for (const seed of [r.seed, r.seed + 1]) {
              const f = randomTable(setting.size, setting.min, setting.max, seed);
              expect(functionOf(compileBoolean(c, cert, f, 1), setting.min, setting.max)).toEqual([...f]);
            }
            return;
          }
          if (v.reason.startsWith('a long-prefix start-term idle certificate')) {
            // docs/theory.md §8.10, long prefixes: found again with up to N copies, N_f on every input
            const cert = findStartIdleCertificate(setting, undefined, {
              maxCopies: setting.size,
            }).certificate;
            expect(cert).not.toBeNull();
            if (!cert) return;
            expect(verifyStartIdleCertificate(setting, cert)).toBeNull();
            for (const seed of [r.seed, r.seed + 1]) {
              const f = randomTable(setting.size, setting.min, setting.max, seed);
              expect(functionOf(compileStart(c, cert, f), setting.min, setting.max)).toEqual([...f]);
            }
            return;
          }
          if (v.reason.startsWith('a paired idle certificate')) {
            // docs/theory.md §8.8 (exact accumulation): N_f for random tables, run on every input
            expect(report.certificate).toBeNull();
            const cert = findPairedIdleCertificate(setting).certificate;
            expect(cert).not.toBeNull();
            if (!cert) return;
            expect(verifyPairedIdleCertificate(setting, cert)).toBeNull();
            for (const seed of [r.seed, r.seed + 1]) {
              const f = randomTable(setting.size, setting.min, setting.max, seed);
              const got = functionOf(compilePaired(c, cert, f), setting.min, setting.max);
              expect(got).toEqual([...f]);
            }
            return;
          }
          if (v.reason.startsWith('a modular span certificate')) {
            // docs/theory.md §10.8, Proposition MS: N_f of the proof for random tables, run on every input
            const cert = findModularSpanCertificate(setting).certificate;
            expect(cert).not.toBeNull();
            if (!cert) return;
            expect(verifyModularSpanCertificate(setting, cert)).toBeNull();
            for (const seed of [r.seed, r.seed + 1]) {
              const f = randomTable(setting.size, setting.min, setting.max, seed);
              const net = networkFor(c, setting, cert, 1, (x) => f[(x[0] ?? 0) - setting.min] ?? 0);
              expect(functionOf(net, setting.min, setting.max)).toEqual([...f]);
            }
            return;
          }
          if (v.reason.startsWith('a shift span certificate')) {
            // docs/theory.md §10.10, Proposition SS: N_f of the proof for random tables, run on every input
            const cert = findShiftSpanCertificate(setting).certificate;
            expect(cert).not.toBeNull();
            if (!cert) return;
            expect(verifyShiftSpanCertificate(setting, cert)).toBeNull();
            for (const seed of [r.seed, r.seed + 1]) {
              const f = randomTable(setting.size, setting.min, setting.max, seed);
              const net = shiftNetworkFor(c, setting, cert, 1, (x) => f[(x[0] ?? 0) - setting.min] ?? 0);
              expect(functionOf(net, setting.min, setting.max)).toEqual([...f]);
            }
            return;
          }
          if (
            v.reason.startsWith('a modular idle certificate') ||
            v.reason.startsWith('a start-term idle certificate')
          ) {
            // docs/theory.md §8.9, §8.10: N_f for random tables, run on every input
            const modular = v.reason.startsWith('a modular');
            const cert = modular
              ? findModularIdleCertificate(setting).certificate
              : findStartIdleCertificate(setting).certificate;
            expect(cert).not.toBeNull();
            if (!cert) return;
            for (const seed of [r.seed, r.seed + 1]) {
              const f = randomTable(setting.size, setting.min, setting.max, seed);
              const net = modular
                ? compileModular(c, cert as ModularIdleCertificate, f)
                : compileStart(c, cert as StartIdleCertificate, f);
              expect(functionOf(net, setting.min, setting.max)).toEqual([...f]);
            }
            return;
          }
          if (v.reason.startsWith('a contraction')) {
            // docs/theory.md §9.7, contraction rest chains: the chain form written out for the exhaustive
            // verifier, the start form as N_f for random tables, run on every input
            const found = findContractionIdleCertificate(setting).certificate;
            expect(found).not.toBeNull();
            if (!found) return;
            if (found.form === 'chain')
              expect(
                verifyCertificate(setting, materializeIdleChainCertificate(setting, found.certificate)),
              ).toBeNull();
            else
              for (const seed of [r.seed, r.seed + 1]) {
                const f = randomTable(setting.size, setting.min, setting.max, seed);
                const net = compileStart(c, found.certificate, f);
                expect(functionOf(net, setting.min, setting.max)).toEqual([...f]);
              }
            return;
          }
          if (v.reason.startsWith('a boolean gadget certificate')) {
            // docs/theory.md §8.12, Proposition BG: N_f for random tables, run on every input
            const cert = findBooleanGadgetCertificate(setting).certificate;
            expect(cert).not.toBeNull();
            if (!cert) return;
            expect(verifyBooleanGadgetCertificate(setting, cert)).toBeNull();
            for (const seed of [r.seed, r.seed + 1]) {
              const f = randomTable(setting.size, setting.min, setting.max, seed);
              expect(functionOf(compileBoolean(c, cert, f, 1), setting.min, setting.max)).toEqual([...f]);
            }
            return;
          }
          if (v.reason.startsWith('a feature-pair certificate')) {
            // docs/theory.md §10.9, Proposition FP (binary weights, and all weights last of all): written
            // out, every detector checked on every input
            const cert = findFeaturePairCertificate(setting).certificate;
            expect(cert).not.toBeNull();
            if (cert) {
              expect(verifyFeaturePairCertificate(setting, cert)).toBeNull();
              expect(verifyCertificate(setting, materializeFeaturePairCertificate(setting, cert))).toBeNull();
            }
            return;
          }
          if (v.reason.startsWith('a copy-chain certificate')) {
            // docs/theory.md §10.9, copy chains: written out, every gadget checked on every input
            const cert = findCopyChainCertificate(setting).certificate;
            expect(cert).not.toBeNull();
            if (cert) {
              expect(verifyCopyChainCertificate(setting, cert)).toBeNull();
              expect(verifyCertificate(setting, materializeCopyChainCertificate(setting, cert))).toBeNull();
            }
            return;
          }
          if (v.reason.startsWith('an exact span certificate')) {
            // docs/theory.md §10.10, Proposition XS: N_f of the proof for random tables, run on every input
            const cert = findExactSpanCertificate(setting).certificate;
            expect(cert).not.toBeNull();
            if (!cert) return;
            expect(verifyExactSpanCertificate(setting, cert)).toBeNull();
            for (const seed of [r.seed, r.seed + 1]) {
              const f = randomTable(setting.size, setting.min, setting.max, seed);
              const net = exactSpanNetworkFor(c, setting, cert, 1, (x) => f[(x[0] ?? 0) - setting.min] ?? 0);
              expect(functionOf(net, setting.min, setting.max)).toEqual([...f]);
            }
            return;
          }
          if (
            v.reason.startsWith('a shrinking-chain certificate') ||
            v.reason.startsWith('an integer ReLU chain certificate') ||
            v.reason.startsWith('a chain certificate whose threshold chains are the shortest unary chains')
          ) {
            // docs/theory.md §10.9, Proposition SC, Lemma IR (also with a −1 floor, Lemma IR₋, and with
            // fraction bits) and closure thresholds: chain certificates, written out, every gadget checked on
            // every input
            const found = v.reason.startsWith('a shrinking')
              ? findShrinkChainCertificate(setting).certificate
              : v.reason.startsWith('an integer ReLU chain certificate with a −1 floor')
                ? findFloorReluCertificate(setting).certificate
                : v.reason.startsWith(
                      'an integer ReLU chain certificate on a symmetric format with fraction bits',
                    )
                  ? findScaledReluCertificate(setting).certificate
                  : v.reason.startsWith('an integer ReLU')
                    ? findIntegerReluCertificate(setting).certificate
                    : findClosureChainCertificate(setting).certificate;
            expect(found).not.toBeNull();
            if (found)
              expect(verifyCertificate(setting, materializeChainCertificate(setting, found))).toBeNull();
            return;
          }
          const tiled = v.reason.includes('(the analytic path, with tiled splits');
          if (tiled || v.reason.includes('(the analytic path, tried after the chain search found none')) {
            // docs/theory.md §9.5 family certificates (at most 256 values: tried last by decide, §10.6):
            // written out, every gadget checked on every input
            const shape = activationShape(c.activation) ?? tabulatedShape(setting.sigma, setting.min);
            expect(typeof shape).not.toBe('string');
            if (typeof shape === 'string') return;
            const ws = wideSigma(wideSetting(c), shape);
            expect(typeof ws).not.toBe('string');
            if (typeof ws === 'string') return;
            const found = findWideCertificate(ws, unlimitedBudget(), { tiledSplits: tiled }).certificate;
            if (!found) expect(v.reason).toMatch(/linear-unit/);
            else
              expect(
                verifyCertificate(setting, materializeWideCertificate(setting, found, ws.setting)),
              ).toBeNull();
            return;
          }
          if (v.reason.startsWith('an idle-set certificate in chain form') && !report.certificate) {
            // docs/theory.md §9.7 (e.g. a one-sign emitter rule with β = max or min, which the exhaustive
            // search does not try): written out, every gadget checked on every input
            const cert = findIdleChainCertificate(setting).certificate;
            expect(cert).not.toBeNull();
            if (cert)
              expect(verifyCertificate(setting, materializeIdleChainCertificate(setting, cert))).toBeNull();
            return;
          }
          expect(report.certificate).not.toBeNull();
          if (report.certificate) expect(verifyCertificate(setting, report.certificate)).toBeNull();
          return;
        }
        if (v.verdict !== 'not-universal') return;
        const s = settingOf(c);
        const next = mulberry32(r.seed);
        const witness = kind === 'dist' ? checkDist(s).witness : null;
        const range = kind === 'output-range' ? outputValues(s) : null;
        const chain = kind === 'alternating' ? alternatingObstruction(s) : null;
        if (kind === 'alternating') expect(chain).not.toBeNull();
        const fix =
          kind === 'fixpoint'
            ? reachableUnary(s, { distinctSources: true, sigmaOutput: !v.reason.includes("fxnn's model") })
            : null;
        if (fix) expect(fix.status).toBe('done');
        const swap = Array.from({ length: s.size }, (_, i) => s.min + (i === 0 ? 1 : i === 1 ? 0 : i));
        for (let t = 0; t < NETWORKS; t++) {
          const net = randomNetwork(c, s.weights, next);
          const f = functionOf(net, s.min, s.max);
          if (f === null) continue;
          const where = `${JSON.stringify(r)} network ${JSON.stringify(
            net.layers.map((l) => l.neurons.map((n) => [n.bias, n.edges])),
            (_, x) => (typeof x === 'bigint' ? Number(x) : x),
          )}`;
          if (witness && net.layers.length > 1)
            expect(f[witness[0] - s.min], where).toBe(f[witness[1] - s.min]);
          if (range) {
            expect(f, where).not.toEqual(swap);
            if (net.layers.length > 1) {
              const allowed = range(Number(net.layers[net.layers.length - 1].neurons[0].bias));
              for (const y of f) expect(allowed.has(y), `${where}: output ${y}`).toBe(true);
            }
          }
          if (fix?.status === 'done') expect(fix.computes(f), where).toBe(true);
          // docs/theory.md §10.7 (Lemma M): non-negative weights, no wrap: every network is non-decreasing
          if (kind === 'monotone')
            for (let i = 1; i < f.length; i++) expect(f[i], where).toBeGreaterThanOrEqual(f[i - 1]);
          // docs/theory.md §8.7: with a hidden layer the output misses min or max
          if (kind === 'last-term' && net.layers.length > 1)
            expect(f.includes(s.min) && f.includes(s.max), where).toBe(false);
          // docs/theory.md §10.7 (Lemma AL): every network is monotone on the chain (x₁, x₂, x₃)
          if (kind === 'alternating' && chain) {
            const [a, b, cc] = chain.map((x) => f[x - s.min]);
            expect((a <= b && b <= cc) || (a >= b && b >= cc), where).toBe(true);
          }
          if (kind === 'affine') {
            // docs/theory.md §10.4, Proposition EA: x ↦ (c·x + k) mod N on codes (exact under error, where a
            // computed function overflows nowhere), never the witness f(min) = min + 1, f(min + 1) = f(min + 2) = min
            expect(f[0] === s.min + 1 && f[1] === s.min && f[2] === s.min, where).toBe(false);
            const N = s.size;
            const k = f[-s.min];
            const cc = f[1 - s.min] - k;
            for (let x = s.min; x <= s.max; x++)
              expect(f[x - s.min], where).toBe(s.min + ((((cc * x + k - s.min) % N) + N) % N));
          }
        }
      }),
      { seed: 20261129, numRuns: 250 },
    );
    // the search reaches every kind of verdict it checks
    expect(Object.keys(tally).sort()).toEqual(
      expect.arrayContaining(['dist', 'fixpoint', 'monotone', 'output-range', 'universal']),
    );
  }, 180_000);
});
