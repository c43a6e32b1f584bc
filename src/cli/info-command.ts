import type { Command } from 'commander';
import type { Network } from '../network/network.js';
import { readNetworkFile } from '../network/network-file.js';
import { networkSize } from '../network/size.js';
import { toJson } from './output.js';

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

export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('describe a network: format, modes, semantics, sizes and layers')
    .argument('<network>', 'network JSON file (version 1)')
    .option('--json', 'print one JSON object')
    .addHelpText('after', '\nExamples:\n  fxnn info net.json\n  fxnn info net.json --json')
    .action((file: string, opts: { json?: boolean }) => {
      const info = networkInfo(readNetworkFile(file));
      if (opts.json) {
        console.log(toJson(info));
        return;
      }
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
      console.log(lines.join('\n'));
    });
}
