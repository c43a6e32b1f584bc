import { CONSTRUCTION_NAMES, compileTable } from '../constructions/registry.js';
import { Budget } from '../engine/budget.js';
import type { Certificate } from '../engine/certificate.js';
import { type LayeredNet, layeredSize } from '../engine/layered-net.js';
import type { Setting } from '../engine/setting.js';
import { SparseEvaluator } from '../engine/sparse-evaluator.js';
import { check, FxnnError } from '../errors.js';
import { makeNetwork, type Network } from '../network/network.js';
import { evaluateAllInputs, SweepTooLarge } from '../network/sweep-evaluator.js';
import type { TargetFunction } from '../target/target-function.js';
import { certificateFor } from './certificates.js';
import { type Configuration, checkCommand, settingOf } from './configuration.js';
import { DECIDED_KIND_NAMES, decidedNetwork } from './decided-network.js';
import { type DecidedCertificate, decide } from './verdict.js';

/** The largest domain |𝕀|^d the compiler takes on. */
export const MAX_CONSTRUCT_POINTS = 2 ** 20;

export interface ConstructReport {
  readonly network: Network;
  readonly size: { parameters: number; neurons: number; depth: number; width: number };
  /** Parameters of the construction without box compression (every point its own box); computed up to 4096 points. */
  readonly plainParameters: number | null;
  /** The chosen construction's plan (a lower bound on its parameters, exact for two-level), if it had one. */
  readonly predictedParameters: number | null;
  readonly lowerBound: number;
  readonly ratio: number;
  readonly boxes: number;
  /**
   * Which construction was smallest (or forced): boxes, rows, steps, two-level, … (src/constructions/), or
   * `composition (KIND)`: N_f from the certificate of that kind that decided the verdict, when no construction
   * could use a certificate (docs/construction.md, "Certificates the compiler cannot cut into boxes").
   */
  readonly method: string;
  readonly verifiedInputs: number;
  /** The target's codes and the network's outputs on every input (x1 slowest). */
  readonly target: Int32Array;
  readonly outputs: Int32Array;
  /** Phases in ms; `certificate` is 0 when no construction needed the certificate (two-level). */
  readonly millis: { certificate: number; table: number; compile: number; verify: number };
}

/** Every input of 𝕀^d in lexicographic order (x1 slowest) → f's code, as numbers. */
export function tabulate(target: TargetFunction, s: Setting, d: number): Int32Array {
  const points = s.size ** d;
  const table = new Int32Array(points);
  const x: bigint[] = new Array(d).fill(0n);
  for (let i = 0; i < points; i++) {
    let rest = i;
    for (let k = d - 1; k >= 0; k--) {
      x[k] = BigInt(s.min + (rest % s.size));
      rest = Math.floor(rest / s.size);
    }
    table[i] = Number(target.codeAt(x));
  }
  return table;
}

/** Progress of a construction: phases, and the inputs verified so far. */
export interface ConstructProgress {
  /** A phase starts: `certificate`, `target`, `compile`, `verify`. */
  phase?(name: 'certificate' | 'target' | 'compile' | 'verify'): void;
  /** Every 4096 verified inputs (may throw to stop the run, e.g. when the estimate exceeds a budget). */
  verified?(done: number, total: number): void;
}

/**
 * Checks a compiled net on every input; throws (a bug) on the first mismatch. Returns the outputs. The
 * network as `toNetwork` exports it is evaluated by the sweep evaluator of `src/network/` (its own
 * arithmetic and activation lookups, checked against the BigInt reference), which falls back to the
 * engine's point-by-point `SparseEvaluator` only when a layer changes value too often for its memory
 * bound.
 */
export function verifyOnAll(
  s: Setting,
  net: LayeredNet,
  table: Int32Array,
  d: number,
  progress?: ConstructProgress,
  network?: Network,
): Int32Array {
  const points = table.length;
  let outputs: Int32Array | null = null;
  let overflow: Uint8Array | null = null;
  if (network) {
    // progress as the share of parameters swept so far (a layer's work grows with its edges)
    const done: number[] = [0];
    for (const layer of network.layers)
      done.push(done[done.length - 1] + layer.neurons.reduce((p, n) => p + n.edges.length + 1, 0));
    const total = done[done.length - 1];
    try {
      const r = evaluateAllInputs(network, {
        progress: (l) => progress?.verified?.(Math.round((points * done[l]) / total), points),
      });
      outputs = r.outputs[0];
      overflow = r.overflow;
    } catch (e) {
      if (!(e instanceof SweepTooLarge)) throw e;
      if (d === 1) [outputs, overflow] = sweepInChunks(network, points, progress) ?? [null, null];
    }
  }
  if (!outputs) return verifyPointByPoint(s, net, table, d, progress);
  for (let i = 0; i < points; i++) {
    if (outputs[i] !== table[i] || overflow?.[i] === 1) {
      const x: number[] = [];
      let rest = i;
      for (let k = d - 1; k >= 0; k--) {
        x[k] = s.min + (rest % s.size);
        rest = Math.floor(rest / s.size);
      }
      const got = overflow?.[i] === 1 ? 'an overflow' : `code ${outputs[i]}`;
      throw new Error(
        `internal error: the constructed network gives ${got} instead of ${table[i]} at input ${x.join(',')}`,
      );
    }
  }
  return outputs;
}

