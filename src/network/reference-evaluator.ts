import { roundedActivation } from '../activations/rounded.js';
import { opCodes, roundCodeQuotient } from '../core/ops.js';
import { OverflowError } from '../core/overflow.js';
import { check } from '../errors.js';
import type { Network, Neuron } from './network.js';
import { NetworkOverflowError, type OverflowStep } from './network-overflow-error.js';

/** Checks that an input is `net.inputs` codes of the network's format. */
export function checkInputCodes(net: Network, input: readonly bigint[]): void {
  check(
    input.length === net.inputs,
    () =>
      `input: the network has ${net.inputs} input${net.inputs === 1 ? '' : 's'}, got ${input.length} values`,
    'input',
  );
  const { format } = net;
  input.forEach((code, i) => {
    check(
      typeof code === 'bigint' && code >= format.minCode && code <= format.maxCode,
      () =>
        `input x${i + 1}: code ${code} is outside ${format.spec} (codes ${format.minCode} … ${format.maxCode})`,
      'input',
    );
  });
}

/**
 * The network's outputs at one input, computed step by step on BigInt codes exactly as THEORY §4
 * states (written for obviousness; the fast evaluator is checked against it). Under overflow mode
 * `error`, an overflow anywhere throws a `NetworkOverflowError` naming the neuron, step and input.
 */
export function evaluateReference(net: Network, input: readonly bigint[]): bigint[] {
  checkInputCodes(net, input);
  let values: readonly bigint[] = input;
  net.layers.forEach((layer, l) => {
    const sigma = roundedActivation(layer.activation, net.format, net.policy);
    const previous = values;
    values = layer.neurons.map((neuron, i) => {
      let step: OverflowStep = { kind: 'activation' };
      try {
        const acc = accumulate(net, neuron, previous, (s) => {
          step = s;
        });
        step = { kind: 'activation' };
        return sigma.apply(acc);
      } catch (e) {
        if (e instanceof OverflowError && !(e instanceof NetworkOverflowError)) {
          throw new NetworkOverflowError(e, { layer: l, neuron: i, step, input: [...input] }, net.format);
        }
        throw e;
      }
    });
  });
  return [...values];
}

/** The neuron's accumulator before the activation; `at` records the step being computed. */
function accumulate(
  net: Network,
  neuron: Neuron,
  h: readonly bigint[],
  at: (step: OverflowStep) => void,
): bigint {
  const { format, policy } = net;
  if (net.accumulation === 'exact') {
    // b + Σ w·h exactly, in units of 2^-2n; one rounding by n bits.
    const unit = 1n << BigInt(format.fracBits);
    let sum = neuron.bias * unit;
    for (const [j, w] of neuron.edges) sum += w * h[j];
    at({ kind: 'accumulator' });
    return roundCodeQuotient(sum, unit, format, policy).code;
  }
  let acc = net.bias === 'first' ? neuron.bias : 0n;
  neuron.edges.forEach(([j, w], k) => {
    at({ kind: 'product', edge: k });
    const product = opCodes('mul', w, h[j], format, policy).code;
    at({ kind: 'sum', edge: k });
    acc = opCodes('add', acc, product, format, policy).code;
  });
  if (net.bias === 'last') {
    at({ kind: 'bias' });
    acc = opCodes('add', acc, neuron.bias, format, policy).code;
  }
  return acc;
}
