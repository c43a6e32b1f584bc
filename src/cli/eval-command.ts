import type { Command } from 'commander';
import { roundCodeQuotient } from '../core/ops.js';
import { check, FxnnError } from '../errors.js';
import type { CsvResult } from '../network/exhaustive-tasks.js';
import { compileNetwork, hasFastEvaluator } from '../network/fast-evaluator.js';
import { type InputRounding, textToCode } from '../network/input-codes.js';
import type { Network } from '../network/network.js';
import { outputCount } from '../network/network.js';
import { evaluateReference } from '../network/reference-evaluator.js';
import { compileTypedNetwork } from '../network/typed-fast.js';
import { outputType, type TypedNetwork, typedOutputCount } from '../network/typed-network.js';
import { readTypedNetworkFile } from '../network/typed-network-json.js';
import { codeToDecimal, exactCode, parseValue } from '../value.js';
import { evalInputs } from './eval-inputs.js';
import { floatEval, readFloatNetworkFile } from './float-network-cli.js';
import { toJson } from './output.js';
import { type OutputFile, planOutputFile } from './output-file.js';
import { type ExhaustiveCliOptions, runExhaustiveCommand } from './run-exhaustive.js';
import { OutputClosed, openTextSink, type TextSink } from './text-sink.js';

interface EvalOptions extends ExhaustiveCliOptions {
  input?: string;
  inputs?: string;
  roundInputs?: boolean | string;
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

/** `--round-inputs [exact|float32]` (absent: false). */
export function inputRounding(option: boolean | string | undefined): InputRounding {
  if (option === undefined || option === false) return false;
  if (option === true || option === 'exact') return true;
  if (option === 'float32') return 'float32';
  throw new FxnnError(
    `--round-inputs: expected exact or float32, got ${JSON.stringify(option)}`,
    'round-inputs',
  );
}

/** The codes of `--input x1,…,xd` in a version 2 network's input type. */
function parseTypedInputCodes(net: TypedNetwork, text: string, round: InputRounding): bigint[] {
  const parts = text.split(',').map((p) => p.trim());
  check(
    parts.length === net.inputs,
    () =>
      `--input: the network has ${net.inputs} input${net.inputs === 1 ? '' : 's'}, got ${parts.length} value${parts.length === 1 ? '' : 's'}`,
    'input',
  );
  return parts.map((p, i) => BigInt(textToCode(p, net.input, round, `--input x${i + 1}`)));
}

/** The network's outputs at one input (fast evaluator when the format allows, else the reference). */
export function evaluateOne(net: Network, codes: readonly bigint[]): bigint[] {
  return hasFastEvaluator(net) ? compileNetwork(net).evaluate(codes) : evaluateReference(net, codes);
}

async function evalAll(net: Network, opts: EvalOptions, file: OutputFile | undefined): Promise<void> {
  const d = net.inputs;
  const k = outputCount(net);
  const header = [
    ...Array.from({ length: d }, (_, i) => `x${i + 1}`),
    ...Array.from({ length: k }, (_, i) => `y${i + 1}`),
  ].join(',');
  let sink: TextSink | undefined;
  let overflows = 0;
  let firstOverflow: string | null = null;
  try {
    const plan = await runExhaustiveCommand(
      'eval --all',
      net,
      { kind: 'csv' },
      opts,
      (result) => {
        const r = result as CsvResult;
        overflows += r.overflows;
        firstOverflow ??= r.firstOverflow;
        return sink!.write(r.text);
      },
      // the output (a file is a temporary one until the end) opens only once the estimate is accepted
      async () => {
        sink = openTextSink(file);
        await sink.write(`${header}\n`);
      },
    );
    sink!.finish();
    if (overflows > 0)
      process.stderr.write(
        `eval --all: ${overflows} of ${plan.rows} inputs overflow under overflow mode error (their outputs read "overflow"); the first: ${firstOverflow}\n`,
      );
  } catch (e) {
    if (!(e instanceof OutputClosed)) throw e;
  } finally {
    sink?.close();
  }
}

export function registerEval(program: Command): void {
  program
    .command('eval')
    .description('evaluate a network bit-exactly: at one input, or on every input as CSV')
    .argument('<network>', 'network JSON file (version 1 or 2)')
    .option('--input <x1,…,xd>', 'one input: comma-separated values of the format')
    .option(
      '--inputs <file>',
      'many inputs: a CSV file (a row of d values per input, optional header x1,…,xd) or a .npy array (n × d); writes y1,…,yk per row',
    )
    .option(
      '--round-inputs [mode]',
      "round input values into the input type (its modes) instead of rejecting them: exact (default) rounds the exact decimal; float32 first rounds it to float32, as hls4ml's C test bench does",
    )
    .option('--all', 'evaluate every input of 𝕀^d (CSV x1,…,xd,y1,…,yk in lexicographic order of codes)')
    .option('--out <file>', 'with --all or --inputs: write the CSV to a file instead of standard output')
    .option('--force', 'with --all: run even when the estimate exceeds ten minutes')
    .option(
      '--workers <n>',
      'with --all or --inputs: at most this many threads (default: all cores; --inputs uses up to 4 for files of 4 MB or more)',
    )
    .option('--json', 'with --input: print {"x","y","codes"}')
    .addHelpText(
      'after',
      '\nExamples:\n  fxnn eval net.json --input 0.5,-1.25\n  fxnn eval net.json --input 0.3,1 --round-inputs\n  fxnn eval net.json --all --out table.csv\n  fxnn eval net.json --inputs X.csv --round-inputs --out Y.csv',
    )
    .action(async (file: string, opts: EvalOptions) => {
      const modes = [opts.input !== undefined, opts.all === true, opts.inputs !== undefined].filter(
        Boolean,
      ).length;
      check(modes === 1, () => 'eval: give one of --input x1,…,xd, --inputs <file> or --all', 'input');
      check(
        !(opts.out !== undefined && opts.input !== undefined),
        () => 'eval: --out goes with --all or --inputs',
        'out',
      );
      const round = inputRounding(opts.roundInputs);
      const float = readFloatNetworkFile(file);
      if (float !== null) {
        check(
          round !== 'float32',
          () =>
            '--round-inputs float32: for fixed-point networks (a float network rounds into its own format)',
          'round-inputs',
        );
        return floatEval(float, { ...opts, roundInputs: round === true });
      }
      const out = planOutputFile(opts.out, '--out');
      const typed = readTypedNetworkFile(file);
      if (opts.inputs !== undefined) {
        const workers = opts.workers === undefined ? undefined : Number(opts.workers);
        check(
          workers === undefined || (Number.isInteger(workers) && workers >= 1 && workers <= 64),
          () => `--workers: expected a whole number 1 … 64, got "${opts.workers}"`,
          'workers',
        );
        await evalInputs(typed, opts.inputs, {
          roundInputs: round,
          out,
          networkPath: file,
          workers,
        });
        return;
      }
      if (typed.v1 === null) return evalTyped(typed, opts, out, round);
      const net = typed.v1;
      if (opts.all) return evalAll(net, opts, out);
      const codes =
        round === 'float32'
          ? parseTypedInputCodes(typed, opts.input!, round)
          : parseInputCodes(net, opts.input!, round);
      const y = evaluateOne(net, codes);
      const decimals = y.map((c) => codeToDecimal(c, net.format));
      if (opts.json) {
        console.log(toJson({ x: codes.map((c) => codeToDecimal(c, net.format)), y: decimals, codes: y }));
      } else {
        console.log(decimals.join(','));
      }
    });
}

/** The largest input space `eval --all` enumerates for a version 2 network. */
const TYPED_ALL_LIMIT = 1 << 24;

/** `eval --input` and `eval --all` on a version 2 network. */
async function evalTyped(
  net: TypedNetwork,
  opts: EvalOptions,
  file: OutputFile | undefined,
  round: InputRounding,
): Promise<void> {
  const fast = compileTypedNetwork(net);
  const inFormat = net.input.format;
  const outFormat = outputType(net).format;
  if (opts.input !== undefined) {
    const codes = parseTypedInputCodes(net, opts.input, round);
    const y = fast.evaluate(codes);
    const decimals = y.map((c) => codeToDecimal(c, outFormat));
    if (opts.json) {
      console.log(toJson({ x: codes.map((c) => codeToDecimal(c, inFormat)), y: decimals, codes: y }));
    } else {
      console.log(decimals.join(','));
    }
    return;
  }
  const d = net.inputs;
  const total = inFormat.size ** BigInt(d);
  check(
    total <= BigInt(TYPED_ALL_LIMIT) || opts.force === true,
    () =>
      `eval --all: ${inFormat.spec}^${d} has ${total} inputs; version 2 networks are enumerated up to ${TYPED_ALL_LIMIT} (--force to go on)`,
    'all',
  );
  const k = typedOutputCount(net);
  const header = [
    ...Array.from({ length: d }, (_, i) => `x${i + 1}`),
    ...Array.from({ length: k }, (_, i) => `y${i + 1}`),
  ].join(',');
  const sink = openTextSink(file);
  try {
    await sink.write(`${header}\n`);
    const min = inFormat.minCode;
    const size = inFormat.size;
    const out = new Float64Array(k);
    let lines: string[] = [];
    for (let r = 0n; r < total; r++) {
      const codes: bigint[] = new Array(d);
      let rest = r;
      for (let j = d - 1; j >= 0; j--) {
        codes[j] = min + (rest % size);
        rest /= size;
      }
      fast.evaluateRows(
        Float64Array.from(codes, (c) => Number(c)),
        1,
        out,
      );
      lines.push(
        [
          ...codes.map((c) => codeToDecimal(c, inFormat)),
          ...Array.from(out, (c) => codeToDecimal(BigInt(c), outFormat)),
        ].join(','),
      );
      if (lines.length === 4096) {
        await sink.write(`${lines.join('\n')}\n`);
        lines = [];
      }
    }
    if (lines.length > 0) await sink.write(`${lines.join('\n')}\n`);
    sink.finish();
  } catch (e) {
    if (!(e instanceof OutputClosed)) throw e;
  } finally {
    sink.close();
  }
}