/**
 * The sweep over runs of consecutive inputs (d = 1), for a network one of whose layers changes too often
 * over the whole domain (two-level-periodic's first layer for σ_F without a top plateau): a run that is
 * still too large is halved. The same evaluator and semantics on every input; null below 1024 inputs.
 */
function sweepInChunks(
  network: Network,
  points: number,
  progress?: ConstructProgress,
): [Int32Array, Uint8Array | null] | null {
  const outputs = new Int32Array(points);
  let overflow: Uint8Array | null = null;
  let run = points >> 4;
  for (let first = 0; first < points; ) {
    const count = Math.min(run, points - first);
    try {
      const r = evaluateAllInputs(network, { first, count });
      outputs.set(r.outputs[0], first);
      if (r.overflow) (overflow ??= new Uint8Array(points)).set(r.overflow, first);
      first += count;
      progress?.verified?.(first, points);
    } catch (e) {
      if (!(e instanceof SweepTooLarge)) throw e;
      if (run <= 1024) return null;
      run >>= 1;
    }
  }
  return [outputs, overflow];
}

/** `verifyOnAll` point by point with the engine's `SparseEvaluator`. */
function verifyPointByPoint(
  s: Setting,
  net: LayeredNet,
  table: Int32Array,
  d: number,
  progress?: ConstructProgress,
): Int32Array {
  const ev = new SparseEvaluator(s, net);
  if (d > 1) ev.factor(Array.from({ length: s.size }, (_, k) => s.min + k));
  const x = new Array<number>(d).fill(0);
  const outputs = new Int32Array(table.length);
  for (let i = 0; i < table.length; i++) {
    let rest = i;
    for (let k = d - 1; k >= 0; k--) {
      x[k] = s.min + (rest % s.size);
      rest = Math.floor(rest / s.size);
    }
    const got = ev.evaluate(x);
    outputs[i] = got;
    if ((i & 4095) === 4095) progress?.verified?.(i + 1, table.length);
    if (got !== table[i]) {
      throw new Error(
        `internal error: the constructed network gives code ${got} instead of ${table[i]} at input ${x.join(',')}`,
      );
    }
  }
  return outputs;
}

/** Converts a compiled net to the public Network (hidden layers σ, output layer identity). */
export function toNetwork(c: Configuration, net: LayeredNet): Network {
  const last = net.layers.length - 1;
  return makeNetwork({
    format: c.format,
    policy: c.policy,
    accumulation: c.accumulation,
    bias: c.bias,
    weights: c.weights,
    inputs: net.inputs,
    layers: net.layers.map((layer, l) => ({
      activation: l === last ? 'identity' : c.activation,
      neurons: layer.map((n) => ({
        bias: BigInt(n.bias),
        edges: n.edges.map(([src, w]) => [src, BigInt(w)] as const),
      })),
    })),
  });
}

/**
 * The certificate behind the configuration's `universal` verdict: the one `certificateFor` found (which the
 * compiler could not cut into boxes), else the one `decide` reports; null when the verdict is not universal.
 */
function decidedCertificate(c: Configuration, known: Certificate | undefined): DecidedCertificate | null {
  if (known) return { key: 'classic', certificate: known };
  let found: DecidedCertificate | null = null;
  const v = decide(c, {
    onCertificate: (f) => {
      found = f;
    },
  });
  return v.verdict === 'universal' ? found : null;
}

/** The largest |𝕀|·|𝕀|^d for which the report also builds one box per point (10 bits at d = 1). */
const PLAIN_BOXES_WORK = 2 ** 20;

/**
 * Builds a network computing `target` exactly on all of 𝕀^d in the configuration (THEORY §5.2),
 * verifies it on every input, and reports its size against the lower bound |𝕀|^d (§5.3). When no
 * construction of the registry can build it (the exhaustive or chain search finds no certificate, or the
 * compiler cannot cut the one it finds into boxes), N_f is written out from the certificate that decides
 * the configuration's `universal` verdict, whatever its kind (src/expressivity/decided-network.ts). A
 * configuration that is not universal is an error that points to `fxnn check`; nothing unverified is
 * returned.
 */
