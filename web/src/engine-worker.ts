/**
 * The engine worker: runs the library (σ_F tables, verdicts, certificates, construction, the map) off
 * the page's thread and answers the requests of `protocol.ts`, with progress messages.
 */
import { BUILTIN_ACTIVATIONS } from '../../src/activations/activation.js';
import { approximateValue } from '../../src/activations/approximate-value.js';
import { activationTable, OVERFLOW_SENTINEL } from '../../src/activations/rounded.js';
import { ratio } from '../../src/core/rational.js';
import { type Certificate, outputNeuron } from '../../src/engine/certificate.js';
import { chainDetector, chainReadout } from '../../src/engine/chain-certificate.js';
import { chainGadget, type Gadget, runGadget } from '../../src/engine/gadget.js';
import { ENGINE_MAX_BITS, type Setting } from '../../src/engine/setting.js';
import { FxnnError } from '../../src/errors.js';
import { certificateFor, certificateToJson } from '../../src/expressivity/certificates.js';
import {
  ACCUMULATION_MODES,
  BIAS_MODES,
  type Configuration,
  makeConfiguration,
  WEIGHT_MODES,
} from '../../src/expressivity/configuration.js';
import { construct, MAX_CONSTRUCT_POINTS } from '../../src/expressivity/construct.js';
import { expressivityMap } from '../../src/expressivity/map.js';
import { decide } from '../../src/expressivity/verdict.js';
import { typeText } from '../../src/fixed-type.js';
import type { Format } from '../../src/format.js';
import { evaluateAll } from '../../src/network/exhaustive.js';
import { compileNetwork, hasFastEvaluator } from '../../src/network/fast-evaluator.js';
import { type InputRounding, textToCode } from '../../src/network/input-codes.js';
import type { Network } from '../../src/network/network.js';
import { infoText } from '../../src/network/network-info.js';
import { networkToJsonText } from '../../src/network/network-json.js';
import { evaluateReference } from '../../src/network/reference-evaluator.js';
import { outputType, type TypedNetwork, typedOutputCount } from '../../src/network/typed-network.js';
import { parseTypedNetworkJson } from '../../src/network/typed-network-json.js';
import { evaluateTypedReference } from '../../src/network/typed-reference.js';
import { expressionTarget } from '../../src/target/target-function.js';
import { codeToDecimal, exactCode } from '../../src/value.js';
import {
  type CertificateView,
  type ConfigInput,
  type ConstructResult,
  type ErrorView,
  type FormatInfo,
  type GadgetView,
  type HelloResult,
  type LoadedNetworkView,
  MAX_WEB_POINTS_2D,
  type MapCellView,
  type NetworkEvalResult,
  type NetworkView,
  type NeuronView,
  type Request,
  type Response,
  type SigmaResult,
  type TabulateResult,
  type VerdictResult,
} from './protocol.js';

const scope = self as unknown as {
  postMessage(message: Response, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<Request>) => void) | null;
};

/** Points of σ sampled for the curve. */
const CURVE_SAMPLES = 600;
/** Largest format whose whole certificate is offered as JSON. */
const CERTIFICATE_JSON_VALUES = 1024;

type Progress = (phase: string, done: number, total: number) => void;

function configurationOf(input: ConfigInput): Configuration {
  return makeConfiguration({
    format: input.format,
    activation: input.activation,
    rounding: input.rounding,
    overflow: input.overflow,
    accumulation: input.accumulation,
    bias: input.bias,
    weights: input.weights,
  });
}

function formatInfo(f: Format): FormatInfo {
  return {
    spec: f.spec,
    bits: f.bits,
    fracBits: f.fracBits,
    minCode: Number(f.minCode),
    maxCode: Number(f.maxCode),
    size: Number(f.size),
  };
}

function hello(): HelloResult {
  return {
    activations: BUILTIN_ACTIVATIONS,
    accumulation: ACCUMULATION_MODES,
    bias: BIAS_MODES,
    weights: WEIGHT_MODES,
    maxConstructPoints: MAX_CONSTRUCT_POINTS,
  };
}

