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
import { decimalsOf } from '../network/exhaustive-tasks.js';
import type { Policy } from '../policy.js';
import { codeToDecimal, exactCode } from '../value.js';
import { activationFromOptions, addActivationOptions } from './activation-options.js';
import { floatPolicyFrom, printFloatActivation } from './float-cli.js';
import { toJson } from './output.js';
import { planOutputFile, writeOutputFile } from './output-file.js';
import { addPolicyOptions } from './shared-options.js';
import { LineWriter, OutputClosed, openTextSink } from './text-sink.js';

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

/**
 * Prints σ_F over every value of the format as a stream (text, CSV or one JSON object written piece by
 * piece): memory holds the table, never the text, however large the format.
 */
async function printTable(
  act: Activation,
  format: Format,
  policy: Policy,
  opts: ActivationOptions,
): Promise<void> {
  const { table, stats } = activationTableInfo(act, format, policy);
  const min = format.minCode;
  const x0 = Number(min);
  const decimal = decimalsOf(format);
  const value = (c: number) => (c === OVERFLOW_SENTINEL ? null : decimal(c));
  const sink = openTextSink(undefined);
  const out = new LineWriter(sink);
  const put = async (text: string) => {
    const wait = out.line(text);
    if (wait) await wait;
  };
  try {
    if (opts.json) {
      // one JSON object, the same as toJson would print, in pieces of 4096 entries
      const head = toJson({
        format: format.spec,
        activation: act.json,
        rounding: policy.rounding,
        overflow: policy.overflow,
        x0: min,
      });
      const piece = 4096;
      const list = async (name: string, item: (c: number) => string) => {
        await sink.write(`,"${name}":[`);
        for (let i = 0; i < table.length; i += piece) {
          const part = Array.from(table.subarray(i, i + piece), item).join(',');
          await sink.write(i === 0 ? part : `,${part}`);
        }
        await sink.write(']');
      };
      await sink.write(head.slice(0, -1));
      await list('codes', (c) => (c === OVERFLOW_SENTINEL ? 'null' : String(c)));
      await list('values', (c) => (c === OVERFLOW_SENTINEL ? 'null' : JSON.stringify(decimal(c))));
      await sink.write('}\n');
    } else {
      if (opts.csv) await put('x,y');
      for (let i = 0; i < table.length; i++) {
        const x = decimal(x0 + i);
        const y = value(table[i]) ?? 'overflow';
        await put(opts.csv ? `${x},${y}` : `${x}\t${y}`);
      }
      if (!opts.csv)
        await put(
          `# ${act.key} in ${format.spec}, ${policy.rounding}, ${policy.overflow}: ${statsLine(stats)}`,
        );
      await out.flush();
    }
  } catch (e) {
    if (!(e instanceof OutputClosed)) throw e;
  } finally {
    sink.close();
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
    .action(async (name: string, points: string[], opts: ActivationOptions, cmd?: Command) => {
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
      const plot = planOutputFile(opts.plot, '--plot');
      if (opts.at) printPoints(act, format, policy, points, opts);
      else await printTable(act, format, policy, opts);
      if (plot !== undefined) {
        const { table } = activationTableInfo(act, format, policy);
        writeOutputFile(plot, activationPlotSvg(act, format, policy, table));
      }
    });
}
