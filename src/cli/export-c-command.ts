import type { Command } from 'commander';
import { exportC } from '../network/c-export.js';
import { exportTypedC } from '../network/typed-c-export.js';
import { readTypedNetworkFile } from '../network/typed-network-json.js';
import { floatExportC, readFloatNetworkFile } from './float-network-cli.js';
import { planOutputFile, writeOutputFile } from './output-file.js';

export function registerExportC(program: Command): void {
  program
    .command('export-c')
    .description('write the network as dependency-free C99 (integer arithmetic, bit-exact with fxnn)')
    .argument('<network>', 'network JSON file (version 1 or 2)')
    .option('--name <identifier>', 'name of the C function (other symbols are prefixed with it)', 'network')
    .option('--out <file>', 'write to a file instead of standard output')
    .addHelpText(
      'after',
      '\nThe function is  int NAME(const int32_t x[], int32_t y[])  on codes (value·2^n); it returns 0,\n' +
        '-1 for an input outside the format, or under overflow "error" 1 + the index of the neuron that overflowed.\n' +
        'For a version 2 network it is  int NAME(const int64_t x[], int64_t y[])  on codes of the input and\n' +
        'output types; under overflow "error" it returns 1 + the index of the layer that overflowed.\n' +
        '\nExamples:\n  fxnn export-c net.json --name xor > xor.c\n  fxnn export-c net.json --name f --out f.c',
    )
    .action((file: string, opts: { name: string; out?: string }) => {
      // --out is checked before the work; the file is written whole (temporary file, renamed) at the end
      const out = planOutputFile(opts.out, '--out');
      const float = readFloatNetworkFile(file);
      const source =
        float !== null
          ? floatExportC(float, opts)
          : (() => {
              const net = readTypedNetworkFile(file);
              return net.v1 !== null
                ? exportC(net.v1, { name: opts.name })
                : exportTypedC(net, { name: opts.name });
            })();
      if (out) writeOutputFile(out, source);
      else process.stdout.write(source);
    });
}