/** σ on a fine dyadic grid over the format's range (display only: σ_F comes from the exact table). */
function sampleCurve(c: Configuration): Float64Array {
  const f = c.format;
  const n = f.fracBits + 8;
  const lo = f.minCode << 8n;
  const hi = f.maxCode << 8n;
  const out = new Float64Array(2 * (CURVE_SAMPLES + 1));
  const den = 1n << BigInt(n);
  for (let s = 0; s <= CURVE_SAMPLES; s++) {
    const k = lo + ((hi - lo) * BigInt(s)) / BigInt(CURVE_SAMPLES);
    out[2 * s] = Number(k) / 2 ** n;
    out[2 * s + 1] = approximateValue(c.activation, ratio(k, den));
  }
  return out;
}

/** The engine's limit, checked before any table is built. */
function configurationFor(input: ConfigInput): Configuration {
  const c = configurationOf(input);
  if (c.format.bits > ENGINE_MAX_BITS) {
    throw new FxnnError(
      `format ${c.format.spec} has ${c.format.bits} bits; the expressivity engine handles up to ${ENGINE_MAX_BITS}`,
      'format',
    );
  }
  return c;
}

function sigma(input: ConfigInput, progress: Progress): SigmaResult {
  const t0 = performance.now();
  const c = configurationFor(input);
  progress('σ_F table', 0, 1);
  const table = activationTable(c.activation, c.format, c.policy).slice();
  const curve = sampleCurve(c);
  const sigmaAt = new Float64Array(table.length);
  const den = 1n << BigInt(c.format.fracBits);
  for (let i = 0; i < table.length; i++) {
    sigmaAt[i] = approximateValue(c.activation, ratio(c.format.minCode + BigInt(i), den));
  }
  return {
    config: input,
    format: formatInfo(c.format),
    activation: { key: c.activation.key, formula: c.activation.formula, range: c.activation.range.text },
    table,
    overflowCode: OVERFLOW_SENTINEL,
    curve,
    sigmaAt,
    millis: performance.now() - t0,
  };
}

/** What `decide` is doing, as the page shows it (each phase runs within the verdict's budget). */
const PHASES = {
  dist: 'DIST (partition refinement)',
  certificate: 'the certificate search',
  'output-range': 'the output-range obstruction',
  fixpoint: 'the fixpoint',
} as const;

function verdict(input: ConfigInput, progress: Progress): VerdictResult {
  const t0 = performance.now();
  const c = configurationFor(input);
  progress('σ_F table', 0, 1);
  const v = decide(c, { onPhase: (phase) => progress(PHASES[phase], 0, 1) });
  let certificate: CertificateView | null = null;
  if (v.verdict === 'universal') {
    progress('checking the certificate gadgets', 0, 1);
    const cert = certificateSource(c);
    if (cert) certificate = certificateView(c, cert, null, null);
  }
  return {
    config: input,
    verdict: { verdict: v.verdict, dist: v.dist, reason: v.reason },
    certificate,
    millis: performance.now() - t0,
  };
}

function neuronViews(s: Setting, g: Gadget): NeuronView[][] {
  const dec = (code: number) => codeToDecimal(BigInt(code), s.format);
  return g.layers.map((layer) =>
    layer.map((n) => ({ bias: dec(n.bias), edges: n.edges.map(([src, w]) => [src, dec(w)] as const) })),
  );
}

/** Most parameters of a gadget drawn neuron by neuron; larger ones (fan emitters) are described. */
const MAX_DRAWN_PARAMETERS = 2000;

/** A gadget's layers for the page, or (too large to draw) none and a sentence saying its size. */
function gadgetLayers(s: Setting, g: Gadget): { layers: NeuronView[][]; tooLarge: string | null } {
  const p = params(g);
  if (p <= MAX_DRAWN_PARAMETERS) return { layers: neuronViews(s, g), tooLarge: null };
  const neurons = g.layers.reduce((n, l) => n + l.length, 0);
  return {
    layers: [],
    tooLarge: `${neurons} neurons in ${g.layers.length} layers, ${p} parameters: too large to draw (it is run in full above)`,
  };
}

/** A code as text; NaN (an overflow under `error`) as "overflow". */
function shown(s: Setting, code: number): string {
  return Number.isNaN(code) ? 'overflow' : codeToDecimal(BigInt(code), s.format);
}

/** Marks a requirement "any value of I" in the truth tables (never a code). */
const IDLE = Number.POSITIVE_INFINITY;

/** A certificate's levels: active value e, idle set I, readout weight ω. */
type Levels = Pick<Certificate, 'e' | 'idle' | 'omega'>;

