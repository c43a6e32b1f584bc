import { Budget, BudgetExceeded } from '../engine/budget.js';
import { type Certificate, findCertificate, type SearchReport } from '../engine/certificate.js';
import {
  type ChainCertificate,
  type ChainSearchReport,
  chainReadout,
  findChainCertificate,
  largestChainDetector,
  linearUnitChainCertificate,
  materializeChainCertificate,
  verifyChainCertificate,
} from '../engine/chain-certificate.js';
import type { Step } from '../engine/chain-solver.js';
import { chainGadget, type Gadget, gadgetNeurons, gadgetParameters } from '../engine/gadget.js';
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
  /**
   * The search's report; its certificate is the linear-unit one when the search found none. For a chain
   * certificate (large formats) `report.certificate` builds every detector on first access.
   */
  readonly report: SearchReport;
  /**
   * `search`, `linear-unit` (the analytic condition's proof, docs/theory.md §5), `chain` (a chain
   * certificate, docs/theory.md §9) or null: none.
   */
  readonly source: 'search' | 'linear-unit' | 'chain' | null;
  /** The analytic sufficient condition, evaluated for every configuration. */
  readonly analytic: LinearUnitCondition;
  /** The chain certificate when `source` is `chain`. */
  readonly chain: ChainCertificate | null;
  /** The sizes of the certificate's gadgets (without building every detector), null without one. */
  readonly summary: CertificateSummary | null;
  /** The budget that stopped the search before it finished, or null. */
  readonly stopped: string | null;
  /**
   * Formats of at most 256 values searched with `firstShare`: the budget that stopped the exhaustive
   * search's first, short pass (`decide` tries the other searches, then resumes it with `resumeExhaustive`),
   * else null or absent.
   */
  readonly deferred?: string | null;
}

/**
 * The share of the time left that `decide` gives the exhaustive search's first pass (docs/theory.md §10.6,
 * "Random cells"): it finds most certificates well within it; when it runs out, the cheaper searches of
 * `decide` run first and the exhaustive search resumes after them with what is left.
 */
export const EXHAUSTIVE_FIRST_SHARE = 1 / 8;

/** Formats up to this many values use the exhaustive search; larger ones chain certificates. */
export const EXHAUSTIVE_SEARCH_VALUES = 256;

/**
 * At most this many results are kept (oldest out first): a process that decides many configurations (the
 * map, the scans, the web explorer) would otherwise keep every setting and certificate it ever built.
 */
export const CERTIFICATE_CACHE_ENTRIES = 64;

const cache = new Map<string, CertificateResult>();

