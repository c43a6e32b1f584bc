import { type Command, Option } from 'commander';
import { BUILTIN_ACTIVATIONS } from '../activations/activation.js';
import { Budget, DEFAULT_SECONDS } from '../engine/budget.js';
import { FxnnError } from '../errors.js';
import { certificateFor, certificateToJson } from '../expressivity/certificates.js';
import { makeConfiguration } from '../expressivity/configuration.js';
import { decide } from '../expressivity/verdict.js';
import { parseFixedType } from '../fixed-type.js';
import type { Format } from '../format.js';
import { activationFromOptions, addActivationOptions } from './activation-options.js';
import { runNetworkCheck } from './check-network-command.js';
import { toJson } from './output.js';
import { planOutputFile, writeOutputFile } from './output-file.js';
import { formatDuration, PhaseLog } from './progress.js';
import { mapBitsSeconds } from './reproduce-command.js';
import { addPolicyOptions } from './shared-options.js';

/** Formats from this many bits report the phases of the decision on standard error. */
const REPORT_BITS = 10;

/**
 * A line per phase of the decision on standard error for formats of 10 bits or more (DIST, the
 * certificate search, …), opened by what is known of the time: a typical cell of that many bits in
 * the map (`fxnn reproduce`) and that the search alone can take much longer.
 */
function checkPhases(format: Format): PhaseLog | undefined {
  if (format.bits < REPORT_BITS) return undefined;
  const log = new PhaseLog('check', true);
  if (format.bits > 16) {
    // no tables above 16 bits: the analytic path of docs/theory.md §9.5 (seconds)
    log.note(
      `${format.spec} has ${format.size} values: above 16 bits the verdict comes from the analytic lemmas of docs/theory.md §9.5`,
    );
    return log;
  }
  const typical = mapBitsSeconds(format.bits) / (format.bits * BUILTIN_ACTIVATIONS.length);
  log.note(
    `${format.spec} has ${format.size} values; a typical ${format.bits}-bit configuration takes about ${formatDuration(typical)} on one thread (estimate; the certificate search can take much longer)`,
  );
  const names: Record<string, string> = {
    dist: 'DIST (every pair of inputs separated)',
    certificate: 'certificate search and the linear-unit condition',
    'output-range': 'output-range obstruction',
    fixpoint: 'tiny-format fixpoint',
  };
  const phase = log.phase.bind(log);
  log.phase = (name: string) => phase(names[name] ?? name);
  return log;
}

interface CheckOptions {
  activation?: string;
  format?: string;
  alpha?: string;
  lut?: string;
  expr?: string;
  weights: string;
  rounding?: string;
  overflow?: string;
  accumulation: string;
  bias: string;
  json?: boolean;
  certificateOut?: string;
  budget: string;
}

function parseMaxBits(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new FxnnError(`--max-bits: expected a whole number 1 … 64, got "${text}"`, 'max-bits');
  return n;
}

function parseBudget(text: string): number {
  const budget = Number(text);
  if (!(Number.isFinite(budget) && budget > 0 && budget <= 1000))
    throw new FxnnError(`--budget: expected a number in (0, 1000], got ${JSON.stringify(text)}`, 'budget');
  return budget;
}