/** The classical levels: active e, idle {0}. */
function isClassical(cert: Levels): boolean {
  return cert.idle.length === 1 && cert.idle[0] === 0;
}

/** "a = …, I = {…}, ω = …" for claims. */
function levelsText(s: Setting, cert: Levels): string {
  return `a = ${shown(s, cert.e)}, I = {${cert.idle.map((i) => shown(s, i)).join(', ')}}, ω = ${shown(s, cert.omega)}`;
}

/** A required output as text: a value, or "∈ I" (a single idle value is shown as itself). */
function required(s: Setting, cert: Levels, want: number): string {
  if (want !== IDLE) return shown(s, want);
  return cert.idle.length === 1
    ? shown(s, cert.idle[0])
    : `∈ {${cert.idle.map((i) => shown(s, i)).join(', ')}}`;
}

/** D_z on every x: rows grouped over runs of x with the same output and requirement. */
function detectorView(s: Setting, cert: CertificateParts, z: number): GadgetView {
  const g = cert.detector(z);
  const rows: string[][] = [];
  const ok: boolean[] = [];
  let holds = true;
  let runStart = s.min;
  const flush = (end: number, got: number, want: number) => {
    const a = shown(s, runStart);
    const b = shown(s, end);
    rows.push([end === runStart ? a : `${a} … ${b}`, shown(s, got), required(s, cert, want)]);
    ok.push(want === IDLE ? cert.idle.includes(got) : got === want);
  };
  let prevGot = Number.NaN;
  let prevWant = Number.NaN;
  for (let x = s.min; x <= s.max; x++) {
    const got = runGadget(s, g, [x])[0];
    // the required output: a at z; elsewhere 0 (I = {0}) or any value of I, shown as the code NaN marker
    const want = x === z ? cert.e : cert.idle.length === 1 ? cert.idle[0] : IDLE;
    if (x === z ? got !== want : !cert.idle.includes(got)) holds = false;
    if (x > s.min && !(Object.is(got, prevGot) && want === prevWant)) {
      flush(x - 1, prevGot, prevWant);
      runStart = x;
    }
    prevGot = got;
    prevWant = want;
  }
  flush(s.max, prevGot, prevWant);
  return {
    title: `Detector D_z for z = ${shown(s, z)}`,
    claim: isClassical(cert)
      ? `D_z(x) = e·[x = z] for every x ∈ 𝕀 (e = ${shown(s, cert.e)})`
      : `D_z(x) = a for x = z and D_z(x) ∈ I for every other x ∈ 𝕀 (${levelsText(s, cert)})`,
    inputNames: ['x'],
    ...gadgetLayers(s, g),
    outputWeights: null,
    truth: { columns: ['x', 'D_z(x)', 'required'], rows, ok },
    checked: s.size,
    holds,
  };
}

function andView(s: Setting, cert: CertificateParts): GadgetView {
  const e = cert.e;
  const rows: string[][] = [];
  const ok: boolean[] = [];
  const domain = [...cert.idle, e];
  for (const u of domain) {
    for (const v of domain) {
      const got = runGadget(s, cert.and, [u, v])[0];
      const active = u === e && v === e;
      rows.push([shown(s, u), shown(s, v), shown(s, got), active ? shown(s, e) : required(s, cert, IDLE)]);
      ok.push(active ? got === e : cert.idle.includes(got));
    }
  }
  return {
    title: 'AND',
    claim: isClassical(cert)
      ? 'A(u, v) = e·[u = e ∧ v = e] on {0, e}²'
      : `A(a, a) = a and A(u, v) ∈ I otherwise, on (I ∪ {a})² (${levelsText(s, cert)})`,
    inputNames: ['u', 'v'],
    ...gadgetLayers(s, cert.and),
    outputWeights: null,
    truth: { columns: ['u', 'v', 'A(u, v)', 'required'], rows, ok },
    checked: domain.length ** 2,
    holds: ok.every(Boolean),
  };
}

