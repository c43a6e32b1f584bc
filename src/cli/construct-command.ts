import { readFileSync, writeFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { CONSTRUCTION_NAMES } from '../constructions/registry.js';
import { FxnnError } from '../errors.js';
import { EXPRESSION_LIMITS_TEXT } from '../expression/expression.js';
import { makeConfiguration } from '../expressivity/configuration.js';
import { construct } from '../expressivity/construct.js';
import { constructionPlotSvg } from '../expressivity/construct-plot.js';
import { parseFormat } from '../format.js';
import { networkToJsonText } from '../network/network-json.js';
import { expressionTarget } from '../target/target-function.js';
import { parseTargetTable } from '../target/target-table.js';
import { activationFromOptions, addActivationOptions } from './activation-options.js';
import { toJson } from './output.js';
import { addPolicyOptions } from './shared-options.js';

interface ConstructOptions {
  construction?: string;
  activation: string;
  format: string;
  alpha?: string;
  lut?: string;
  expr?: string;
  table?: string;
  fn?: string;
  dims?: string;
  weights: string;
  rounding?: string;
  overflow?: string;
  accumulation: string;
  bias: string;
  out?: string;
  plot?: string;
  json?: boolean;
}

export function registerConstruct(program: Command): void {
  addActivationOptions(
    addPolicyOptions(
      program
        .command('construct')
        .description(
          'build a network that computes a target exactly on every input, verify it, and report its size',
        )
        .requiredOption(
          '--activation <name>',
          'the activation σ of the hidden layers: a built-in name, lut (with --lut FILE) or expr (with --expr E)',
        )
        .requiredOption('--format <spec>', 'the fixed-point format')
        .option('--table <file>', 'target as a CSV with header x1,…,xd,y and one row per input')
        .option(
          '--fn <expr>',
          `target as an expression in x1…xd, correctly rounded into the format (${EXPRESSION_LIMITS_TEXT})`,
        )
        .option('--dims <d>', 'number of inputs d (with --fn; a table tells its own)'),
    ),
  )
    .addOption(new Option('--weights <set>', 'weight set').choices(['all', 'binary']).default('all'))
    .addOption(
      new Option('--accumulation <mode>', 'accumulation')
        .choices(['sequential', 'exact'])
        .default('sequential'),
    )
    .addOption(
      new Option('--bias <order>', 'bias order in sequential accumulation')
        .choices(['last', 'first'])
        .default('last'),
    )
    .addOption(
      new Option(
        '--construction <name>',
        `force one construction instead of the smallest (${CONSTRUCTION_NAMES.join(', ')})`,
      ).choices([...CONSTRUCTION_NAMES]),
    )
    .option('--out <file>', 'write the network JSON (v1) here')
    .option(
      '--plot <file.svg>',
      'draw the target and the network output (a line for d = 1, heat maps for d = 2)',
    )
    .option('--json', 'print the report as one JSON object')
    .addHelpText(
      'after',
      '\nExamples:\n  fxnn construct --activation relu --format Q3.4 --fn "sin(3*x1)" --dims 1 --out net.json\n  fxnn construct --activation gelu --format Q2.3 --table f.csv --weights binary --out net.json',
    )
    .action(async (opts: ConstructOptions) => {
      const format = parseFormat(opts.format);
      const config = makeConfiguration({
        ...opts,
        format,
        activation: activationFromOptions(opts.activation, opts, format),
      });
      if ((opts.table === undefined) === (opts.fn === undefined)) {
        throw new FxnnError('construct: give exactly one of --table FILE or --fn EXPR', 'table');
      }
      let d: number;
      let target: Int32Array | Awaited<ReturnType<typeof expressionTarget>>;
      if (opts.fn !== undefined) {
        d = Number(opts.dims ?? '1');
        if (!Number.isInteger(d) || d < 1 || d > 8)
          throw new FxnnError(`--dims: expected 1 to 8, got ${JSON.stringify(opts.dims)}`, 'dims');
        target = await expressionTarget(opts.fn, config.format, config.policy, d);
      } else {
        const text = readFileSync(opts.table as string, 'utf8');
        const header = text
          .split(/\r?\n/, 1)[0]
          .split(',')
          .map((h) => h.trim());
        d = opts.dims !== undefined ? Number(opts.dims) : header.filter((h) => /^x\d+$/.test(h)).length;
        target = parseTargetTable(text, config.format, d, opts.table).codes;
      }
      if (opts.plot && d > 2) throw new FxnnError(`--plot draws d = 1 or d = 2, not d = ${d}`, 'plot');
      const report = construct(config, target, d, { construction: opts.construction });
      if (opts.out) writeFileSync(opts.out, networkToJsonText(report.network));
      if (opts.plot) {
        const title = `${opts.fn ?? opts.table} on ${config.format.spec}, ${config.activation.key}: ${report.size.parameters} parameters, verified on ${report.verifiedInputs} inputs`;
        writeFileSync(opts.plot, constructionPlotSvg(config.format, d, report.target, report.outputs, title));
      }
      const summary = {
        configuration: {
          format: config.format.spec,
          activation: config.activation.key,
          rounding: config.policy.rounding,
          overflow: config.policy.overflow,
          accumulation: config.accumulation,
          bias: config.bias,
          weights: config.weights,
        },
        inputs: d,
        verifiedInputs: report.verifiedInputs,
        size: report.size,
        plainParameters: report.plainParameters,
        lowerBound: report.lowerBound,
        ratio: Number(report.ratio.toFixed(3)),
        boxes: report.boxes,
        construction: report.method,
        millis: Object.fromEntries(Object.entries(report.millis).map(([k, v]) => [k, Math.round(v)])),
        out: opts.out ?? null,
      };
      if (opts.json) {
        console.log(toJson(summary));
        return;
      }
      const ms = summary.millis;
      console.log(
        [
          `verified on all ${report.verifiedInputs} inputs: the network computes the target exactly`,
          `size        ${report.size.parameters} parameters, ${report.size.neurons} neurons, depth ${report.size.depth}, width ${report.size.width}`,
          `construction ${report.method}`,
          `compression ${report.boxes} boxes${report.plainParameters !== null ? `; without compression ${report.plainParameters} parameters` : ''}`,
          `lower bound |𝕀|^d = ${report.lowerBound}; size ratio ${summary.ratio}`,
          `time        certificate ${ms.certificate} ms, target ${ms.table} ms, compile ${ms.compile} ms, verify ${ms.verify} ms`,
          ...(opts.out ? [`wrote ${opts.out}`] : []),
          ...(opts.plot ? [`wrote ${opts.plot}`] : []),
        ].join('\n'),
      );
    });
}
