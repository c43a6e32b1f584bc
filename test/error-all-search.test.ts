/**
 * Overflow `error` with all weights at 16 bits (docs/theory.md §10.6, §9.7): the search aids that decided the
 * `errall` cells, each found certificate checked on small formats by the exhaustive verifier and by networks
 * run on the BigInt reference evaluator (which raises on any overflow, so an emitter whose partial sums
 * leave the range fails here):
 * - chain certificates whose threshold chains start with a gain step ±½, ±(½ ± ε), or with σ_F(±x) and a shift
 *   (toward-zero, sequential accumulation);
 * - idle chain certificates with a one-sign emitter rule and the bias first (β = max or min);
 * - paired idle certificates (exact accumulation) with gain first steps.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifyCertificate } from '../src/engine/certificate.js';
import {
  findChainCertificate,
  materializeChainCertificate,
  verifyChainCertificate,
} from '../src/engine/chain-certificate.js';
import { chainGadget, type Gadget, parallel, stack } from '../src/engine/gadget.js';
import {
  findIdleChainCertificate,
  idleChainDetector,
  materializeIdleChainCertificate,
  verifyIdleChainCertificate,
} from '../src/engine/idle-chain-certificate.js';
import { idleEmitterRule, idleEmitterWeights, verifyIdleEmitters } from '../src/engine/idle-emitters.js';
import {
  findPairedIdleCertificate,
  verifyPairedIdleCertificate,
} from '../src/engine/paired-idle-certificate.js';
import { type Configuration, makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { toNetwork } from '../src/expressivity/construct.js';
import type { Network } from '../src/network/network.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';
import { randomTable } from '../src/prng.js';
import { compilePaired } from './paired-network.js';

/** f computed by the network on every input (undefined: it raised on some input). */
function computes(net: Network, f: ArrayLike<number>, min: number, max: number): boolean {
  for (let x = min; x <= max; x++) {
    let y: number;
    try {
      y = Number(evaluateReference(net, [BigInt(x)])[0]);
    } catch {
      return false;
    }
    if (y !== f[x - min]) return false;
  }
  return true;
}

describe('chain certificates under error: gain heads and σ_F(±x) heads', () => {
  it('relu, toward-zero, sequential on SQ3.3 and SQ2.4: found, some chain starts with σ_F(±x) then a shift, exhaustive check passes', () => {
    for (const format of ['SQ3.3', 'SQ2.4']) {
      const c = makeConfiguration({ activation: 'relu', format, overflow: 'error', rounding: 'toward-zero' });
      const s = settingOf(c);
      const cert = findChainCertificate(s).certificate;
      expect(cert, format).not.toBeNull();
      expect(verifyChainCertificate(s, cert!)).toBeNull();
      const heads = [...cert!.ge, ...cert!.le].filter(
        (ch) =>
          ch &&
          ch.length >= 2 &&
          Math.abs(ch[0][0]) === s.one &&
          ch[0][1] === 0 &&
          Math.abs(ch[1][0]) === s.one,
      );
      expect(heads.length, format).toBeGreaterThan(0);
      expect(verifyCertificate(s, materializeChainCertificate(s, cert!))).toBeNull();
    }
  });

  it('a property over activations, roundings, accumulations and bias orders (5–6 bits): every certificate passes the exhaustive verifier', () => {
    let found = 0;
    fc.assert(
      fc.property(
        fc.constantFrom('relu', 'tanh', 'silu', 'gelu', 'elu', 'hard-swish', 'mish', 'identity', 'step'),
        fc.constantFrom('Q2.3', 'SQ2.3', 'Q1.4', 'SQ3.2', 'Q2.4'),
        fc.constantFrom('toward-zero', 'nearest-away', 'nearest-zero', 'nearest-even', 'ceil'),
        fc.constantFrom('sequential', 'exact'),
        fc.constantFrom('first', 'last'),
        (activation, format, rounding, accumulation, bias) => {
          const c = makeConfiguration({
            activation,
            format,
            overflow: 'error',
            rounding,
            accumulation,
            bias,
          });
          const s = settingOf(c);
          if (!s.sigma.includes(0)) return;
          const cert = findChainCertificate(s).certificate;
          if (!cert) return;
          found++;
          expect(verifyCertificate(s, materializeChainCertificate(s, cert))).toBeNull();
        },
      ),
      { numRuns: 24, seed: 5 },
    );
    expect(found).toBeGreaterThan(10);
  });
});