function delayView(s: Setting, cert: CertificateParts): GadgetView {
  const rows: string[][] = [];
  const ok: boolean[] = [];
  const domain = [...cert.idle, cert.e];
  for (const u of domain) {
    const got = runGadget(s, cert.delay, [u])[0];
    const active = u === cert.e;
    rows.push([shown(s, u), shown(s, got), active ? shown(s, u) : required(s, cert, IDLE)]);
    ok.push(active ? got === u : cert.idle.includes(got));
  }
  return {
    title: 'Delay P',
    claim: isClassical(cert) ? 'P(u) = u on {0, e}' : `P(a) = a and P(I) ⊆ I (${levelsText(s, cert)})`,
    inputNames: ['u'],
    ...gadgetLayers(s, cert.delay),
    outputWeights: null,
    truth: { columns: ['u', 'P(u)', 'required'], rows, ok },
    checked: domain.length,
    holds: ok.every(Boolean),
  };
}

function emitterView(s: Setting, cert: CertificateParts, y: number): GadgetView {
  const em = cert.emitters[y - s.min];
  const list = (codes: readonly number[]) =>
    codes.length === 0 ? '—' : codes.map((c) => shown(s, c)).join(', ');
  const rows: string[][] = [];
  const ok: boolean[] = [];
  if (em.weights.length === 0) {
    const got = outputNeuron(s, [], [], cert.beta);
    rows.push(['any', '—', shown(s, got), shown(s, y)]);
    ok.push(got === y);
  } else {
    // at an idle input every output, weighted by its output weight, must add exactly nothing
    for (const i of cert.idle) {
      const off = runGadget(s, em.gadget, [i]);
      const terms = off.map((v, j) =>
        s.accumulation === 'exact' ? em.weights[j] * v : s.mul(em.weights[j], v),
      );
      rows.push([shown(s, i), list(off), 'adds nothing', `ω ⊗ E_y(u) = ${list(terms.map(() => 0))}`]);
      ok.push(terms.every((v) => v === 0));
    }
    const on = runGadget(s, em.gadget, [cert.e]);
    const got = outputNeuron(s, em.weights, on, cert.beta);
    rows.push([shown(s, cert.e), list(on), shown(s, got), shown(s, y)]);
    ok.push(got === y);
  }
  return {
    title: `Emitter E_y for y = ${shown(s, y)}`,
    claim: isClassical(cert)
      ? `E_y(0) = 0, and ω ⊗ E_y(e) accumulated with β = ${shown(s, cert.beta)} gives exactly y`
      : `ω ⊗ E_y(i) = 0 for i ∈ I, and ω ⊗ E_y(a) accumulated with β = ${shown(s, cert.beta)} gives exactly y`,
    inputNames: ['u'],
    ...gadgetLayers(s, em.gadget),
    outputWeights: em.weights.map((w) => shown(s, w)),
    truth: { columns: ['u', 'E_y(u)', 'output neuron', 'required'], rows, ok },
    checked: em.weights.length === 0 ? 1 : cert.idle.length + 1,
    holds: ok.every(Boolean),
  };
}

/**
 * A certificate as the views read it: its levels, AND, delay and emitters, and its detectors one at a
 * time (a chain certificate builds only the detector shown, not all |𝕀| of them; docs/theory.md §9).
 */
interface CertificateParts extends Omit<Certificate, 'detectors'> {
  readonly setting: Setting;
  detector(z: number): Gadget;
  /** Parameters of the largest detector. */
  readonly largestDetector: number;
  /** The whole certificate (every detector), for the JSON download of small formats. */
  whole(): Certificate;
}

const params = (g: Gadget) => g.layers.reduce((p, l) => p + l.reduce((q, n) => q + n.edges.length + 1, 0), 0);

/** The certificate of a universal configuration, or null (none was found). */
function certificateSource(c: Configuration): CertificateParts | null {
  const { setting: s, report, chain, summary } = certificateFor(c);
  if (chain && summary) {
    const omega = chainReadout(s, chain);
    return {
      setting: s,
      e: chain.e,
      idle: [0],
      omega,
      and: chain.and,
      delay: chainGadget(chain.delay),
      beta: chain.beta,
      emitters: chain.emitters,
      detector: (z) => chainDetector(s, chain, z),
      largestDetector: summary.detector.parameters,
      whole: () => report.certificate as Certificate,
    };
  }
  const cert = report.certificate;
  if (!cert) return null;
  return {
    ...cert,
    setting: s,
    detector: (z) => cert.detectors[z - s.min],
    largestDetector: cert.detectors.reduce((m, g) => Math.max(m, params(g)), 0),
    whole: () => cert,
  };
}

