import type { Command } from 'commander';
import { readTypedNetworkFile } from '../network/typed-network-json.js';
import { compareModels } from '../onnx/compare-models.js';
import { readOnnxFile } from '../onnx/onnx-proto.js';
import { readInputsCsv } from '../onnx/read-inputs-csv.js';
import { readMlpChain } from '../onnx/read-mlp-chain.js';
import { toJson } from './output.js';

function g(v: number): string {
  return v === 0 ? '0' : v.toPrecision(4);
}

export function registerCompare(program: Command): void {
  program
    .command('compare')
    .description('compare the float ONNX model with its imported fixed-point network on input rows')
    .argument('<model>', 'the .onnx file')
    .argument('<network>', 'the network JSON (from fxnn import)')
    .requiredOption('--inputs <file>', 'CSV of input rows (header x1,…,xd optional)')
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      "\nThe float model is fxnn's float64 evaluation of the ONNX graph; inputs are cast into the network's\n" +
        "input type by its modes (as hls4ml's test bench does).\n\nExample:\n  fxnn compare mlp.onnx net.json --inputs X.csv",
    )
    .action((modelFile: string, netFile: string, opts: { inputs: string; json?: boolean }) => {
      const chain = readMlpChain(readOnnxFile(modelFile));
      const net = readTypedNetworkFile(netFile);
      const rows = readInputsCsv(opts.inputs, net.inputs);
      const report = compareModels(chain, net, rows);
      if (opts.json) {
        console.log(toJson(report));
        return;
      }
      const lines = [
        `${report.rows} inputs; |fixed − float| per output (float: float64 evaluation of the ONNX graph)`,
      ];
      report.outputs.forEach((o, j) => {
        lines.push(
          `  y${j + 1}  max ${g(o.maxAbs)}${o.maxAbs > 0 ? ` (line ${o.maxLine})` : ''}  mean ${g(o.meanAbs)}`,
        );
      });
      if (report.argmaxAgree !== null) {
        const pct = ((100 * report.argmaxAgree) / report.rows).toFixed(2);
        lines.push(`argmax agrees on ${report.argmaxAgree} of ${report.rows} inputs (${pct}%)`);
      }
      lines.push('overflows (casts that wrapped or saturated):');
      for (const o of report.overflows) {
        const first = o.first
          ? `; first at line ${o.first.line}: neuron ${o.first.event.neuron}, ${o.first.event.cast}${o.first.event.edge === undefined ? '' : ` of edge ${o.first.event.edge}`}, ${o.first.event.value} into ${o.first.event.type.name}`
          : '';
        lines.push(
          `  ${o.name.padEnd(14)} ${o.events} event${o.events === 1 ? '' : 's'} in ${o.rows} input${o.rows === 1 ? '' : 's'}${first}`,
        );
      }
      console.log(lines.join('\n'));
    });
}
