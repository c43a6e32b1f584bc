import type { Command } from 'commander';
import { check } from '../errors.js';
import { EXPRESSION_LIMITS_TEXT } from '../expression/expression.js';
import type { Format } from '../format.js';
import { compareOnAllInputs, sweepApplies } from '../network/compare-all-inputs.js';
import type { CompareResult, Mismatch } from '../network/exhaustive-tasks.js';
import { fillInputs } from '../network/input-space.js';
import { type Network, outputCount } from '../network/network.js';
import { compileTypedNetwork } from '../network/typed-fast.js';
import { outputType, type TypedNetwork, typedOutputCount } from '../network/typed-network.js';
import { readTypedNetworkFile } from '../network/typed-network-json.js';
import { expressionTarget } from '../target/target-function.js';
import { readTargetTableFile } from '../target/target-table.js';
import { codeToDecimal } from '../value.js';
import { ExitStatus } from './exit-status.js';
import { floatVerify, readFloatNetworkFile } from './float-network-cli.js';
import { toJson } from './output.js';
import { startProgress } from './progress.js';
import { type ExhaustiveCliOptions, runExhaustiveCommand } from './run-exhaustive.js';

interface VerifyOptions extends ExhaustiveCliOptions {
  table?: string;
  fn?: string;
  show: string;
  json?: boolean;
}

/** The outcome of comparing a network with a target on every input. */
export interface Verification {
  readonly inputs: number;
  readonly mismatches: number;
  readonly examples: readonly Mismatch[];
}

async function verifyTable(
  net: Network,
  path: string,
  show: number,
  opts: VerifyOptions,
): Promise<Verification> {
  const table = await readTargetTableFile(path, net.format, net.inputs);
  let mismatches = 0;
  const examples: Mismatch[] = [];
  const d = net.inputs;
  const plan = await runExhaustiveCommand('verify', net, { kind: 'outputs' }, opts, (result, start, rows) => {
    const outputs = result as Int32Array;
    for (let r = 0; r < rows; r++) {
      const want = table.codes[start + r];
      if (outputs[r] === want) continue;
      mismatches++;
      if (examples.length < show) {
        const input = new Int32Array(d);
        fillInputs(net.format, d, start + r, 1, input);
        examples.push({ index: start + r, input: Array.from(input), network: outputs[r], target: want });
      }
    }
  });
  return { inputs: plan.rows, mismatches, examples };
}

async function verifyFn(
  net: Network,
  expression: string,
  show: number,
  opts: VerifyOptions,
): Promise<Verification> {
  let mismatches = 0;
  const examples: Mismatch[] = [];
  const plan = await runExhaustiveCommand(
    'verify',
    net,
    { kind: 'compare-fn', expression, examples: show },
    opts,
    (result) => {
      const r = result as CompareResult;
      mismatches += r.mismatches;
      for (const m of r.examples) if (examples.length < show) examples.push(m);
    },
  );
  return { inputs: plan.rows, mismatches, examples };
}

/**
 * A version 1 network of at most 16 bits and 2^20 inputs: every input at once by the sweep evaluator
 * (`compareOnAllInputs`); null when the sweep does not apply (then the dense evaluator runs).
 */
async function verifySweep(net: Network, opts: VerifyOptions, show: number): Promise<Verification | null> {
  if (!sweepApplies(net)) return null;
  let targetAt: (x: readonly bigint[], index: number) => number;
  if (opts.table !== undefined) {
    const table = await readTargetTableFile(opts.table, net.format, net.inputs);
    targetAt = (_x, index) => table.codes[index];
  } else {
    const target = await expressionTarget(opts.fn!, net.format, net.policy, net.inputs);
    targetAt = (x) => Number(target.codeAt(x));
  }
  const progress = startProgress('verify (sweep)', net.layers.length, 'layers');
  try {
    return compareOnAllInputs(net, targetAt, show, (done) => progress.update(done));
  } finally {
    progress.stop();
  }
}

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('compare a network with a target function on every input (exit 0 iff they agree everywhere)')
    .argument('<network>', 'network JSON file (version 1 or 2)')
    .option('--table <file>', 'target as CSV: header x1,…,xd,y and one row per input, in any order')
    .option(
      '--fn <expr>',
      `target as an expression in x1 … xd, rounded into the format by the network policy (${EXPRESSION_LIMITS_TEXT})`,
    )
    .option('--show <n>', 'list at most this many mismatches', '5')
    .option('--force', 'run even when the estimate exceeds ten minutes')
    .option('--workers <n>', 'at most this many threads (default: all cores)')
    .option('--json', 'print {"inputs","mismatches","examples"}')
    .addHelpText(
      'after',
      '\nExamples:\n  fxnn verify net.json --fn "max(x1, x2)"\n  fxnn verify net.json --fn "x1 >= 0 ? tanh(x1) : 0"\n  fxnn verify net.json --table f.csv',
    )
    .action(async (file: string, opts: VerifyOptions) => {
      check(
        (opts.table !== undefined) !== (opts.fn !== undefined),
        () => 'verify: give the target either as --table FILE or as --fn EXPR',
        'table',
      );
      const show = Number(opts.show);
      check(
        Number.isInteger(show) && show >= 0,
        () => `--show: expected a whole number ≥ 0, got "${opts.show}"`,
        'show',
      );
      const float = readFloatNetworkFile(file);
      if (float !== null) return floatVerify(float, opts);
      const typed = readTypedNetworkFile(file);
      if (typed.v1 === null) {
        const result = await verifyTyped(typed, opts, show);
        printVerification(result, typed.input.format, opts, outputType(typed).format);
        if (result.mismatches > 0) throw new ExitStatus(1);
        return;
      }
      const net = typed.v1;
      const k = outputCount(net);
      check(k === 1, () => `verify: the network has ${k} outputs; a target function has one`, 'network');
      const result =
        (await verifySweep(net, opts, show)) ??
        (opts.table !== undefined
          ? await verifyTable(net, opts.table, show, opts)
          : await verifyFn(net, opts.fn!, show, opts));
      printVerification(result, net.format, opts);
      if (result.mismatches > 0) throw new ExitStatus(1);
    });
}

