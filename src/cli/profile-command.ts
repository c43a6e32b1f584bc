import { writeFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { FxnnError } from '../errors.js';
import { readOnnxFile } from '../onnx/onnx-proto.js';
import { profileModel, rangeText } from '../onnx/profile-model.js';
import { readInputsCsv } from '../onnx/read-inputs-csv.js';
import { readMlpChain } from '../onnx/read-mlp-chain.js';
import { toJson } from './output.js';

interface ProfileOptions {
  inputs: string;
  bits: string;
  out?: string;
  from: 'data' | 'box';
  json?: boolean;
}

export function registerProfile(program: Command): void {
  program
    .command('profile')
    .description(
      'exact value ranges of an ONNX MLP over input rows and over their box; an hls4ml config with no overflow on the data',
    )
    .argument('<model>', 'the .onnx file')
    .requiredOption('--inputs <file>', 'CSV of input rows (header x1,…,xd optional)')
    .option('--bits <W>', 'the width of every type in the config', '16')
    .addOption(
      new Option(
        '--from <what>',
        "integer bits from the data's ranges or from the ranges guaranteed over the input box",
      )
        .choices(['data', 'box'])
        .default('data'),
    )
    .option('--out <file>', 'write the hls4ml config (JSON) to a file')
    .option('--json', 'print ranges and config as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  fxnn profile mlp.onnx --inputs X.csv --out config.json\n  fxnn profile mlp.onnx --inputs X.csv --bits 12 --from box --out safe.json',
    )
    .action((file: string, opts: ProfileOptions) => {
      const width = Number(opts.bits);
      if (!Number.isInteger(width) || width < 2 || width > 64) {
        throw new FxnnError(`--bits: expected a whole number 2 … 64, got "${opts.bits}"`, 'bits');
      }
      const chain = readMlpChain(readOnnxFile(file));
      const rows = readInputsCsv(opts.inputs, chain.inputs);
      const p = profileModel(chain, rows, { width, from: opts.from });
      if (opts.out !== undefined) writeFileSync(opts.out, `${JSON.stringify(p.config, null, 2)}\n`);
      if (opts.json) {
        console.log(toJson({ ...p, config: p.config }));
        return;
      }
      const lines = [
        `${p.rows} inputs; ranges on the data, and guaranteed over the input box (each input within its data range)`,
        `  input          data ${rangeText(p.input.data)}  box ${rangeText(p.input.box)}`,
      ];
      for (const l of p.layers) {
        if (l.kind === 'dense') {
          lines.push(`  ${l.name}`);
          lines.push(`    weight       ${rangeText(l.weight)}   bias ${rangeText(l.bias)}`);
          lines.push(`    product      data ${rangeText(l.data.product)}  box ${rangeText(l.box.product)}`);
          lines.push(`    accumulator  data ${rangeText(l.data.accum)}  box ${rangeText(l.box.accum)}`);
          lines.push(`    result       data ${rangeText(l.data.result)}  box ${rangeText(l.box.result)}`);
        } else {
          lines.push(
            `  ${l.name.padEnd(13)}  data ${rangeText(l.data.result)}  box ${rangeText(l.box.result)}`,
          );
        }
      }
      lines.push(`config (${opts.from === 'data' ? 'from the data' : 'from the box'}, ${width}-bit types):`);
      for (const [name, entry] of Object.entries(p.config.LayerName)) {
        lines.push(
          `  ${name.padEnd(13)}  ${Object.entries(entry.Precision)
            .map(([k, t]) => `${k} ${t}`)
            .join(', ')}`,
        );
      }
      if (p.bumped.length) {
        lines.push(
          `widened after checking the fixed-point network${opts.from === 'box' ? ' on the data and over the box' : ' on the data'}: ${p.bumped.map((b) => `${b.layer}.${b.key} → ${b.bits}`).join(', ')}`,
        );
      }
      if (p.boxChecked !== null) {
        lines.push(
          p.boxChecked
            ? 'checked over the box: no input of the box makes the imported network overflow'
            : 'warning: overflows remain over the box',
        );
      }
      lines.push(
        p.overflows === 0
          ? 'checked: the imported network with this config overflows on none of the inputs'
          : `warning: ${p.overflows} overflow events remain on the data`,
      );
      console.log(lines.join('\n'));
    });
}
