import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Activation } from '../activations/activation.js';
import { activationPlotSvg } from '../activations/activation-plot.js';
import { approximateText } from '../activations/approximate-value.js';
import {
  activationTableInfo,
  OVERFLOW_SENTINEL,
  type RoundingStats,
  roundedActivation,
} from '../activations/rounded.js';
import { ratio } from '../core/rational.js';
import { check, quote } from '../errors.js';
import { parseFixedType } from '../fixed-type.js';
import { isFloatSpec } from '../float/float-format.js';
import type { Format } from '../format.js';
import { parseFormat } from '../format.js';
import type { Policy } from '../policy.js';
import { codeToDecimal, exactCode } from '../value.js';
import { activationFromOptions, addActivationOptions } from './activation-options.js';
import { floatPolicyFrom, printFloatActivation } from './float-cli.js';
import { toJson } from './output.js';
import { addPolicyOptions } from './shared-options.js';

interface ActivationOptions {
  format?: string;
  rounding?: string;
  overflow?: string;
  alpha?: string;
  lut?: string;
  expr?: string;
  json?: boolean;
  csv?: boolean;
  at?: boolean;
  plot?: string;
  stats?: boolean;
}

function statsLine(stats: Readonly<RoundingStats>): string {
  return (
    `${stats.points} points: ${stats.double} by the double path, ${stats.exact} exact, ` +
    `${stats.fallback} by the decimal fallback` +
    (stats.fallback > 0 ? ` (up to ${stats.maxDigits} digits)` : '') +
    (stats.millis > 0 ? `; ${stats.millis.toFixed(1)} ms` : '')
  );
}

