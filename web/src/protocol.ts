/**
 * Messages between the page and the engine worker. Everything here is plain data (structured clone):
 * codes travel as numbers or Int32Arrays (formats of at most 16 bits), values as exact decimal strings.
 */

/** A configuration as the controls hold it (validated by the library in the worker). */
export interface ConfigInput {
  readonly format: string;
  readonly activation: string;
  readonly rounding: string;
  readonly overflow: string;
  readonly accumulation: string;
  readonly bias: string;
  readonly weights: string;
}

export type VerdictName = 'universal' | 'not-universal' | 'undetermined' | 'not-applicable';

export interface FormatInfo {
  readonly spec: string;
  readonly bits: number;
  readonly fracBits: number;
  readonly minCode: number;
  readonly maxCode: number;
  /** |𝕀|. */
  readonly size: number;
}

/** One neuron of a drawn network: bias and edges [source in the previous layer, weight] as decimals. */
export interface NeuronView {
  readonly bias: string;
  readonly edges: ReadonlyArray<readonly [number, string]>;
}

/** A truth table: its rows grouped where consecutive inputs give the same output. */
export interface TruthTable {
  readonly columns: readonly string[];
  readonly rows: ReadonlyArray<readonly string[]>;
  /** Per row: the gadget gives what the certificate requires. */
  readonly ok: readonly boolean[];
}

/** A certificate gadget (THEORY §5.2) ready to draw, checked on every input of its domain. */
export interface GadgetView {
  readonly title: string;
  /** What the gadget must compute. */
  readonly claim: string;
  readonly inputNames: readonly string[];
  readonly layers: ReadonlyArray<ReadonlyArray<NeuronView>>;
  /** Set when the gadget is too large to draw (layers is then empty): its size in words. */
  readonly tooLarge: string | null;
  /** Output weights ω of an emitter (null for other gadgets). */
  readonly outputWeights: readonly string[] | null;
  readonly truth: TruthTable;
  /** Inputs checked and whether all of them agree with the claim. */
  readonly checked: number;
  readonly holds: boolean;
}

export interface CertificateView {
  /** The active value a (docs/theory.md §8; e in the classical template). */
  readonly e: string;
  /** The idle set I (["0"] in the classical template). */
  readonly idle: readonly string[];
  /** The readout weight ω: ω ⊗ i = 0 for every i ∈ I, ω ⊗ a ≠ 0. */
  readonly omega: string;
  readonly beta: string;
  readonly z: string;
  readonly y: string;
  readonly detector: GadgetView;
  readonly and: GadgetView;
  readonly delay: GadgetView;
  readonly emitter: GadgetView;
  /** Parameters of the largest detector, AND, delay and largest emitter. */
  readonly sizes: { detector: number; and: number; delay: number; emitter: number };
  /** The whole certificate as JSON (every detector and emitter); null above 4096 values. */
  readonly json: string | null;
}

export interface VerdictView {
  readonly verdict: VerdictName;
  readonly dist: { holds: boolean; witness: [string, string] | null } | null;
  readonly reason: string;
}

/** σ and σ_F of a configuration (fast: the plot is drawn from it while the verdict is computed). */
export interface SigmaResult {
  readonly config: ConfigInput;
  readonly format: FormatInfo;
  readonly activation: { key: string; formula: string; range: string };
  /** σ_F code of every code (index code − minCode); `overflowCode` where σ's value overflows under `error`. */
  readonly table: Int32Array;
  readonly overflowCode: number;
  /** σ sampled for drawing: x0, y0, x1, y1, … (doubles, display only). */
  readonly curve: Float64Array;
  /** σ(x) ≈ at every value of the format (doubles, display only). */
  readonly sigmaAt: Float64Array;
  readonly millis: number;
}

/** The verdict of a configuration with its evidence (can take long on wide formats). */
export interface VerdictResult {
  readonly config: ConfigInput;
  readonly verdict: VerdictView;
  readonly certificate: CertificateView | null;
  readonly millis: number;
}

/** A network on codes, as flat arrays per layer. */
export interface NetworkView {
  readonly inputs: number;
  readonly fracBits: number;
  readonly layers: ReadonlyArray<{
    readonly activation: string;
    readonly bias: Int32Array;
    /** Edges of neuron i are start[i] … start[i+1]−1. */
    readonly start: Int32Array;
    readonly src: Int32Array;
    readonly weight: Int32Array;
  }>;
}