function certificateView(
  c: Configuration,
  cert: CertificateParts,
  zText: string | null,
  yText: string | null,
): CertificateView {
  const s = cert.setting;
  const z = zText === null ? Math.max(s.min, 0) : Number(exactCode(zText, c.format, 'z'));
  const y = yText === null ? Math.min(s.one, s.max) : Number(exactCode(yText, c.format, 'y'));
  const largest = (gs: readonly Gadget[]) => gs.reduce((m, g) => Math.max(m, params(g)), 0);
  return {
    e: shown(s, cert.e),
    idle: cert.idle.map((i) => shown(s, i)),
    omega: shown(s, cert.omega),
    beta: shown(s, cert.beta),
    z: shown(s, z),
    y: shown(s, y),
    detector: detectorView(s, cert, z),
    and: andView(s, cert),
    delay: delayView(s, cert),
    emitter: emitterView(s, cert, y),
    sizes: {
      detector: cert.largestDetector,
      and: params(cert.and),
      delay: params(cert.delay),
      emitter: largest(cert.emitters.map((em) => em.gadget)),
    },
    json:
      s.size <= CERTIFICATE_JSON_VALUES
        ? JSON.stringify(certificateToJson(c, s, cert.whole()), null, 1)
        : null,
  };
}

function gadgets(input: ConfigInput, z: string, y: string): CertificateView {
  const c = configurationFor(input);
  const cert = certificateSource(c);
  if (!cert) {
    throw new FxnnError(`no certificate was found for ${c.activation.key} on ${c.format.spec}`, 'activation');
  }
  return certificateView(c, cert, z, y);
}

function pointsOf(f: Format, d: number): number {
  const points = Number(f.size) ** d;
  if (d === 2 && points > MAX_WEB_POINTS_2D) {
    throw new FxnnError(
      `d = 2 on ${f.spec} has ${points} inputs; the explorer takes up to ${MAX_WEB_POINTS_2D} (|𝕀| ≤ ${Math.sqrt(MAX_WEB_POINTS_2D)}, e.g. Q2.4): use fxnn construct for more`,
      'dims',
    );
  }
  if (points > MAX_CONSTRUCT_POINTS) {
    throw new FxnnError(
      `${f.spec}^${d} has ${points} inputs; construct takes up to ${MAX_CONSTRUCT_POINTS}`,
      'dims',
    );
  }
  return points;
}

async function tabulate(
  input: ConfigInput,
  text: string,
  d: number,
  progress: Progress,
): Promise<TabulateResult> {
  const c = configurationFor(input);
  const points = pointsOf(c.format, d);
  const target = await expressionTarget(text, c.format, c.policy, d);
  const size = Number(c.format.size);
  const min = Number(c.format.minCode);
  const table = new Int32Array(points);
  const x = new Array<bigint>(d).fill(0n);
  for (let i = 0; i < points; i++) {
    let rest = i;
    for (let k = d - 1; k >= 0; k--) {
      x[k] = BigInt(min + (rest % size));
      rest = Math.floor(rest / size);
    }
    table[i] = Number(target.codeAt(x));
    if ((i & 1023) === 1023) progress('evaluating the expression exactly', i + 1, points);
  }
  return { table, description: target.description };
}

function networkView(net: Network): NetworkView {
  return {
    inputs: net.inputs,
    fracBits: net.format.fracBits,
    layers: net.layers.map((layer) => {
      const count = layer.neurons.length;
      const start = new Int32Array(count + 1);
      for (let i = 0; i < count; i++) start[i + 1] = start[i] + layer.neurons[i].edges.length;
      const src = new Int32Array(start[count]);
      const weight = new Int32Array(start[count]);
      const bias = new Int32Array(count);
      layer.neurons.forEach((n, i) => {
        bias[i] = Number(n.bias);
        n.edges.forEach(([j, w], k) => {
          src[start[i] + k] = j;
          weight[start[i] + k] = Number(w);
        });
      });
      return { activation: layer.activation.key, bias, start, src, weight };
    }),
  };
}

