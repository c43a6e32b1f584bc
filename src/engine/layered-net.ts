import type { GadgetNeuron } from './gadget.js';

/**
 * A network on codes as the compiler builds it: hidden layers apply σ_F, the last layer (one neuron)
 * is the identity output layer. Edges index the previous layer.
 */
export interface LayeredNet {
  readonly inputs: number;
  readonly layers: ReadonlyArray<ReadonlyArray<GadgetNeuron>>;
}

/** Parameters (edges + biases), neurons, depth and width of a layered net. */
export function layeredSize(net: LayeredNet): {
  parameters: number;
  neurons: number;
  depth: number;
  width: number;
} {
  let parameters = 0;
  let neurons = 0;
  let width = net.inputs;
  for (const layer of net.layers) {
    neurons += layer.length;
    width = Math.max(width, layer.length);
    for (const n of layer) parameters += n.edges.length + 1;
  }
  return { parameters, neurons, depth: net.layers.length, width };
}
