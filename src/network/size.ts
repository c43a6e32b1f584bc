import type { Network } from './network.js';

/** The size of a network (THEORY §5.3). */
export interface NetworkSize {
  /** Edges plus biases (every neuron has one bias). */
  readonly parameters: number;
  readonly edges: number;
  readonly biases: number;
  /** Neurons of all layers (the inputs are not neurons). */
  readonly neurons: number;
  /** Number of layers (the input layer not counted). */
  readonly depth: number;
  /** The largest number of neurons in one layer. */
  readonly width: number;
  readonly inputs: number;
  readonly outputs: number;
}

export function networkSize(net: Network): NetworkSize {
  let edges = 0;
  let neurons = 0;
  let width = 0;
  for (const layer of net.layers) {
    neurons += layer.neurons.length;
    width = Math.max(width, layer.neurons.length);
    for (const neuron of layer.neurons) edges += neuron.edges.length;
  }
  return {
    parameters: edges + neurons,
    edges,
    biases: neurons,
    neurons,
    depth: net.layers.length,
    width,
    inputs: net.inputs,
    outputs: net.layers[net.layers.length - 1].neurons.length,
  };
}
