/**
 * N_f from the certificate that decided a `universal` verdict, whatever its kind (issue 12 item 4, "verified
 * means verified"; docs/construction.md, "Certificates the compiler cannot cut into boxes"). `decide` names
 * the certificate (`DecidedCertificate`); each kind is turned into the network of its own proof:
 *
 * - certificates of src/engine/certificate.ts (the exhaustive search, the linear-unit condition, chain
 *   certificates) and the kinds written out as one (halving heads, shrinking chains, integer ReLU chains
 *   with and without fraction bits and with a −1 floor, closure thresholds, copy chains, feature pairs, idle
 *   chains, deep gadgets in kill mode, contraction chains): the composition lemma point by point with the
 *   certificate's own detectors, AND and emitters (§5.2, §8.3);
 * - start-term (§8.10), paired (§8.8) and modular (§8.9) idle certificates, deep gadgets in modular mode
 *   (§8.11) and boolean gadget certificates (§8.12, Proposition BG): the same composition with their emitters
 *   (copies of the delay, pairs (P, C), a prefix of constant chains read first) and output bias β_f;
 * - modular span (§10.8, Proposition MS), shift span and exact span (§10.10, Propositions SS and XS): blocks
 *   of spanning copies and a pair AND for d = 2.
 *
 * Nothing here is trusted: `construct` verifies the network on every input before it reports it.
 */

import { composePoints, type PointEmitter, type PointPlan } from '../constructions/point-composition.js';
import {
  exactSpanBlock,
  modularSpanBlock,
  shiftSpanBlock,
  spanNetwork,
} from '../constructions/span-composition.js';
import { type ArcCertificate, materializeArcCertificate } from '../engine/arc-certificate.js';
import type { BooleanGadgetCertificate } from '../engine/boolean-gadget-certificate.js';
import { modularCount, modularPlan, pairedCount, startCount } from '../engine/boolean-gadget-certificate.js';
import { Budget } from '../engine/budget.js';
import type { Certificate } from '../engine/certificate.js';
import { type ChainCertificate, materializeChainCertificate } from '../engine/chain-certificate.js';
import type { ContractionIdleCertificate } from '../engine/contraction-idle-certificate.js';
import {
  type CopyChainCertificate,
  materializeCopyChainCertificate,
} from '../engine/copy-chain-certificate.js';
import { type DeepGadgetCertificate, deepGadgetOutputBias } from '../engine/deep-gadget-certificate.js';
import { type DeepStartCertificate, deepStartCount } from '../engine/deep-start-certificate.js';
import type { ExactSpanCertificate } from '../engine/exact-span-certificate.js';
import {
  type FeaturePairCertificate,
  materializeFeaturePairCertificate,
} from '../engine/feature-pair-certificate.js';
import { chainGadget, type Gadget, parallel } from '../engine/gadget.js';
import {
  type HalvingHeadCertificate,
  materializeHalvingHeadCertificate,
} from '../engine/halving-head-certificate.js';
import {
  type IdleChainCertificate,
  idleChainDetector,
  materializeIdleChainCertificate,
} from '../engine/idle-chain-certificate.js';
import type { LayeredNet } from '../engine/layered-net.js';
import {
  type ModularIdleCertificate,
  modularDetector,
  modularEmitterWeights,
  modularOutputBias,
} from '../engine/modular-idle-certificate.js';
import type { ModularSpanCertificate } from '../engine/modular-span-certificate.js';
import { type PairedIdleCertificate, pairedEmitterWeights } from '../engine/paired-idle-certificate.js';
import type { Setting } from '../engine/setting.js';
import type { ShiftSpanCertificate } from '../engine/shift-span-certificate.js';
import { type StartIdleCertificate, startEmitterWeights } from '../engine/start-idle-certificate.js';
import { type ThresholdSpanCertificate, thresholdSpanTerms } from '../engine/threshold-span-certificate.js';
import { activationShape } from '../engine/wide/activation-shape.js';
import { materializeWideCertificate } from '../engine/wide/materialize-wide.js';
import { tabulatedShape } from '../engine/wide/tabulated-shape.js';
import { findWideCertificate } from '../engine/wide/wide-certificate.js';
import { wideSetting } from '../engine/wide/wide-setting.js';
import { wideSigma } from '../engine/wide/wide-sigma.js';
import type { Configuration } from './configuration.js';
import type { DecidedCertificate } from './verdict.js';

