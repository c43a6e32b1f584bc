import { type Command, Option } from 'commander';
import { readHls4mlConfig } from '../onnx/hls4ml-config.js';
import { importChain } from '../onnx/import-network.js';
import { networkV2Text } from '../onnx/network-v2-text.js';
import { readOnnxFile } from '../onnx/onnx-proto.js';
import { readMlpChain } from '../onnx/read-mlp-chain.js';
import { planOutputFile, writeOutputFile } from './output-file.js';

interface ImportOptions {
  precision?: string;
  config?: string;
  activations: 'table' | 'exact';
  weightValues: 'float32' | 'hls4ml-text';
  out?: string;
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description(
      'import an ONNX or QONNX MLP as network JSON v2 with hls4ml precisions (bit-exact hls4ml semantics)',
    )
    .argument('<model>', 'the .onnx file')
    .option(
      '--precision <type>',
      "the default type of every layer (overrides the config's Model.Precision; default ap_fixed<16,6>)",
    )
    .option('--config <file>', 'hls4ml precision config (.json, .yml or .yaml): Model, LayerName, LayerType')
    .addOption(
      new Option('--activations <how>', "sigmoid/tanh: hls4ml's lookup tables or fxnn's correctly rounded σ")
        .choices(['table', 'exact'])
        .default('table'),
    )
    .addOption(
      new Option(
        '--weight-values <how>',
        "float32: the exact float32 values rounded into their types; hls4ml-text: as hls4ml's writer prints them (as many decimals as fractional bits), then rounded",
      )
        .choices(['float32', 'hls4ml-text'])
        .default('float32'),
    )
    .option('--out <file>', 'write the network JSON to a file instead of standard output')
    .addHelpText(
      'after',
      '\nExamples:\n  fxnn import mlp.onnx --out net.json\n  fxnn import mlp.onnx --config hls4ml.yml --out net.json\n' +
        "  fxnn import mlp.onnx --precision 'ap_fixed<12,4,AP_RND,AP_SAT>' --activations exact --out net.json",
    )
    .action((file: string, opts: ImportOptions) => {
      const out = planOutputFile(opts.out, '--out');
      const config = opts.config ? readHls4mlConfig(opts.config) : undefined;
      const chain = readMlpChain(readOnnxFile(file));
      const { json, notes } = importChain(chain, {
        precision: opts.precision,
        config,
        activations: opts.activations,
        weightValues: opts.weightValues,
      });
      for (const note of notes) process.stderr.write(`note: ${note}\n`);
      const text = networkV2Text(json);
      if (out) writeOutputFile(out, text);
      else process.stdout.write(text);
    });
}