/** N_f for d = 1 from an idle chain certificate: D_z then E_{f(z)} (copies of P), one identity output neuron. */
function compileIdle(
  c: Configuration,
  cert: NonNullable<ReturnType<typeof findIdleChainCertificate>['certificate']>,
  f: ArrayLike<number>,
): Network {
  const s = settingOf(c);
  let g: Gadget | null = null;
  const weights: number[] = [];
  for (let z = s.min; z <= s.max; z++) {
    const ws = idleEmitterWeights(cert.emitters, f[z - s.min]);
    if (ws.length === 0) continue;
    let em = chainGadget(cert.delay);
    for (let j = 1; j < ws.length; j++) em = parallel(em, chainGadget(cert.delay));
    const tree = stack(idleChainDetector(s, cert, z), em);
    g = g ? parallel(g, tree) : tree;
    weights.push(...ws);
  }
  const output = { bias: cert.beta, edges: weights.map((w, j) => [j, w] as [number, number]) };
  return toNetwork(c, { inputs: 1, layers: [...(g?.layers ?? []), [output]] });
}

describe('idle chain certificates with one-sign emitters (ceil: ω ⊗ ι = 0 forces ω ≤ 0)', () => {
  it('sigmoid, ceil, bias first on Q2.3 and SQ2.3: β = max, exhaustive check and compiled networks (no overflow on any input)', () => {
    for (const format of ['Q2.3', 'SQ2.3']) {
      const c = makeConfiguration({
        activation: 'sigmoid',
        format,
        overflow: 'error',
        rounding: 'ceil',
        bias: 'first',
      });
      const s = settingOf(c);
      expect(s.sigma.includes(0)).toBe(false);
      const cert = findIdleChainCertificate(s).certificate;
      expect(cert, format).not.toBeNull();
      expect(cert!.beta).toBe(s.max);
      expect(cert!.emitters.up).toBeNull();
      expect(verifyIdleChainCertificate(s, cert!)).toBeNull();
      expect(verifyCertificate(s, materializeIdleChainCertificate(s, cert!))).toBeNull();
      for (const seed of [1, 2, 3]) {
        const f = randomTable(s.size, s.min, s.max, seed);
        expect(computes(compileIdle(c, cert!, f), f, s.min, s.max), `${format} seed ${seed}`).toBe(true);
      }
      // the rule is written for β = max: any other β is rejected by the check of every y
      expect(verifyIdleEmitters(s, cert!.a, cert!.idle, s.max - 1, cert!.emitters)).not.toBeNull();
    }
  });

  it('with the bias last a one-sign rule is refused (the partial sums before β would leave the range)', () => {
    const c = makeConfiguration({
      activation: 'sigmoid',
      format: 'Q2.3',
      overflow: 'error',
      rounding: 'ceil',
      bias: 'last',
    });
    const s = settingOf(c);
    expect(idleEmitterRule(s, 2, 1, 1)).toMatch(/positive term/);
    const first = settingOf(
      makeConfiguration({
        activation: 'sigmoid',
        format: 'Q2.3',
        overflow: 'error',
        rounding: 'ceil',
        bias: 'first',
      }),
    );
    const rule = idleEmitterRule(first, 2, 1, 1);
    expect(typeof rule === 'string' ? rule : rule.offset).toBe(first.max);
  });
});

describe('paired idle certificates under error with gain first steps (exact accumulation)', () => {
  it('sigmoid on Q0.4 and Q1.4 (nearest-away, nearest-down): compiled networks compute random f on every input', () => {
    let found = 0;
    for (const format of ['Q0.4', 'Q1.4'])
      for (const rounding of ['nearest-away', 'nearest-down']) {
        const c = makeConfiguration({
          activation: 'sigmoid',
          format,
          overflow: 'error',
          rounding,
          accumulation: 'exact',
        });
        const s = settingOf(c);
        const cert = findPairedIdleCertificate(s).certificate;
        if (!cert) continue;
        found++;
        expect(verifyPairedIdleCertificate(s, cert)).toBeNull();
        for (const seed of [4, 5]) {
          const f = randomTable(s.size, s.min, s.max, seed);
          expect(computes(compilePaired(c, cert, f), f, s.min, s.max), `${format} ${rounding}`).toBe(true);
        }
      }
    expect(found).toBeGreaterThan(1);
  });
});