function constructNetwork(
  input: ConfigInput,
  table: Int32Array,
  d: number,
  progress: Progress,
): ConstructResult {
  const t0 = performance.now();
  const c = configurationFor(input);
  const points = pointsOf(c.format, d);
  if (table.length !== points) {
    throw new FxnnError(
      `the target has ${table.length} values; ${c.format.spec}^${d} has ${points} inputs`,
      'target',
    );
  }
  progress('certificate search', 0, 1);
  certificateFor(c);
  progress('compiling and verifying on every input', 0, 1);
  const report = construct(c, table, d);
  progress('evaluating the exported network on every input', 0, points);
  const output = new Int32Array(points);
  let mismatches = 0;
  evaluateAll(
    report.network,
    ({ start, rows, outputs }) => {
      for (let r = 0; r < rows; r++) {
        output[start + r] = outputs[r];
        if (outputs[r] !== table[start + r]) mismatches++;
      }
      progress('evaluating the exported network on every input', start + rows, points);
    },
    { chunkRows: 1024 },
  );
  return {
    d,
    points,
    verifiedInputs: report.verifiedInputs,
    evaluatedInputs: points,
    mismatches,
    size: report.size,
    plainParameters: report.plainParameters,
    lowerBound: report.lowerBound,
    ratio: report.ratio,
    boxes: report.boxes,
    millis: performance.now() - t0,
    network: networkView(report.network),
    output,
    json: networkToJsonText(report.network),
  };
}

/** The last network text parsed (loading and evaluating send the same text). */
let parsed: { text: string; net: TypedNetwork } | null = null;

function parseNetworkText(text: string): TypedNetwork {
  if (parsed?.text === text) return parsed.net;
  if (text.trim() === '') throw new FxnnError('network: paste a network JSON or choose a file', 'network');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new FxnnError(`network: not JSON (${(e as Error).message})`, 'network');
  }
  const net = parseTypedNetworkJson(json);
  parsed = { text, net };
  return net;
}

function loadNetwork(text: string): LoadedNetworkView {
  const net = parseNetworkText(text);
  const layers: Array<LoadedNetworkView['layers'][number]> = [];
  const dense: Array<{ label: string; neurons: NeuronView[] }> = [];
  let neurons = 0;
  let edges = 0;
  let width = net.inputs;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  for (const layer of net.layers) {
    if (layer.kind === 'dense') {
      const e = layer.neurons.reduce((a, n) => a + n.edges.length, 0);
      neurons += layer.neurons.length;
      edges += e;
      width = layer.neurons.length;
      const { weight, bias, accum, result } = layer.types;
      layers.push({
        name: layer.name,
        kind: 'dense',
        what: `dense, ${plural(layer.neurons.length, 'neuron')}, ${plural(e, 'edge')}, ${layer.accumulation} accumulation, bias ${layer.bias}`,
        types: [
          ['weight', typeText(weight)],
          ['bias', typeText(bias)],
          ['accum', typeText(accum)],
          ['result', typeText(result)],
        ],
      });
      dense.push({
        label: `${layer.name} → ${typeText(result)}`,
        neurons: layer.neurons.map((n) => ({
          bias: codeToDecimal(n.bias, bias.format),
          edges: n.edges.map(([j, w]) => [j, codeToDecimal(w, weight.format)] as const),
        })),
      });
    } else {
      const how = layer.table ? `hls4ml table of ${layer.table.size} entries` : 'correctly rounded';
      layers.push({
        name: layer.name,
        kind: 'activation',
        what: `${layer.activation.key} on ${plural(width, 'value')} (${how})`,
        types: [
          ['result', typeText(layer.result)],
          ...(layer.table ? [['table', typeText(layer.table.type)] as const] : []),
        ],
      });
      const last = dense[dense.length - 1];
      if (last) last.label += `; ${layer.name}: ${layer.activation.key} → ${typeText(layer.result)}`;
    }
  }
  return {
    version: net.version,
    inputs: net.inputs,
    outputs: typedOutputCount(net),
    inputType: typeText(net.input),
    outputType: typeText(outputType(net)),
    info: infoText(net),
    layers,
    dense,
    neurons,
    edges,
  };
}

/** Overflow events listed in an evaluation. */
const OVERFLOW_LIST = 20;