export function registerCheck(program: Command): void {
  addActivationOptions(
    addPolicyOptions(
      program
        .command('check')
        .description(
          'decide whether networks of a configuration can compute every function (a verdict with evidence)',
        )
        .argument(
          '[network]',
          "a network JSON (e.g. from fxnn import): the verdict of each layer's configuration",
        )
        .option('--network <file>', 'the same as the [network] argument')
        .option(
          '--max-bits <n>',
          'with a network: decide layers of at most n bits (default 32, all the engine takes; each within the budget)',
          '32',
        )
        .option(
          '--activation <name>',
          'the activation σ: a built-in name, lut (with --lut FILE) or expr (with --expr E)',
        )
        .option('--format <spec>', 'the fixed-point format'),
    ),
  )
    .addOption(new Option('--weights <set>', 'weight set').choices(['all', 'binary']).default('all'))
    .addOption(
      new Option('--accumulation <mode>', 'accumulation')
        .choices(['sequential', 'exact'])
        .default('sequential'),
    )
    .addOption(new Option('--bias <order>', 'bias order').choices(['last', 'first']).default('last'))
    .option('--json', 'print {"verdict","dist","certificate","reason","analytic"}')
    .option(
      '--budget <k>',
      `multiply the search budget (${DEFAULT_SECONDS} s and 4e9 steps) by k; beyond it the verdict is undetermined`,
      '1',
    )
    .option(
      '--certificate-out <file>',
      'write the verified certificate (every gadget) as JSON when the verdict is universal',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  fxnn check --activation relu --format Q3.4\n  fxnn check net.json --budget 2\n  fxnn check --activation identity --format Q3.0 --overflow wrap --json',
    )
    .action((network: string | undefined, opts: CheckOptions & { network?: string; maxBits: string }) => {
      const file = network ?? opts.network;
      const budget = parseBudget(opts.budget);
      if (file !== undefined) {
        runNetworkCheck(file, { json: opts.json, maxBits: parseMaxBits(opts.maxBits), budget });
        return;
      }
      if (opts.activation === undefined || opts.format === undefined) {
        throw new FxnnError('check needs --activation and --format, or a network file', 'check');
      }
      // the type string, not its format alone: ap_fixed<16,6> means floor and wrap (--rounding and
      // --overflow override them), Qm.n nearest-even and saturate
      const format = parseFixedType(opts.format, { rounding: opts.rounding, overflow: opts.overflow }).format;
      const config = makeConfiguration({
        ...opts,
        format: opts.format,
        activation: activationFromOptions(opts.activation, opts, format),
      });
      const certificateOut = planOutputFile(opts.certificateOut, '--certificate-out');
      const phases = checkPhases(config.format);
      const v = decide(config, { budget, onPhase: phases && ((phase) => phases.phase(phase)) });
      phases?.close();
      if (certificateOut) {
        const { setting, report } = certificateFor(config, new Budget(budget));
        if (!report.certificate) {
          throw new FxnnError(
            v.verdict === 'universal' && v.reason.includes('§9.7')
              ? '--certificate-out: the certificate is an idle-set certificate in chain form, whose emitters are one rule (docs/theory.md §9.7); writing it out gadget by gadget is not supported'
              : `--certificate-out: no certificate to write (the verdict is ${v.verdict})`,
            'certificate-out',
          );
        }
        writeOutputFile(
          certificateOut,
          `${JSON.stringify(certificateToJson(config, setting, report.certificate), null, 1)}\n`,
        );
      }
      if (opts.json) {
        console.log(toJson(v));
        return;
      }
      const lines = [`verdict     ${v.verdict}`];
      if (v.dist)
        lines.push(
          `DIST        ${v.dist.holds ? 'holds' : `fails: x = ${v.dist.witness?.[0]} and x = ${v.dist.witness?.[1]} are never separated`}`,
        );
      if (v.certificate) {
        const c = v.certificate;
        lines.push(
          `certificate a = ${c.a}, I = {${c.idle.join(', ')}}, ω = ${c.omega}; detector ≤ ${c.detector.parameters} parameters (depth ${c.detector.depth}), AND ${c.and.parameters}, delay ${c.delay.parameters}, emitter ≤ ${c.emitter.parameters} parameters and ${c.emitter.maxTerms} output terms`,
        );
      }
      if (v.analytic)
        lines.push(
          `analytic    ${v.analytic.holds ? 'the linear-unit condition holds (docs/theory.md §5)' : `the linear-unit condition does not apply: ${v.analytic.failure}`}`,
        );
      lines.push(`reason      ${v.reason}`);
      console.log(lines.join('\n'));
    });
}
