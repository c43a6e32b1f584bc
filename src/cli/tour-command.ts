import type { Command } from 'commander';
import { formatFacts, operate, roundValue } from '../fixed.js';

/** A short tour: what a format is, how rounding works, one operation. */
export function tourText(): string {
  const f = formatFacts('Q3.4');
  const lines = [
    'fxnn — exact fixed-point arithmetic (a short tour)',
    '',
    `Format Q3.4: ${f.bits} bits, step ${f.step}, range [${f.min}, ${f.max}], ${f.count} values.`,
    '',
    'Rounding 0.15625 (= 2.5 steps, a tie) into Q3.4 in four of the eight modes:',
  ];
  for (const mode of ['nearest-even', 'nearest-away', 'floor', 'ceil'] as const) {
    lines.push(`  ${mode.padEnd(13)} ${roundValue('Q3.4', '0.15625', { rounding: mode }).value}`);
  }
  const sat = roundValue('Q3.4', '9.5');
  const wrap = roundValue('Q3.4', '9.5', { overflow: 'wrap' });
  lines.push(`  9.5 overflows: saturate gives ${sat.value}, wrap gives ${wrap.value}`);
  const prod = operate('Q3.4', 'mul', '1.5', '-0.3125');
  lines.push(
    '',
    `1.5 ⊗ -0.3125 = rnd(-0.46875) = ${prod.value} (code ${prod.code}), rounded once from the exact product.`,
  );
  lines.push('', 'Try: fxnn format Q7.8 · fxnn round Q3.4 -0.75 -1e-3 · fxnn op Q3.4 div 1 3 --json');
  return lines.join('\n');
}

export function registerTour(program: Command): void {
  program
    .command('tour')
    .description('a short tour of formats, rounding and operations')
    .addHelpText(
      'after',
      '\nExamples:\n  fxnn tour\n  npm start   (from a checkout: builds, then runs the tour)',
    )
    .action(() => console.log(tourText()));
}