/** The kinds of certificate, by `decide`'s key, that are written out as a Certificate of §8.3. */
const AS_CERTIFICATE: Record<string, (s: Setting, c: never) => Certificate> = {
  classic: (_s, c: Certificate) => c,
  halvingHead: (s, c: HalvingHeadCertificate) => materializeHalvingHeadCertificate(s, c),
  shrinkChain: (s, c: ChainCertificate) => materializeChainCertificate(s, c),
  integerRelu: (s, c: ChainCertificate) => materializeChainCertificate(s, c),
  floorRelu: (s, c: ChainCertificate) => materializeChainCertificate(s, c),
  scaledRelu: (s, c: ChainCertificate) => materializeChainCertificate(s, c),
  closureChain: (s, c: ChainCertificate) => materializeChainCertificate(s, c),
  copyChain: (s, c: CopyChainCertificate) => materializeCopyChainCertificate(s, c),
  featurePair: (s, c: FeaturePairCertificate) => materializeFeaturePairCertificate(s, c),
  featurePairAll: (s, c: FeaturePairCertificate) => materializeFeaturePairCertificate(s, c),
  idleChain: (s, c: IdleChainCertificate) => materializeIdleChainCertificate(s, c),
};

/** The name of a kind in `construct`'s report (method `composition: …`). */
export const DECIDED_KIND_NAMES: Record<string, string> = {
  classic: 'certificate',
  halvingHead: 'halving-head certificate',
  shrinkChain: 'shrinking-chain certificate',
  integerRelu: 'integer ReLU chains',
  floorRelu: 'integer ReLU chains with a −1 floor',
  scaledRelu: 'integer ReLU chains with fraction bits',
  closureChain: 'closure-threshold chains',
  copyChain: 'copy-chain certificate',
  featurePair: 'feature-pair certificate',
  featurePairAll: 'feature-pair certificate with all weights',
  idleChain: 'idle chain certificate',
  start: 'start-term idle certificate',
  paired: 'paired idle certificate',
  modular: 'modular idle certificate',
  contraction: 'contraction idle certificate',
  deepGadget: 'deep gadget certificate',
  booleanGadget: 'boolean gadget certificate',
  span: 'modular span certificate',
  shiftSpan: 'shift span certificate',
  exactSpan: 'exact span certificate',
  thresholdSpan: 'threshold span certificate',
  arc: 'arc certificate',
  deepStart: 'deep start certificate',
  family: 'family certificate (analytic path)',
};

/** The kinds this module builds N_f for. */
export function decidedKindBuilt(key: string): boolean {
  return key in DECIDED_KIND_NAMES;
}

/**
 * The analytic path's family certificate (docs/theory.md §9.5) of a tabulated configuration, searched again
 * as `decide` searched it (σ's proven shape, or the shape read off its table), written out as a Certificate
 * of §8.3; a string when none is found.
 */
function familyCertificate(c: Configuration, s: Setting): Certificate | string {
  const shape = activationShape(c.activation) ?? tabulatedShape(s.sigma, s.min);
  if (typeof shape === 'string') return shape;
  const ws = wideSetting(c);
  const r = wideSigma(ws, shape);
  if (typeof r === 'string') return r;
  for (const tiledSplits of [false, true]) {
    const found = findWideCertificate(r, new Budget(), { tiledSplits });
    if (found.certificate) return materializeWideCertificate(s, found.certificate, ws);
  }
  return 'the family certificate search found none again';
}

/** `count` copies of the 1-input gadget `unit` side by side (as `parallel` would, in linear time). */
function copies(unit: Gadget, count: number): Gadget {
  const layers = unit.layers.map((layer, i) => {
    const width = i === 0 ? 0 : unit.layers[i - 1].length;
    const out = [];
    for (let j = 0; j < count; j++)
      for (const n of layer)
        out.push({
          bias: n.bias,
          edges: n.edges.map(([src, w]) => [i === 0 ? src : src + j * width, w] as const),
        });
    return out;
  });
  return { inputs: unit.inputs, layers };
}