function printVerification(
  result: Verification,
  format: Format,
  opts: VerifyOptions,
  outFormat: Format = format,
): void {
  const value = (c: number) => codeToDecimal(BigInt(c), format);
  const outValue = (c: number) => codeToDecimal(BigInt(c), outFormat);
  const examples = result.examples.map((m) => ({
    x: m.input.map(value),
    network: outValue(m.network),
    target: outValue(m.target),
  }));
  if (opts.json) {
    console.log(toJson({ inputs: result.inputs, mismatches: result.mismatches, examples }));
  } else if (result.mismatches === 0) {
    console.log(`verified: the network equals the target on all ${result.inputs} inputs`);
  } else {
    const lines = [
      `${result.mismatches} mismatch${result.mismatches === 1 ? '' : 'es'} out of ${result.inputs} inputs`,
    ];
    if (examples.length > 0) lines.push(`first ${examples.length}:`);
    for (const m of examples)
      lines.push(`  x = (${m.x.join(', ')}): network ${m.network}, target ${m.target}`);
    console.log(lines.join('\n'));
  }
}

/** The largest input space `verify` enumerates for a version 2 network (one thread). */
const TYPED_VERIFY_LIMIT = 1 << 24;

/**
 * `verify` on a version 2 network (docs/networks.md "verify on version 2"): every input of the input
 * type, one thread. The target is evaluated at the input values (codes of the input type) and rounded
 * into the output type (the last layer's result type) by that type's rounding and overflow; a table's
 * x columns are values of the input type and its y column values of the output type.
 */
async function verifyTyped(net: TypedNetwork, opts: VerifyOptions, show: number): Promise<Verification> {
  const inT = net.input;
  const outT = outputType(net);
  const k = typedOutputCount(net);
  check(k === 1, () => `verify: the network has ${k} outputs; a target function has one`, 'network');
  check(
    outT.format.fracBits >= 0,
    () =>
      `verify: the output type ${outT.format.spec} has ${outT.format.fracBits} fractional bits; verify rounds targets into types with at least 0`,
    'network',
  );
  const format = inT.format;
  const d = net.inputs;
  const total = format.size ** BigInt(d);
  check(
    total <= BigInt(TYPED_VERIFY_LIMIT) || opts.force === true,
    () =>
      `verify: ${format.spec}^${d} has ${total} inputs; version 2 networks are verified up to ${TYPED_VERIFY_LIMIT} (--force to go on)`,
    'network',
  );
  const rows = Number(total);
  let targetAt: (x: readonly bigint[], index: number) => number;
  if (opts.table !== undefined) {
    const table = await readTargetTableFile(opts.table, format, d, outT.format);
    targetAt = (_x, index) => table.codes[index];
  } else {
    const target = await expressionTarget(opts.fn!, outT.format, outT.policy, d, { inputFormat: format });
    targetAt = (x) => Number(target.codeAt(x));
  }
  const fast = compileTypedNetwork(net);
  const block = 4096;
  const codes = new Int32Array(block * d);
  const inputs = new Float64Array(block * d);
  const out = new Float64Array(block);
  let mismatches = 0;
  const examples: Mismatch[] = [];
  for (let start = 0; start < rows; start += block) {
    const n = Math.min(block, rows - start);
    fillInputs(format, d, start, n, codes);
    for (let i = 0; i < n * d; i++) inputs[i] = codes[i];
    fast.evaluateRows(inputs, n, out);
    for (let r = 0; r < n; r++) {
      const x = Array.from(codes.subarray(r * d, (r + 1) * d), (c) => BigInt(c));
      const want = targetAt(x, start + r);
      if (out[r] === want) continue;
      mismatches++;
      if (examples.length < show) {
        examples.push({
          index: start + r,
          input: Array.from(codes.subarray(r * d, (r + 1) * d)),
          network: out[r],
          target: want,
        });
      }
    }
  }
  return { inputs: rows, mismatches, examples };
}
