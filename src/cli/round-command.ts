import type { Command } from 'commander';
import { roundValue } from '../fixed.js';
import { isFloatSpec } from '../float/float-format.js';
import { floatPolicyFrom, floatRoundLines } from './float-cli.js';
import { resultJson, resultText } from './output.js';
import { addPolicyOptions } from './shared-options.js';

export function registerRound(program: Command): void {
  addPolicyOptions(
    program
      .command('round')
      .description('round exact values into a format: rnd(x) = overflow(quantize(x))')
      .argument('<spec>', 'the format')
      .argument('<value...>', 'decimals (any length), integers or fractions p/q'),
  )
    .option('--json', 'one JSON object per value (JSON Lines)')
    .addHelpText(
      'after',
      '\nExamples:\n  fxnn round Q3.4 -0.75 -1e-3 3.14159\n  fxnn round Q3.4 0.03125 --rounding nearest-away --json\n  fxnn round Q3.0 9 --overflow wrap',
    )
    .action(
      (
        spec: string,
        values: string[],
        opts: { rounding?: string; overflow?: string; json?: boolean },
        cmd?: Command,
      ) => {
        if (isFloatSpec(spec)) {
          const lines = floatRoundLines(spec, values, floatPolicyFrom(cmd, opts), opts.json);
          process.stdout.write(`${lines.join('\n')}\n`);
          return;
        }
        // All values are checked before anything is printed: a bad value leaves only its error.
        const lines = values.map((v) => {
          const r = roundValue(spec, v, opts);
          return opts.json ? resultJson(r) : `${v} -> ${resultText(r)}`;
        });
        process.stdout.write(`${lines.join('\n')}\n`);
      },
    );
}
