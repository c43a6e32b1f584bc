import type { Command } from 'commander';
import { infoText, networkInfo, typedNetworkInfo } from '../network/network-info.js';
import { readTypedNetworkFile } from '../network/typed-network-json.js';
import { floatInfoText, floatNetworkInfo, readFloatNetworkFile } from './float-network-cli.js';
import { toJson } from './output.js';

export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('describe a network: format, modes, semantics, sizes and layers')
    .argument('<network>', 'network JSON file (version 1 or 2; fixed-point or float format)')
    .option('--json', 'print one JSON object')
    .addHelpText('after', '\nExamples:\n  fxnn info net.json\n  fxnn info net.json --json')
    .action((file: string, opts: { json?: boolean }) => {
      const float = readFloatNetworkFile(file);
      if (float !== null) {
        console.log(opts.json ? toJson(floatNetworkInfo(float)) : floatInfoText(float));
        return;
      }
      const typed = readTypedNetworkFile(file);
      if (opts.json) {
        console.log(toJson(typed.v1 === null ? typedNetworkInfo(typed) : networkInfo(typed.v1)));
        return;
      }
      console.log(infoText(typed));
    });
}
