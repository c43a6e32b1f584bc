import { readFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { CONSTRUCTION_NAMES } from '../constructions/registry.js';
import { FxnnError } from '../errors.js';
import { EXPRESSION_LIMITS_TEXT } from '../expression/expression.js';
import { makeConfiguration } from '../expressivity/configuration.js';
import {
  type ConstructProgress,
  type ConstructReport,
  construct,
  MAX_CONSTRUCT_POINTS,
} from '../expressivity/construct.js';
import { constructionPlotSvg } from '../expressivity/construct-plot.js';
import { parseFixedType } from '../fixed-type.js';
import { networkToJsonText } from '../network/network-json.js';
import { expressionTarget } from '../target/target-function.js';
import { parseTargetTable, tableInputsOf } from '../target/target-table.js';
import { activationFromOptions, addActivationOptions } from './activation-options.js';
import { toJson } from './output.js';
import { planOutputFile, writeOutputFile } from './output-file.js';
import { formatDuration, PhaseLog, type Progress, startProgress } from './progress.js';
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

/** Domains from this many inputs on report their phases and the verification's progress. */
const REPORT_POINTS = 1 << 16;

/**
 * The progress of a construction on standard error: a line per phase, then the verification's progress
 * (a bar on a terminal, a line per tenth otherwise) and its estimate, measured on the first inputs.
 */
function constructProgress(points: number): ConstructProgress & { done(): void } {
  const log = new PhaseLog('construct', points >= REPORT_POINTS);
  const names = {
    certificate: 'finding a certificate',
    target: 'tabulating the target',
    compile: 'compiling the network',
    verify: `verifying on all ${points} inputs`,
  } as const;
  let bar: Progress | undefined;
  let t0 = 0;
  let checked = false;
  const done = () => {
    bar?.stop();
    bar = undefined;
    log.close();
  };
  return {
    done,
    phase: (name) => {
      log.phase(names[name]);
      if (name === 'verify') {
        t0 = performance.now();
        if (points >= REPORT_POINTS) bar = startProgress('construct: verify', points, 'inputs');
      }
    },
    verified: (count, total) => {
      bar?.update(count);
      const elapsed = (performance.now() - t0) / 1000;
      // measured over 15 s (the first inputs run before the code is optimised); reported, not
      // enforced: the domain is bounded (≤ 2^20 inputs) and an early estimate is too rough to refuse on
      if (!checked && elapsed > 15 && count < total) {
        checked = true;
        log.note(
          `verification: ${count} of ${total} inputs in ${formatDuration(elapsed)}, about ${formatDuration((elapsed * (total - count)) / count)} left (estimate)`,
        );
      }
      if (count === total) done();
    },
  };
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
      // the type string, not its format alone: ap_fixed<16,6> means floor and wrap (--rounding and
      // --overflow override them), Qm.n nearest-even and saturate
      const format = parseFixedType(opts.format, { rounding: opts.rounding, overflow: opts.overflow }).format;
      const config = makeConfiguration({
        ...opts,
        format: opts.format,
        activation: activationFromOptions(opts.activation, opts, format),
      });
      if ((opts.table === undefined) === (opts.fn === undefined)) {
        throw new FxnnError('construct: give exactly one of --table FILE or --fn EXPR', 'table');
      }
      // output paths are checked before any work, and written only once the network is verified
      const out = planOutputFile(opts.out, '--out');
      const plot = planOutputFile(opts.plot, '--plot');
      let d: number;
      let target: Int32Array | Awaited<ReturnType<typeof expressionTarget>>;
      if (opts.fn !== undefined) {
        d = Number(opts.dims ?? '1');
        if (!Number.isInteger(d) || d < 1 || d > 8)
          throw new FxnnError(`--dims: expected 1 to 8, got ${JSON.stringify(opts.dims)}`, 'dims');
        target = await expressionTarget(opts.fn, config.format, config.policy, d);
      } else {
        const text = readFileSync(opts.table as string, 'utf8');
        d = tableInputsOf(text.split(/\r?\n/, 1)[0], opts.table);
        if (opts.dims !== undefined && Number(opts.dims) !== d)
          throw new FxnnError(
            `--dims: the header of ${opts.table} has ${d} input${d === 1 ? '' : 's'}, got --dims ${JSON.stringify(opts.dims)}`,
            'dims',
          );
        target = parseTargetTable(text, config.format, d, opts.table).codes;
      }
      if (opts.plot && d > 2) throw new FxnnError(`--plot draws d = 1 or d = 2, not d = ${d}`, 'plot');
      const points = Number(config.format.size) ** d;
      // refused before the certificate search, which alone can take minutes on large formats
      if (points > MAX_CONSTRUCT_POINTS)
        throw new FxnnError(
          `|𝕀|^d = ${config.format.size}^${d} = ${points} inputs; construct handles up to ${MAX_CONSTRUCT_POINTS}`,
          'dims',
        );
      const progress = constructProgress(points);
      let report: ReturnType<typeof construct>;
      try {
        report = construct(config, target, d, { construction: opts.construction, progress });
      } finally {
        progress.done();
      }
      if (out) writeOutputFile(out, networkToJsonText(report.network));
      if (plot) {
        const title = `${opts.fn ?? opts.table} on ${config.format.spec}, ${config.activation.key}: ${report.size.parameters} parameters, verified on ${report.verifiedInputs} inputs`;
        writeOutputFile(plot, constructionPlotSvg(config.format, d, report.target, report.outputs, title));
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
        predictedParameters: report.predictedParameters,
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
          constructionLine(report),
          `lower bound |𝕀|^d = ${report.lowerBound}; size ratio ${summary.ratio}`,
          `time        certificate ${ms.certificate} ms, target ${ms.table} ms, compile ${ms.compile} ms, verify ${ms.verify} ms`,
          ...(opts.out ? [`wrote ${opts.out}`] : []),
          ...(opts.plot ? [`wrote ${opts.plot}`] : []),
        ].join('\n'),
      );
    });
}

/** What each construction's `boxes` counts (src/constructions/). */
const UNITS: Readonly<Record<string, string>> = {
  boxes: 'boxes',
  rows: 'row classes',
  columns: 'column classes',
  steps: 'threshold signals',
  'two-level': 'row neurons',
  'two-level-index': 'row neurons',
  thresholds: 'threshold neurons',
};

/**
 * `construction two-level: 570 parameters as planned (exact); 27 row neurons; without compression …`:
 * the construction used, its plan against the network built, and the boxes without compression.
 */
export function constructionLine(r: ConstructReport): string {
  const built = r.size.parameters;
  const plan =
    r.predictedParameters === null
      ? ''
      : r.predictedParameters === built
        ? ' as planned (exact)'
        : ` (planned at least ${r.predictedParameters})`;
  const plain = r.plainParameters !== null ? `; one box per point: ${r.plainParameters} parameters` : '';
  const units = UNITS[r.method] ?? (r.method.startsWith('composition') ? 'point trees' : 'units');
  return `construction ${r.method}: ${built} parameters${plan}; ${r.boxes} ${units}${plain}`;
}
