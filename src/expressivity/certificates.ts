import { type Certificate, findCertificate, type SearchReport } from '../engine/certificate.js';
import { type Gadget, gadgetNeurons, gadgetParameters } from '../engine/gadget.js';
import {
  type LinearUnitCondition,
  linearUnitCondition,
  verifiedLinearUnitCertificate,
} from '../engine/linear-unit-condition.js';
import type { Setting } from '../engine/setting.js';
import { codeToDecimal } from '../value.js';
import { type Configuration, configurationKey, settingOf } from './configuration.js';

/** A certificate for a configuration and where it came from. */
export interface CertificateResult {
  readonly setting: Setting;
  /** The search's report; its certificate is the linear-unit one when the search found none. */
  readonly report: SearchReport;
  /** `search`, `linear-unit` (the analytic condition's proof, docs/theory.md §5) or null: none. */
  readonly source: 'search' | 'linear-unit' | null;
  /** The analytic sufficient condition, evaluated for every configuration. */
  readonly analytic: LinearUnitCondition;
}

const cache = new Map<string, CertificateResult>();

/**
 * The certificate of a configuration, cached per configuration for the process: the search's, or else
 * the one the linear-unit condition's proof builds. Both are verified on every input of each gadget.
 */
export function certificateFor(c: Configuration): CertificateResult {
  const key = configurationKey(c);
  let hit = cache.get(key);
  if (!hit) {
    const setting = settingOf(c);
    const analytic = linearUnitCondition(setting);
    const search = findCertificate(setting);
    const proof = search.certificate ? null : verifiedLinearUnitCertificate(setting, analytic);
    const report = proof
      ? {
          certificate: proof,
          tried: [...search.tried, 'the linear-unit condition holds: its certificate (docs/theory.md §5)'],
        }
      : search;
    const source = search.certificate ? 'search' : proof ? 'linear-unit' : null;
    hit = { setting, report, source, analytic };
    cache.set(key, hit);
  }
  return hit;
}

/**
 * A certificate's levels and the sizes of its gadgets (the largest detector, AND, delay, the largest
 * emitter): `a` the active value (`e`, its former name, kept), `idle` the idle set I (["0"] for the
 * classical template), `omega` the readout weight ω (ω ⊗ i = 0 for i ∈ I, ω ⊗ a ≠ 0).
 */
export interface CertificateSummary {
  readonly e: string;
  readonly a: string;
  readonly idle: readonly string[];
  readonly omega: string;
  readonly detector: { parameters: number; neurons: number; depth: number };
  readonly and: { parameters: number; depth: number };
  readonly delay: { parameters: number; depth: number };
  readonly emitter: { parameters: number; depth: number; maxTerms: number };
  readonly beta: string;
}

export function summarize(s: Setting, cert: Certificate): CertificateSummary {
  const biggest = (gs: readonly Gadget[]) =>
    gs.reduce((a, g) => (gadgetParameters(g) > gadgetParameters(a) ? g : a), gs[0]);
  const det = biggest(cert.detectors);
  const em = biggest(cert.emitters.map((x) => x.gadget));
  const dec = (code: number) => codeToDecimal(BigInt(code), s.format);
  return {
    e: dec(cert.e),
    a: dec(cert.e),
    idle: cert.idle.map(dec),
    omega: dec(cert.omega),
    detector: { parameters: gadgetParameters(det), neurons: gadgetNeurons(det), depth: det.layers.length },
    and: { parameters: gadgetParameters(cert.and), depth: cert.and.layers.length },
    delay: { parameters: gadgetParameters(cert.delay), depth: cert.delay.layers.length },
    emitter: {
      parameters: gadgetParameters(em),
      depth: em.layers.length,
      maxTerms: cert.emitters.reduce((m, x) => Math.max(m, x.weights.length), 0),
    },
    beta: codeToDecimal(BigInt(cert.beta), s.format),
  };
}

/**
 * A certificate as JSON: its levels (a, also as `e`; the idle set I; the readout weight ω) and every
 * gadget with decimal weights and biases (THEORY §5.2, docs/theory.md §8).
 */
export function certificateToJson(c: Configuration, s: Setting, cert: Certificate): object {
  const dec = (code: number) => codeToDecimal(BigInt(code), s.format);
  const gadget = (g: Gadget) => ({
    inputs: g.inputs,
    layers: g.layers.map((layer) =>
      layer.map((n) => ({ bias: dec(n.bias), edges: n.edges.map(([src, w]) => [src, dec(w)]) })),
    ),
  });
  return {
    fxnnCertificate: 1,
    format: c.format.spec,
    activation: c.activation.json,
    rounding: c.policy.rounding,
    overflow: c.policy.overflow,
    accumulation: c.accumulation,
    bias: c.bias,
    weights: c.weights,
    e: dec(cert.e),
    a: dec(cert.e),
    idle: cert.idle.map(dec),
    omega: dec(cert.omega),
    detectors: cert.detectors.map((g, i) => ({ z: dec(s.min + i), network: gadget(g) })),
    and: gadget(cert.and),
    delay: gadget(cert.delay),
    beta: dec(cert.beta),
    emitters: cert.emitters.map((em, i) => ({
      y: dec(s.min + i),
      network: gadget(em.gadget),
      weights: em.weights.map(dec),
    })),
  };
}