export function construct(
  c: Configuration,
  target: TargetFunction | Int32Array,
  d: number,
  options: { construction?: string; progress?: ConstructProgress } = {},
): ConstructReport {
  const only = options.construction;
  const progress = options.progress;
  if (only !== undefined && !CONSTRUCTION_NAMES.includes(only)) {
    throw new FxnnError(
      `--construction: expected one of ${CONSTRUCTION_NAMES.join(', ')}, got ${JSON.stringify(only)}`,
      'construction',
    );
  }
  const s = settingOf(c);
  // the certificate is searched for only when a construction needs it (two-level does not)
  let cert: Certificate | undefined;
  let certMillis = 0;
  // a failed search is remembered: constructions that need no certificate (two-level-wrap) may still apply
  let noCert: FxnnError | undefined;
  const certOf = (): Certificate => {
    if (cert) return cert;
    if (noCert) throw noCert;
    const t = performance.now();
    progress?.phase?.('certificate');
    // the exhaustive search (at most 256 values) within the default budget: without one it ran for minutes
    // where another kind decides (mish on UQ6.2 under wrap: 255 s for nothing); the certificate that
    // decides the verdict is then used below (chain certificates above 256 values are budgeted as before)
    const { report } = certificateFor(c, new Budget(), { firstShare: 1 });
    certMillis += performance.now() - t;
    if (!report.certificate) {
      throw (noCert = new FxnnError(
        `no certificate of universality was found for ${c.activation.key} on ${c.format.spec} ` +
          `(${c.policy.rounding}, ${c.policy.overflow}, ${c.accumulation}, bias ${c.bias}, ${c.weights} weights); ` +
          `for the verdict and its evidence run: ${checkCommand(c)}`,
        'activation',
      ));
    }
    cert = report.certificate;
    return cert;
  };
  const points = s.size ** d;
  if (points > MAX_CONSTRUCT_POINTS) {
    throw new FxnnError(
      `|𝕀|^d = ${s.size}^${d} = ${points} inputs; construct handles up to ${MAX_CONSTRUCT_POINTS}`,
      'dims',
    );
  }
  if (target instanceof Int32Array) {
    // a table given directly (library callers): one entry per input, each a code of the format
    check(
      target.length === points,
      () => `the table has ${target.length} entries; |𝕀|^d = ${s.size}^${d} = ${points} are needed`,
      'table',
    );
    const bad = target.findIndex((v) => v < s.min || v > s.max);
    check(
      bad < 0,
      () =>
        `table entry ${bad} is the code ${target[bad]}, outside ${c.format.spec}'s codes ${s.min} … ${s.max}`,
      'table',
    );
  }
  const t1 = performance.now();
  if (!(target instanceof Int32Array)) progress?.phase?.('target');
  const table = target instanceof Int32Array ? target : tabulate(target, s, d);
  const t2 = performance.now();
  progress?.phase?.('compile');
  let compiled: { net: LayeredNet; method: string; boxes: number; plan?: number };
  let plain: ReturnType<typeof compileTable> | null;
  try {
    compiled = compileTable(s, certOf, table, d, true, only);
    // one box per point, for comparison: it needs the certificate, so without one there is none; its
    // work grows like |𝕀|·|𝕀|^d (one threshold chain checked on all of 𝕀 per box): on a 12-bit format
    // at d = 1 (2^24) it ran out of a 4 GB heap, so only up to PLAIN_BOXES_WORK
    plain = null;
    if (points <= 4096 && s.size * points <= PLAIN_BOXES_WORK && !noCert) {
      try {
        plain = compileTable(s, certOf, table, d, false);
      } catch (e) {
        if (e !== noCert) throw e;
      }
    }
  } catch (e) {
    // a RangeError (stack, array length) is a bug of the compiler, not a property of the certificate
    if (e instanceof RangeError) throw e;
    if (only !== undefined) {
      if (e instanceof FxnnError) throw e;
      throw new FxnnError(`--construction ${only}: ${(e as Error).message}`, 'construction');
    }
    // no certificate the compiler can cut into boxes: N_f from the certificate that decides the verdict
    // (docs/construction.md, "Certificates the compiler cannot cut into boxes")
    const failed =
      e instanceof FxnnError
        ? e
        : new FxnnError(`the compiler could not use the certificate: ${(e as Error).message}`, 'activation');
    if (failed.parameter !== 'activation') throw failed;
    const t = performance.now();
    const found = decidedCertificate(c, cert);
    certMillis += performance.now() - t;
    if (!found) throw failed;
    const kind = DECIDED_KIND_NAMES[found.key] ?? found.key;
    let net: ReturnType<typeof decidedNetwork>;
    try {
      net = decidedNetwork(c, s, found, table, d);
    } catch (e) {
      if (!(e instanceof FxnnError)) throw e;
      throw new FxnnError(`a ${kind} decides this configuration, but ${e.message}`, e.parameter);
    }
    if (typeof net === 'string') throw new FxnnError(`${failed.message}; ${net}`, 'activation');
    compiled = {
      net,
      method: `composition (${kind})`,
      boxes: net.trees,
    };
    plain = null;
  }
  const t3 = performance.now();
  progress?.phase?.('verify');
  const network = toNetwork(c, compiled.net);
  const outputs = verifyOnAll(s, compiled.net, table, d, progress, network);
  const t4 = performance.now();
  const size = layeredSize(compiled.net);
  return {
    network,
    size,
    plainParameters: plain ? layeredSize(plain.net).parameters : null,
    predictedParameters: compiled.plan ?? null,
    lowerBound: points,
    ratio: size.parameters / points,
    boxes: compiled.boxes,
    method: compiled.method,
    verifiedInputs: outputs.length,
    target: table,
    outputs,
    millis: { certificate: certMillis, table: t2 - t1, compile: t3 - t2 - certMillis, verify: t4 - t3 },
  };
}
