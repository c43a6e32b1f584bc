/**
 * The facts `fxnn info` prints about a network of either version, as data and as text. Pure (no file or
 * console access), so that the web page shows exactly the CLI's text.
 */
import { typeText } from '../fixed-type.js';
import type { Network } from './network.js';
import { networkSize } from './size.js';
import { type TypedNetwork, typedOutputCount } from './typed-network.js';

/** The facts `fxnn info` prints. */
export function networkInfo(net: Network) {
  const size = networkSize(net);
  return {
    format: net.format.spec,
    encoding: net.format.encoding,
    bits: net.format.bits,
    rounding: net.policy.rounding,
    overflow: net.policy.overflow,
    accumulation: net.accumulation,
    bias: net.bias,
    weights: net.weights,
    ...size,
    layers: net.layers.map((layer) => ({
      activation: layer.activation.key,
      neurons: layer.neurons.length,
      edges: layer.neurons.reduce((s, n) => s + n.edges.length, 0),
    })),
  };
}

/** The facts `fxnn info` prints for a version 2 network: the input type and each layer's types. */
export function typedNetworkInfo(net: TypedNetwork) {
  let width = net.inputs;
  let parameters = 0;
  const layers = net.layers.map((layer) => {
    if (layer.kind === 'dense') {
      const edges = layer.neurons.reduce((s, n) => s + n.edges.length, 0);
      parameters += edges + layer.neurons.length;
      width = layer.neurons.length;
      return {
        name: layer.name,
        kind: 'dense' as const,
        neurons: layer.neurons.length,
        edges,
        accumulation: layer.accumulation,
        bias: layer.bias,
        types: {
          weight: typeText(layer.types.weight),
          bias: typeText(layer.types.bias),
          accum: typeText(layer.types.accum),
          result: typeText(layer.types.result),
        },
      };
    }
    return {
      name: layer.name,
      kind: 'activation' as const,
      activation: layer.activation.key,
      width,
      types: { result: typeText(layer.result) },
      ...(layer.table ? { table: { size: layer.table.size, type: typeText(layer.table.type) } } : {}),
    };
  });
  return {
    version: 2,
    inputs: net.inputs,
    input: typeText(net.input),
    outputs: typedOutputCount(net),
    parameters,
    layers,
  };
}

/** The text `fxnn info` prints (without --json), for a network of either version (the web page shows it too). */
export function infoText(typed: TypedNetwork): string {
  if (typed.v1 === null) {
    const t = typedNetworkInfo(typed);
    const lines = [
      'network JSON version 2 (per-layer types)',
      `inputs        ${t.inputs} of ${t.input}`,
      `outputs       ${t.outputs}`,
      `parameters    ${t.parameters}`,
    ];
    for (const l of t.layers) {
      if (l.kind === 'dense') {
        lines.push(
          `  ${l.name}: dense, ${l.neurons} neuron${l.neurons === 1 ? '' : 's'}, ${l.edges} edges, ${l.accumulation} accumulation, bias ${l.bias}`,
          `      weight ${l.types.weight}; bias ${l.types.bias}`,
          `      accum  ${l.types.accum}; result ${l.types.result}`,
        );
      } else {
        lines.push(
          `  ${l.name}: ${l.activation} → ${l.types.result}${'table' in l && l.table ? ` (hls4ml table: ${l.table.size} entries of ${l.table.type})` : ' (correctly rounded)'}`,
        );
      }
    }
    return lines.join('\n');
  }
  const info = networkInfo(typed.v1);
  const semantics =
    info.accumulation === 'exact'
      ? 'exact accumulation (b + Σ w·h rounded once)'
      : `sequential accumulation, bias ${info.bias}`;
  const lines = [
    `format        ${info.format} (${info.encoding}, ${info.bits} bits)`,
    `rounding      ${info.rounding}`,
    `overflow      ${info.overflow}`,
    `semantics     ${semantics}`,
    `weights       ${info.weights}`,
    `inputs        ${info.inputs}`,
    `outputs       ${info.outputs}`,
    `layers        ${info.depth}`,
    `neurons       ${info.neurons}`,
    `parameters    ${info.parameters} (${info.edges} edges + ${info.biases} biases)`,
    `depth         ${info.depth}`,
    `width         ${info.width}`,
    ...info.layers.map(
      (l, i) =>
        `  layers[${i}]   ${l.activation}: ${l.neurons} neuron${l.neurons === 1 ? '' : 's'}, ${l.edges} edge${l.edges === 1 ? '' : 's'}`,
    ),
  ];
  return lines.join('\n');
}