export interface ConstructResult {
  readonly d: number;
  readonly points: number;
  /** Inputs on which `construct` verified its compiled network. */
  readonly verifiedInputs: number;
  /** Inputs on which the exported network (the JSON one) was evaluated again here, and its mismatches. */
  readonly evaluatedInputs: number;
  readonly mismatches: number;
  readonly size: { parameters: number; neurons: number; depth: number; width: number };
  readonly plainParameters: number | null;
  readonly lowerBound: number;
  readonly ratio: number;
  readonly boxes: number;
  readonly millis: number;
  readonly network: NetworkView;
  /** The exported network's output code on every input (x1 slowest). */
  readonly output: Int32Array;
  readonly json: string;
}

/** A network JSON (version 1 or 2) loaded on the page: what `fxnn info` says, and the drawing. */
export interface LoadedNetworkView {
  readonly version: 1 | 2;
  readonly inputs: number;
  readonly outputs: number;
  /** Input and output types as `fxnn info` spells them (HLS spelling, then fxnn's). */
  readonly inputType: string;
  readonly outputType: string;
  /** The text `fxnn info` prints. */
  readonly info: string;
  /** Per layer (version 2 layers; a version 1 layer is a dense layer and its activation). */
  readonly layers: ReadonlyArray<{
    readonly name: string;
    readonly kind: 'dense' | 'activation';
    /** e.g. "dense, 2 neurons, 4 edges" or "relu (correctly rounded)". */
    readonly what: string;
    /** [role, type] pairs: weight, bias, accum, result; table. */
    readonly types: ReadonlyArray<readonly [string, string]>;
  }>;
  /** Dense layers neuron by neuron (weights and biases as decimals), each labelled with its activations. */
  readonly dense: ReadonlyArray<{ readonly label: string; readonly neurons: readonly NeuronView[] }>;
  readonly neurons: number;
  readonly edges: number;
}

/** A loaded network evaluated at one input. */
export interface NetworkEvalResult {
  /** The input values used (after rounding into the input type), and the outputs, as exact decimals. */
  readonly x: readonly string[];
  readonly y: readonly string[];
  /** Output codes (decimal strings: codes may exceed 2^31). */
  readonly codes: readonly string[];
  /** Casts that overflowed on the way (version 2), at most OVERFLOW_LIST, and how many in all. */
  readonly overflows: readonly string[];
  readonly overflowCount: number;
}

export interface TabulateResult {
  readonly table: Int32Array;
  readonly description: string;
}

export interface MapCellView {
  readonly activation: string;
  readonly format: string;
  readonly weights: string;
  readonly verdict: VerdictName;
  readonly witness: [string, string] | null;
  readonly detectorParameters: number | null;
  readonly reason: string;
}

export interface HelloResult {
  readonly activations: readonly string[];
  readonly accumulation: readonly string[];
  readonly bias: readonly string[];
  readonly weights: readonly string[];
  readonly maxConstructPoints: number;
}

export type RequestBody =
  | { readonly type: 'hello' }
  | { readonly type: 'sigma'; readonly config: ConfigInput }
  | { readonly type: 'verdict'; readonly config: ConfigInput }
  | { readonly type: 'gadgets'; readonly config: ConfigInput; readonly z: string; readonly y: string }
  | { readonly type: 'tabulate'; readonly config: ConfigInput; readonly text: string; readonly d: number }
  | {
      readonly type: 'construct';
      readonly config: ConfigInput;
      readonly table: Int32Array;
      readonly d: number;
    }
  | { readonly type: 'map'; readonly maxBits: number; readonly weights: string }
  | { readonly type: 'network'; readonly text: string }
  | {
      readonly type: 'network-eval';
      readonly text: string;
      readonly input: string;
      /** no (values of the input type), exact, or float32 (as `eval --round-inputs float32`). */
      readonly round: 'no' | 'exact' | 'float32';
    };

export interface ResultOf {
  hello: HelloResult;
  sigma: SigmaResult;
  verdict: VerdictResult;
  gadgets: CertificateView;
  tabulate: TabulateResult;
  construct: ConstructResult;
  map: MapCellView[];
  network: LoadedNetworkView;
  'network-eval': NetworkEvalResult;
}

export type Request = RequestBody & { readonly id: number };

/** An error as the page shows it: `user` errors are the library's one-line FxnnError messages. */
export interface ErrorView {
  readonly message: string;
  readonly parameter: string | null;
  readonly user: boolean;
}

export type Response =
  | { readonly id: number; readonly kind: 'progress'; readonly phase: string; done: number; total: number }
  | { readonly id: number; readonly kind: 'result'; readonly result: unknown }
  | { readonly id: number; readonly kind: 'error'; readonly error: ErrorView };

/** Largest |𝕀|^d the explorer constructs for d = 2 (the browser verifies every input twice). */
export const MAX_WEB_POINTS_2D = 2 ** 14;
