import type { Command } from 'commander';
import { formatFacts } from '../fixed.js';
import { toJson } from './output.js';

export function registerFormat(program: Command): void {
  program
    .command('format')
    .description('print the facts of a fixed-point format')
    .argument('<spec>', 'Qm.n, SQm.n, UQm.n, ap_fixed<W,I> or ap_ufixed<W,I>')
    .option('--json', 'print one JSON object')
    .addHelpText('after', '\nExamples:\n  fxnn format Q3.4\n  fxnn format "ap_fixed<16,6>" --json')
    .action((spec: string, opts: { json?: boolean }) => {
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