/** E_y as `count` copies of `unit` read with the weights `ws` (one per output), or null for none. */
function emitterOf(unit: Gadget, ws: readonly number[], per = 1): PointEmitter | null {
  return ws.length === 0 ? null : { gadget: copies(unit, ws.length / per), weights: ws };
}

/** The composition lemma with a Certificate of §8.3 (idle terms killed by ω). */
export function certificatePlan(s: Setting, cert: Certificate): PointPlan {
  return {
    detector: (z) => cert.detectors[z - s.min],
    and: cert.and,
    emitter: (y) => {
      const em = cert.emitters[y - s.min];
      return em.weights.length === 0 ? null : em;
    },
    beta: () => cert.beta,
  };
}

function startPlan(s: Setting, c: StartIdleCertificate): PointPlan {
  const delay = chainGadget(c.delay);
  const start = c.start;
  return {
    detector: (z) => idleChainDetector(s, c, z),
    and: c.and,
    emitter: (y) => emitterOf(delay, startEmitterWeights(s, c, y)),
    // the prefix: copies of the constant chain K, read first by the output neuron
    extra: () =>
      start && start.copies > 0
        ? {
            emitter: {
              gadget: copies(chainGadget(start.chain), start.copies),
              weights: new Array(start.copies).fill(start.weight),
            },
            first: true,
          }
        : null,
    beta: () => c.beta,
  };
}

function pairedPlan(s: Setting, c: PairedIdleCertificate): PointPlan {
  const pair = parallel(chainGadget(c.delay), chainGadget(c.constant));
  return {
    detector: (z) => idleChainDetector(s, c, z),
    and: c.and,
    emitter: (y) => {
      const ws = pairedEmitterWeights(s, c, y);
      return emitterOf(
        pair,
        ws.flatMap((w) => [w, -w]),
        2,
      );
    },
    beta: () => c.beta,
  };
}

function modularPlanOf(s: Setting, c: ModularIdleCertificate): PointPlan {
  const delay = chainGadget(c.delay);
  return {
    detector: (z) => modularDetector(s, c, z),
    and: c.and,
    emitter: (y) => emitterOf(delay, modularEmitterWeights(s, c, y)),
    beta: (values) => modularOutputBias(s, c, values),
  };
}

function deepPlan(s: Setting, c: DeepGadgetCertificate): PointPlan {
  const base = certificatePlan(s, c.certificate);
  return c.mode === 'kill' ? base : { ...base, beta: (values) => deepGadgetOutputBias(s, c, [...values]) };
}

/** Proposition DS (§8.14): the prefix of K read first, then k_y copies of P read with ω, β. */
function deepStartPlan(s: Setting, c: DeepStartCertificate): PointPlan {
  const p = c.prefix;
  return {
    detector: (z) => c.detectors[z - s.min],
    and: c.and,
    emitter: (y) => emitterOf(c.delay, new Array(deepStartCount(s, c, y) ?? 0).fill(c.unit)),
    extra: () =>
      p.count > 0
        ? {
            emitter: { gadget: copies(p.gadget, p.count), weights: new Array(p.count).fill(p.weight) },
            first: true,
          }
        : null,
    beta: () => c.beta,
  };
}

