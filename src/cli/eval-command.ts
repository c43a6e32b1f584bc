import { closeSync, openSync, writeSync } from 'node:fs';
import type { Command } from 'commander';
import { roundCodeQuotient } from '../core/ops.js';
import { check, FxnnError } from '../errors.js';
import { compileNetwork, hasFastEvaluator } from '../network/fast-evaluator.js';
import type { Network } from '../network/network.js';
import { outputCount } from '../network/network.js';
import { readNetworkFile } from '../network/network-file.js';
import { evaluateReference } from '../network/reference-evaluator.js';
import { codeToDecimal, exactCode, parseValue } from '../value.js';
import { floatEval, readFloatNetworkFile } from './float-network-cli.js';
import { toJson } from './output.js';
import { type ExhaustiveCliOptions, runExhaustiveCommand } from './run-exhaustive.js';

interface EvalOptions extends ExhaustiveCliOptions {
  input?: string;
  roundInputs?: boolean;
  all?: boolean;
  out?: string;
  json?: boolean;
}

/**
 * The codes of `--input x1,…,xd`: each value must be a value of the format, or with `round` is
 * rounded into it by the network's policy.
 */
export function parseInputCodes(net: Network, text: string, round: boolean): bigint[] {
  const parts = text.split(',').map((p) => p.trim());
  check(
    parts.length === net.inputs,
    () =>
      `--input: the network has ${net.inputs} input${net.inputs === 1 ? '' : 's'}, got ${parts.length} value${parts.length === 1 ? '' : 's'}`,
    'input',
  );
  const { format, policy } = net;
  return parts.map((p, i) => {
    const what = `--input x${i + 1}`;
    if (!round) return exactCode(p, format, what);
    const v = parseValue(p, what);
    try {
      return roundCodeQuotient(v.num << BigInt(format.fracBits), v.den, format, policy).code;
    } catch (e) {
      if (e instanceof FxnnError) throw new FxnnError(`${what}: ${e.message}`, 'input');
      throw e;
    }
  });
}

/** The network's outputs at one input (fast evaluator when the format allows, else the reference). */
export function evaluateOne(net: Network, codes: readonly bigint[]): bigint[] {
  return hasFastEvaluator(net) ? compileNetwork(net).evaluate(codes) : evaluateReference(net, codes);
}

/** Standard output was closed by the reader (e.g. `fxnn eval net.json --all | head`). */
class OutputClosed extends Error {}

/** A destination for streamed text: a file or standard output (waiting for it to drain). */
function openSink(path: string | undefined): { write(text: string): Promise<void>; close(): void } {
  if (path !== undefined) {
    const fd = openSync(path, 'w');
    return {
      write: async (text) => {
        writeSync(fd, text);
      },
      close: () => closeSync(fd),
    };
  }
  const out = process.stdout;
  let failure: Error | undefined;
  const onError = (e: NodeJS.ErrnoException) => {
    failure =
      e.code === 'EPIPE' ? new OutputClosed() : new FxnnError(`writing standard output: ${e.message}`, 'out');
  };
  out.on('error', onError);
  return {
    write: (text) =>
      new Promise((resolve, reject) => {
        if (failure) return reject(failure);
        if (out.write(text)) return resolve();
        const done = () => {
          out.off('drain', done);
          out.off('error', done);
          if (failure) reject(failure);
          else resolve();
        };
        out.once('drain', done);
        out.once('error', done);
      }),
    close: () => {
      out.off('error', onError);
    },
  };
}

async function evalAll(net: Network, opts: EvalOptions): Promise<void> {
  const d = net.inputs;
  const k = outputCount(net);
  const header = [
    ...Array.from({ length: d }, (_, i) => `x${i + 1}`),
    ...Array.from({ length: k }, (_, i) => `y${i + 1}`),
  ].join(',');
  const sink = openSink(opts.out);
  try {
    await sink.write(`${header}\n`);
    await runExhaustiveCommand('eval --all', net, { kind: 'csv' }, opts, (text) =>
      sink.write(text as string),
    );
  } catch (e) {
    if (!(e instanceof OutputClosed)) throw e;
  } finally {
    sink.close();
  }
}

export function registerEval(program: Command): void {
  program
    .command('eval')
    .description('evaluate a network bit-exactly: at one input, or on every input as CSV')
    .argument('<network>', 'network JSON file (version 1)')
    .option('--input <x1,…,xd>', 'one input: comma-separated values of the format')
    .option(
      '--round-inputs',
      'round --input values into the format (network policy) instead of rejecting them',
    )
    .option('--all', 'evaluate every input of 𝕀^d (CSV x1,…,xd,y1,…,yk in lexicographic order of codes)')
    .option('--out <file>', 'with --all: write the CSV to a file instead of standard output')
    .option('--force', 'with --all: run even when the estimate exceeds ten minutes')
    .option('--workers <n>', 'with --all: at most this many threads (default: all cores)')
    .option('--json', 'with --input: print {"x","y","codes"}')
    .addHelpText(
      'after',
      '\nExamples:\n  fxnn eval net.json --input 0.5,-1.25\n  fxnn eval net.json --input 0.3,1 --round-inputs\n  fxnn eval net.json --all --out table.csv',
    )
    .action(async (file: string, opts: EvalOptions) => {
      check(
        (opts.input !== undefined) !== (opts.all === true),
        () => 'eval: give either --input x1,…,xd or --all',
        'input',
      );
      check(!(opts.out !== undefined && !opts.all), () => 'eval: --out goes with --all', 'out');
      const float = readFloatNetworkFile(file);
      if (float !== null) return floatEval(float, opts);
      const net = readNetworkFile(file);
      if (opts.all) return evalAll(net, opts);
      const codes = parseInputCodes(net, opts.input!, opts.roundInputs === true);
      const y = evaluateOne(net, codes);
      const decimals = y.map((c) => codeToDecimal(c, net.format));
      if (opts.json) {
        console.log(toJson({ x: codes.map((c) => codeToDecimal(c, net.format)), y: decimals, codes: y }));
      } else {
        console.log(decimals.join(','));
      }
    });
}
