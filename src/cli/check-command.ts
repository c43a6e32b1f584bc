import { writeFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { FxnnError } from '../errors.js';
import { certificateFor, certificateToJson } from '../expressivity/certificates.js';
import { makeConfiguration } from '../expressivity/configuration.js';
import { decide } from '../expressivity/verdict.js';
import { parseFormat } from '../format.js';
import { activationFromOptions, addActivationOptions } from './activation-options.js';
import { runNetworkCheck } from './check-network-command.js';
import { toJson } from './output.js';
import { addPolicyOptions } from './shared-options.js';

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
}

function parseMaxBits(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new FxnnError(`--max-bits: expected a whole number 1 … 64, got "${text}"`, 'max-bits');
  return n;
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
          'with a network: decide formats of at most n bits (larger ones take minutes)',
          '8',
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
    .option('--json', 'print {"verdict","dist","certificate","reason"}')
    .option(
      '--certificate-out <file>',
      'write the verified certificate (every gadget) as JSON when the verdict is universal',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  fxnn check --activation relu --format Q3.4\n  fxnn check net.json --max-bits 8\n  fxnn check --activation identity --format Q3.0 --overflow wrap --json',
    )
    .action((network: string | undefined, opts: CheckOptions & { network?: string; maxBits: string }) => {
      const file = network ?? opts.network;
      if (file !== undefined) {
        runNetworkCheck(file, { json: opts.json, maxBits: parseMaxBits(opts.maxBits) });
        return;
      }
      if (opts.activation === undefined || opts.format === undefined) {
        throw new FxnnError('check needs --activation and --format, or a network file', 'check');
      }
      const format = parseFormat(opts.format);
      const config = makeConfiguration({
        ...opts,
        format,
        activation: activationFromOptions(opts.activation, opts, format),
      });
      const v = decide(config);
      if (opts.certificateOut) {
        const { setting, report } = certificateFor(config);
        if (!report.certificate) {
          throw new FxnnError(
            `--certificate-out: no certificate to write (the verdict is ${v.verdict})`,
            'certificate-out',
          );
        }
        writeFileSync(
          opts.certificateOut,
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