function booleanPlan(s: Setting, c: BooleanGadgetCertificate): PointPlan {
  const plan: PointPlan = {
    detector: (z) => c.detectors[z - s.min],
    and: c.and,
    emitter: () => null,
    beta: () => c.beta,
  };
  if (c.kind === 'paired') {
    const pair = parallel(c.delay, c.constant as Gadget);
    return {
      ...plan,
      emitter: (y) => {
        const k = pairedCount(s, c, y) ?? 0;
        const ws: number[] = [];
        for (let j = 0; j < Math.abs(k); j++) ws.push(Math.sign(k) * c.unit, -Math.sign(k) * c.unit);
        return emitterOf(pair, ws, 2);
      },
    };
  }
  if (c.kind === 'start') {
    const prefix = c.prefix;
    return {
      ...plan,
      emitter: (y) => emitterOf(c.delay, new Array(startCount(s, c, y) ?? 0).fill(c.unit)),
      extra: () =>
        prefix && prefix.count > 0
          ? {
              emitter: {
                gadget: copies(prefix.gadget, prefix.count),
                weights: new Array(prefix.count).fill(prefix.weight),
              },
              first: true,
            }
          : null,
    };
  }
  return {
    ...plan,
    emitter: (y) => emitterOf(c.delay, new Array(Math.max(0, modularCount(s, c, y))).fill(c.unit)),
    // the dummy copies of C that make the idle products a multiple of 2^F; β_f cancels them modulo N
    extra: (values) => {
      const { dummies } = modularPlan(s, c, [...values]);
      return dummies > 0
        ? {
            emitter: {
              gadget: copies(c.constant as Gadget, dummies),
              weights: new Array(dummies).fill(c.unit),
            },
            first: false,
          }
        : null;
    },
    beta: (values) => modularPlan(s, c, [...values]).beta,
  };
}

/**
 * N_f for `table` (one code per point of 𝕀^d, x1 slowest) from the certificate `found` (a layered net:
 * hidden layers σ_F, the last layer the identity output neuron), or a string saying why this kind has none.
 */
export function decidedNetwork(
  config: Configuration,
  s: Setting,
  found: DecidedCertificate,
  table: Int32Array,
  d: number,
): (LayeredNet & { readonly trees: number }) | string {
  const { key } = found;
  if (key === 'family') {
    const cert = familyCertificate(config, s);
    if (typeof cert === 'string') return `the family certificate that decided the verdict: ${cert}`;
    return composePoints(s, certificatePlan(s, cert), table, d);
  }
  const c = found.certificate;
  if (c === null || c === undefined || !decidedKindBuilt(key))
    return `the ${DECIDED_KIND_NAMES[key] ?? key} that decided the verdict is not written out as a network`;
  const as = AS_CERTIFICATE[key];
  if (as) return composePoints(s, certificatePlan(s, as(s, c as never)), table, d);
  switch (key) {
    case 'start':
      return composePoints(s, startPlan(s, c as StartIdleCertificate), table, d);
    case 'paired':
      return composePoints(s, pairedPlan(s, c as PairedIdleCertificate), table, d);
    case 'modular':
      return composePoints(s, modularPlanOf(s, c as ModularIdleCertificate), table, d);
    case 'contraction': {
      const cc = c as ContractionIdleCertificate;
      return cc.form === 'chain'
        ? composePoints(s, certificatePlan(s, materializeIdleChainCertificate(s, cc.certificate)), table, d)
        : composePoints(s, startPlan(s, cc.certificate), table, d);
    }
    case 'deepGadget':
      return composePoints(s, deepPlan(s, c as DeepGadgetCertificate), table, d);
    case 'deepStart':
      return composePoints(s, deepStartPlan(s, c as DeepStartCertificate), table, d);
    case 'arc':
      return composePoints(s, deepPlan(s, materializeArcCertificate(s, c as ArcCertificate)), table, d);
    case 'booleanGadget':
      return composePoints(s, booleanPlan(s, c as BooleanGadgetCertificate), table, d);
    case 'span':
    case 'shiftSpan':
    case 'thresholdSpan':
    case 'exactSpan': {
      if (d > 2) return `the ${DECIDED_KIND_NAMES[key]}'s network is written for d ≤ 2 (d = ${d})`;
      // Lemma XT's certificate is Proposition XS's terms, written out by `thresholdSpanTerms`
      const exact =
        key === 'thresholdSpan'
          ? thresholdSpanTerms(c as ThresholdSpanCertificate)
          : (c as ExactSpanCertificate);
      const block =
        key === 'span'
          ? modularSpanBlock(s, c as ModularSpanCertificate)
          : key === 'shiftSpan'
            ? shiftSpanBlock(s, c as ShiftSpanCertificate)
            : exactSpanBlock(s, exact);
      return spanNetwork(
        s,
        key === 'thresholdSpan' ? exact : (c as { p: number; k: number }),
        d,
        table,
        block,
      );
    }
  }
  return `the ${DECIDED_KIND_NAMES[key] ?? key} that decided the verdict is not written out as a network`;
}
