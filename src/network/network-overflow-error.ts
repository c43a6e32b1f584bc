import { OverflowError } from '../core/overflow.js';
import type { Format } from '../format.js';
import { codeToDecimal } from '../value.js';

/** The step of a neuron's computation that overflowed. */
export type OverflowStep =
  | { readonly kind: 'product'; readonly edge: number }
  | { readonly kind: 'sum'; readonly edge: number }
  | { readonly kind: 'bias' }
  | { readonly kind: 'accumulator' }
  | { readonly kind: 'activation' };

/** Where an overflow happened: `layers[layer].neurons[neuron]`, at which step, for which input. */
export interface OverflowLocation {
  readonly layer: number;
  readonly neuron: number;
  readonly step: OverflowStep;
  readonly input: readonly bigint[];
}

function describeStep(step: OverflowStep): string {
  switch (step.kind) {
    case 'product':
      return `the product w ⊗ h of edges[${step.edge}]`;
    case 'sum':
      return `adding edges[${step.edge}] to the accumulator`;
    case 'bias':
      return 'adding the bias';
    case 'accumulator':
      return 'rounding the exact sum b + Σ w·h';
    default:
      return 'the activation';
  }
}

/**
 * An overflow under overflow mode `error` inside a network: an `OverflowError` whose message names
 * the neuron, the step and the input, e.g. `overflow in layers[0].neurons[1] (adding the bias) at
 * input (1.5, -2): 9.5 is outside Q3.4 [-8, 7.9375]`.
 */
export class NetworkOverflowError extends OverflowError {
  readonly location: OverflowLocation;
  constructor(cause: OverflowError, location: OverflowLocation, format: Format) {
    super(0n, format);
    const input = location.input.map((c) => codeToDecimal(c, format)).join(', ');
    const detail = cause.message.replace(/^overflow: /, '');
    this.message = `overflow in layers[${location.layer}].neurons[${location.neuron}] (${describeStep(location.step)}) at input (${input}): ${detail}`;
    this.name = 'NetworkOverflowError';
    this.location = location;
  }
}