function printTable(act: Activation, format: Format, policy: Policy, opts: ActivationOptions): void {
  const { table, stats } = activationTableInfo(act, format, policy);
  const min = format.minCode;
  const value = (c: number) => (c === OVERFLOW_SENTINEL ? null : codeToDecimal(BigInt(c), format));
  if (opts.json) {
    const codes = Array.from(table, (c) => (c === OVERFLOW_SENTINEL ? null : c));
    process.stdout.write(
      `${toJson({
        format: format.spec,
        activation: act.json,
        rounding: policy.rounding,
        overflow: policy.overflow,
        x0: min,
        codes,
        values: Array.from(table, value),
      })}\n`,
    );
  } else {
    const lines: string[] = [];
    if (opts.csv) lines.push('x,y');
    for (let i = 0; i < table.length; i++) {
      const x = codeToDecimal(min + BigInt(i), format);
      const y = value(table[i]) ?? 'overflow';
      lines.push(opts.csv ? `${x},${y}` : `${x}\t${y}`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
    if (!opts.csv)
      process.stdout.write(
        `# ${act.key} in ${format.spec}, ${policy.rounding}, ${policy.overflow}: ${statsLine(stats)}\n`,
      );
  }
  if (opts.stats) process.stderr.write(`${statsLine(stats)}\n`);
}

function printPoints(
  act: Activation,
  format: Format,
  policy: Policy,
  points: string[],
  opts: ActivationOptions,
): void {
  const rounded = roundedActivation(act, format, policy);
  const codes = points.map((p) => exactCode(p, format, 'x'));
  const results = codes.map((c) => rounded.apply(c));
  const xs = codes.map((c) => codeToDecimal(c, format));
  const values = results.map((c) => codeToDecimal(c, format));
  if (opts.json) {
    process.stdout.write(
      `${toJson({
        format: format.spec,
        activation: act.json,
        rounding: policy.rounding,
        overflow: policy.overflow,
        x: xs,
        codes: results,
        values,
      })}\n`,
    );
  } else if (opts.csv) {
    process.stdout.write(`x,y\n${xs.map((x, i) => `${x},${values[i]}`).join('\n')}\n`);
  } else {
    const lines = codes.map((c, i) => {
      const approx = approximateText(act, ratio(c, 1n << BigInt(format.fracBits)));
      return `σ_F(${xs[i]}) = ${values[i]}  (code ${results[i]}; σ(x) ≈ ${approx})`;
    });
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  if (opts.stats) process.stderr.write(`${statsLine(rounded.stats)}\n`);
}

export function registerActivation(program: Command): void {
  addActivationOptions(
    addPolicyOptions(
      program
        .command('activation')
        .description(
          'a correctly rounded activation σ_F(x) = rnd(σ(x)) over every value of a format, or at points',
        )
        .argument(
          '<name>',
          'identity, relu, leaky-relu, elu, sigmoid, tanh, softplus, silu, mish, gelu, gelu-tanh, hard-sigmoid, hard-swish, step, lut or expr',
        )
        .argument('[x...]', 'with --at: the points, values of the format')
        .option('--format <spec>', 'the format (required)'),
    ),
  )
    .option('--json', 'one JSON object {format, activation, rounding, overflow, x0, codes, values}')
    .option('--csv', 'CSV rows x,y (readable back with --lut)')
    .option('--at', 'only the points x… given as arguments (values of the format), e.g. --at 1.5 -0.25')
    .option('--plot <file.svg>', 'also draw σ and the staircase σ_F into an SVG file')
    .option('--stats', 'print how the points were decided (double path, exact, decimal fallback) to stderr')
    .addHelpText(
      'after',
      '\nExamples:\n  fxnn activation silu --format Q3.4\n  fxnn activation gelu --format Q7.8 --rounding floor --at 127 -8\n' +
        '  fxnn activation leaky-relu --alpha 0.1 --format Q3.4 --json\n  fxnn activation sigmoid --format Q2.5 --plot sigmoid.svg\n' +
        '  fxnn activation expr --expr "x*sigmoid(x)" --format Q3.4 --csv > silu.csv\n  fxnn activation lut --lut silu.csv --format Q3.4',
    )
    .action((name: string, points: string[], opts: ActivationOptions, cmd?: Command) => {
      check(
        opts.format !== undefined,
        () => 'activation: --format <spec> is required (e.g. --format Q3.4)',
        'format',
      );
      check(!(opts.json && opts.csv), () => 'activation: choose one of --json and --csv', 'json');
      if (isFloatSpec(opts.format)) {
        check(
          opts.at === true || points.length === 0,
          () => `activation: unexpected argument ${quote(points[0])} (points need --at, e.g. --at 0.5 -1)`,
          'at',
        );
        check(!(opts.at && points.length === 0), () => 'activation: --at needs at least one point x', 'at');
        const act = activationFromOptions(name, { ...opts, lut: undefined }, parseFormat('Q0.1'));
        check(opts.lut === undefined, () => '--lut tables are defined on fixed-point formats only', 'lut');
        printFloatActivation(act, opts.format, floatPolicyFrom(cmd, opts), opts.at ? points : null, opts);
        return;
      }
      const { format, policy } = parseFixedType(opts.format, opts);
      const act = activationFromOptions(name, opts, format);
      if (opts.plot !== undefined) {
        check(
          opts.plot.toLowerCase().endsWith('.svg'),
          () => `--plot: expected a file name ending in .svg, got ${quote(opts.plot)}`,
          'plot',
        );
      }
      check(
        opts.at === true || points.length === 0,
        () => `activation: unexpected argument ${quote(points[0])} (points need --at, e.g. --at 0.5 -1)`,
        'at',
      );
      check(!(opts.at && points.length === 0), () => 'activation: --at needs at least one point x', 'at');
      if (opts.at) printPoints(act, format, policy, points, opts);
      else printTable(act, format, policy, opts);
      if (opts.plot !== undefined) {
        const { table } = activationTableInfo(act, format, policy);
        writeFileSync(opts.plot, activationPlotSvg(act, format, policy, table));
      }
    });
}
