import type { Command } from 'commander';
import { formatFacts } from '../fixed.js';
import { isFloatSpec } from '../float/float-format.js';
import { printFloatFormat } from './float-cli.js';
import { toJson } from './output.js';

export function registerFormat(program: Command): void {
  program
    .command('format')
    .description('print the facts of a fixed-point format')
    .argument(
      '<spec>',
      'Qm.n, SQm.n, UQm.n, ap_fixed<W,I>, ap_ufixed<W,I>, or a float format E4M3, E5M2, fp16, bf16, EeMm, EeMmFN',
    )
    .option('--json', 'print one JSON object')
    .option('--values', 'float formats: print the value table, CSV code,value for every code')
    .addHelpText(
      'after',
      '\nExamples:\n  fxnn format Q3.4\n  fxnn format "ap_fixed<16,6>" --json\n  fxnn format E4M3\n  fxnn format E5M2 --values',
    )
    .action((spec: string, opts: { json?: boolean; values?: boolean }) => {
      if (isFloatSpec(spec)) return printFloatFormat(spec, opts.json, opts.values);
      const f = formatFacts(spec);
      if (opts.json) {
        console.log(toJson(f));
        return;
      }
      console.log(
        [
          `format    ${f.spec} (${f.encoding})`,
          `bits      ${f.bits} total: ${f.intBits} integer, ${f.fracBits} fractional${f.encoding === 'unsigned' ? '' : ', sign'}`,
          `step ε    ${f.step}`,
          `range     [${f.min}, ${f.max}]  (codes ${f.minCode} … ${f.maxCode})`,
          `values    ${f.count}`,
          `1 ∈ 𝕀     ${f.hasOne ? 'yes' : 'no'}`,
        ].join('\n'),
      );
    });
}