function evaluateNetwork(text: string, input: string, round: 'no' | 'exact' | 'float32'): NetworkEvalResult {
  const net = parseNetworkText(text);
  const parts = input.split(',').map((p) => p.trim());
  if (input.trim() === '' || parts.length !== net.inputs) {
    throw new FxnnError(
      `input: the network has ${net.inputs} input${net.inputs === 1 ? '' : 's'}, got ${input.trim() === '' ? 0 : parts.length} value${parts.length === 1 ? '' : 's'}`,
      'input',
    );
  }
  const mode: InputRounding = round === 'no' ? false : round === 'exact' ? true : 'float32';
  const codes = parts.map((p, i) => BigInt(textToCode(p, net.input, mode, `input x${i + 1}`)));
  const overflows: string[] = [];
  let overflowCount = 0;
  let y: bigint[];
  if (net.v1 !== null) {
    const v1 = net.v1;
    y = hasFastEvaluator(v1) ? compileNetwork(v1).evaluate(codes) : evaluateReference(v1, codes);
  } else {
    y = evaluateTypedReference(net, codes, {
      onOverflow: (e) => {
        overflowCount++;
        if (overflows.length < OVERFLOW_LIST) {
          const where = `${e.name} neuron ${e.neuron}${e.edge === undefined ? '' : ` edge ${e.edge}`}`;
          overflows.push(`${where}: ${e.cast} ${e.value} overflows ${typeText(e.type)}`);
        }
      },
    });
  }
  const outFormat = outputType(net).format;
  return {
    x: codes.map((c) => codeToDecimal(c, net.input.format)),
    y: y.map((c) => codeToDecimal(c, outFormat)),
    codes: y.map(String),
    overflows,
    overflowCount,
  };
}

function map(maxBits: number, weights: string, progress: Progress): MapCellView[] {
  if (weights !== 'all' && weights !== 'binary') {
    throw new FxnnError(`weights: expected all or binary, got ${JSON.stringify(weights)}`, 'weights');
  }
  const cells = expressivityMap(maxBits, weights, (done, total) => progress('deciding cells', done, total));
  return cells.map((cell) => ({
    activation: cell.activation,
    format: cell.format,
    weights: cell.weights,
    verdict: cell.verdict,
    witness: cell.dist?.witness ?? null,
    detectorParameters: cell.certificate?.detector.parameters ?? null,
    reason: cell.reason,
  }));
}

function errorView(e: unknown): ErrorView {
  if (e instanceof FxnnError) return { message: e.message, parameter: e.parameter ?? null, user: true };
  const message = e instanceof Error ? e.message : String(e);
  return { message, parameter: null, user: false };
}

/** Buffers of a result that can be moved to the page instead of copied. */
function transferables(result: unknown): Transferable[] {
  const out: Transferable[] = [];
  const seen = new Set<ArrayBufferLike>();
  const walk = (v: unknown, depth: number) => {
    if (depth > 4 || v === null || typeof v !== 'object') return;
    if (ArrayBuffer.isView(v)) {
      if (v.buffer instanceof ArrayBuffer && !seen.has(v.buffer)) {
        seen.add(v.buffer);
        out.push(v.buffer);
      }
      return;
    }
    for (const x of Array.isArray(v) ? v : Object.values(v)) walk(x, depth + 1);
  };
  walk(result, 0);
  return out;
}

async function handle(req: Request): Promise<unknown> {
  let last = 0;
  const progress: Progress = (phase, done, total) => {
    const now = performance.now();
    if (done !== total && done !== 0 && now - last < 80) return;
    last = now;
    scope.postMessage({ id: req.id, kind: 'progress', phase, done, total });
  };
  switch (req.type) {
    case 'hello':
      return hello();
    case 'sigma':
      return sigma(req.config, progress);
    case 'verdict':
      return verdict(req.config, progress);
    case 'gadgets':
      return gadgets(req.config, req.z, req.y);
    case 'tabulate':
      return tabulate(req.config, req.text, req.d, progress);
    case 'construct':
      return constructNetwork(req.config, req.table, req.d, progress);
    case 'map':
      return map(req.maxBits, req.weights, progress);
    case 'network':
      return loadNetwork(req.text);
    case 'network-eval':
      return evaluateNetwork(req.text, req.input, req.round);
  }
}

scope.onmessage = (event) => {
  const req = event.data;
  handle(req).then(
    (result) => scope.postMessage({ id: req.id, kind: 'result', result }, transferables(result)),
    (e: unknown) => scope.postMessage({ id: req.id, kind: 'error', error: errorView(e) }),
  );
};