function remember(key: string, result: CertificateResult): void {
  cache.delete(key);
  if (cache.size >= CERTIFICATE_CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
  cache.set(key, result);
}

/**
 * The certificate of a configuration, cached per configuration for the process. Formats of at most 256
 * values: the search's, or else the one the linear-unit condition's proof builds, both verified on every
 * input of each gadget. Larger formats: a chain certificate (docs/theory.md §9), verified by interval
 * images in O(|𝕀|), within `budget`; when it runs out, `stopped` names it.
 */
export function certificateFor(
  c: Configuration,
  budget: Budget = new Budget(),
  options: { firstShare?: number } = {},
): CertificateResult {
  const key = configurationKey(c);
  let hit = cache.get(key);
  if (!hit) {
    const setting = settingOf(c);
    hit =
      setting.size <= EXHAUSTIVE_SEARCH_VALUES
        ? options.firstShare === undefined
          ? exhaustiveResult(setting)
          : exhaustiveResult(setting, budget.slice(options.firstShare), true)
        : chainResult(setting, budget);
    // large results hold |𝕀| chains: keep one at a time
    if (setting.size > EXHAUSTIVE_SEARCH_VALUES)
      for (const [k, v] of cache) if (v.setting.size > EXHAUSTIVE_SEARCH_VALUES) cache.delete(k);
    if (hit.stopped === null && !hit.deferred) remember(key, hit);
  }
  return hit;
}

/**
 * The exhaustive search resumed after its first pass stopped (`deferred`), within `budget`; `stopped`
 * names the budget when it runs out again. A finished result is cached like `certificateFor`'s.
 */
export function resumeExhaustive(c: Configuration, budget: Budget): CertificateResult {
  const known = cache.get(configurationKey(c));
  if (known) return known;
  const setting = settingOf(c);
  const result = exhaustiveResult(setting, budget);
  if (result.deferred) return { ...result, deferred: null, stopped: result.deferred };
  remember(configurationKey(c), result);
  return result;
}

/**
 * The exhaustive search (formats of at most 256 values); with `time`, stopped when it runs out (the result
 * is then `deferred`, unless the linear-unit condition's certificate, checked on every input, decides).
 */
function exhaustiveResult(setting: Setting, time?: Budget, firstPass = false): CertificateResult {
  const analytic = linearUnitCondition(setting);
  let search: SearchReport;
  try {
    search = findCertificate(setting, time);
  } catch (e) {
    if (!(e instanceof BudgetExceeded)) throw e;
    // a first pass (`decide` resumes it) or the last word (`resumeExhaustive`: `decide` names the budget)
    search = {
      certificate: null,
      tried: [firstPass ? `${e.message} (its first pass; resumed after the searches below)` : e.message],
    };
    const proof = verifiedLinearUnitCertificate(setting, analytic);
    if (!proof)
      return {
        setting,
        report: search,
        source: null,
        analytic,
        chain: null,
        summary: null,
        stopped: null,
        deferred: e.budget,
      };
  }
  const proof = search.certificate ? null : verifiedLinearUnitCertificate(setting, analytic);
  const report = proof
    ? {
        certificate: proof,
        tried: [...search.tried, 'the linear-unit condition holds: its certificate (docs/theory.md §5)'],
      }
    : search;
  const source = search.certificate ? 'search' : proof ? 'linear-unit' : null;
  const summary = report.certificate ? summarize(setting, report.certificate) : null;
  return { setting, report, source, analytic, chain: null, summary, stopped: null };
}

function chainResult(setting: Setting, budget: Budget): CertificateResult {
  const analytic = linearUnitCondition(setting);
  // analytic first: the linear-unit proof's certificate, checked in O(|𝕀|) by interval images
  const proof = linearUnitChainCertificate(setting, analytic);
  if (proof) {
    const broken = verifyChainCertificate(setting, proof, budget);
    // the theorem says this cannot happen; a failure is a bug in the proof or its implementation
    if (broken) throw new Error(`linear-unit certificate fails on ${setting.format.spec}: ${broken}`);
    let built: Certificate | null = null;
    const report: SearchReport = {
      tried: [
        'the linear-unit condition holds: its certificate (docs/theory.md §5), checked as a chain certificate (§9)',
      ],
      get certificate() {
        if (!built) built = materializeChainCertificate(setting, proof);
        return built;
      },
    };
    const summary = summarizeChain(setting, proof);
    return { setting, report, source: 'linear-unit', analytic, chain: proof, summary, stopped: null };
  }
  let found: ChainSearchReport;
  try {
    found = findChainCertificate(setting, budget);
  } catch (e) {
    if (!(e instanceof BudgetExceeded)) throw e;
    const report = { certificate: null, tried: [e.message] };
    return { setting, report, source: null, analytic, chain: null, summary: null, stopped: e.budget };
  }
  const chain = found.certificate;
  let built: Certificate | null = null;
  const report: SearchReport = {
    tried: found.tried,
    get certificate() {
      if (chain && !built) built = materializeChainCertificate(setting, chain);
      return built;
    },
  };
  const summary = chain ? summarizeChain(setting, chain) : null;
  return { setting, report, source: chain ? 'chain' : null, analytic, chain, summary, stopped: null };
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

/** The summary of a chain certificate: its largest detector is built alone, emitters are read as they are. */
export function summarizeChain(s: Setting, c: ChainCertificate): CertificateSummary {
  return summarizeChainShaped(s, c, largestChainDetector(s, c));
}

/**
 * The summary of a certificate of the chain shape (one e and idle value 0, the chain readout ω, one AND,
 * one delay, emitters and β; feature-pair certificates too), given its largest detector.
 */
export function summarizeChainShaped(
  s: Setting,
  c: Pick<ChainCertificate, 'e' | 'and' | 'delay' | 'emitters' | 'beta'>,
  det: Gadget,
): CertificateSummary {
  // emitters share gadget objects (fan emitters: one gadget of thousands of edges): count each once
  const sizes = new Map<Gadget, number>();
  const size = (g: Gadget) => {
    let n = sizes.get(g);
    if (n === undefined) sizes.set(g, (n = gadgetParameters(g)));
    return n;
  };
  const em = c.emitters.reduce((a, x) => (size(x.gadget) > size(a) ? x.gadget : a), c.emitters[0].gadget);
  const delay = chainGadget(c.delay);
  const dec = (code: number) => codeToDecimal(BigInt(code), s.format);
  return {
    e: dec(c.e),
    a: dec(c.e),
    idle: ['0'],
    omega: dec(chainReadout(s, c)),
    detector: { parameters: gadgetParameters(det), neurons: gadgetNeurons(det), depth: det.layers.length },
    and: { parameters: gadgetParameters(c.and), depth: c.and.layers.length },
    delay: { parameters: gadgetParameters(delay), depth: delay.layers.length },
    emitter: {
      parameters: gadgetParameters(em),
      depth: em.layers.length,
      maxTerms: c.emitters.reduce((m, x) => Math.max(m, x.weights.length), 0),
    },
    beta: dec(c.beta),
  };
}

/**
 * The summary of an idle-set certificate in chain form (§8.8–§8.10, §9.7: levels a and ι, one AND, one
 * delay P), given its largest detector, its readout weight, its largest emitter and its output bias.
 */
export function summarizeIdleShaped(
  s: Setting,
  c: { readonly a: number; readonly idle: number; readonly delay: readonly Step[]; readonly and: Gadget },
  detector: Gadget,
  omega: number,
  emitter: { parameters: number; maxTerms: number },
  beta: string,
): CertificateSummary {
  const delay = chainGadget(c.delay);
  const dec = (code: number) => codeToDecimal(BigInt(code), s.format);
  return {
    e: dec(c.a),
    a: dec(c.a),
    idle: [dec(c.idle)],
    omega: dec(omega),
    detector: {
      parameters: gadgetParameters(detector),
      neurons: gadgetNeurons(detector),
      depth: detector.layers.length,
    },
    and: { parameters: gadgetParameters(c.and), depth: c.and.layers.length },
    delay: { parameters: gadgetParameters(delay), depth: delay.layers.length },
    emitter: { ...emitter, depth: delay.layers.length },
    beta,
  };
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

/** How many results the cache holds now (at most `CERTIFICATE_CACHE_ENTRIES`). */
export function certificateCacheSize(): number {
  return cache.size;
}
