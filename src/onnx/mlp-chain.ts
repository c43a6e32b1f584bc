/**
 * An ONNX MLP read as a chain of steps (docs/import.md "What is imported"): dense layers with their
 * exact parameter values, elementwise activations, and QONNX quantizers on the data path. Produced by
 * `readMlpChain`, consumed by the importer (to network JSON v2), the float evaluator and the profiler.
 */
import type { Rational } from '../core/rational.js';
import type { QuantSpec } from './qonnx-quant.js';

/** A type as written into network JSON v2: a spelling or `{ format, rounding, overflow }`. */
export type TypeSpec =
  | string
  | { readonly format: string; readonly rounding?: string; readonly overflow?: string };

/** y = W·x + b over the previous step's values (W is outputs × inputs). */
export interface DenseStep {
  readonly kind: 'dense';
  /** The layer's name: the ONNX node name of the Gemm/MatMul, or `<OpType>_<first output>`. */
  readonly name: string;
  readonly opType: string;
  /** Other node names merged into this layer (the Add of MatMul + Add). */
  readonly merged: readonly string[];
  readonly inputs: number;
  readonly outputs: number;
  readonly weights: ReadonlyArray<readonly Rational[]>;
  readonly bias: readonly Rational[];
  /** The types a QONNX quantizer gave the weights or the bias (their values are exact in them). */
  readonly weightType?: TypeSpec;
  readonly biasType?: TypeSpec;
}

export type ActivationName = 'relu' | 'sigmoid' | 'tanh' | 'leaky-relu';

/** An elementwise activation. */
export interface ActivationStep {
  readonly kind: 'activation';
  readonly name: string;
  readonly opType: string;
  readonly activation: ActivationName;
  /** LeakyRelu's alpha (the float32 attribute's exact value). */
  readonly alpha?: Rational;
}

/** A QONNX Quant / BipolarQuant / Trunc on the data path: hls4ml's linear activation into a type. */
export interface QuantStep {
  readonly kind: 'quant';
  readonly name: string;
  readonly opType: string;
  readonly quant: QuantSpec;
}

export type ChainStep = DenseStep | ActivationStep | QuantStep;

export interface MlpChain {
  /** The graph's data input tensor and its width d. */
  readonly inputName: string;
  readonly inputs: number;
  readonly outputName: string;
  readonly steps: readonly ChainStep[];
  /** What the reader did that a user should know (a dropped Softmax, skipped nodes). */
  readonly notes: readonly string[];
}

/** The number of values a step produces given its input width. */
export function stepWidth(step: ChainStep, width: number): number {
  return step.kind === 'dense' ? step.outputs : width;
}
