import { closeSync, createReadStream, openSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { FxnnError, quote } from '../errors.js';
import { type FixedResult, operate, operateWith, parseOp } from '../fixed.js';
import { parseFixedType } from '../fixed-type.js';
import { isFloatSpec } from '../float/float-format.js';
import type { Format } from '../format.js';
import type { Policy } from '../policy.js';
import { floatOpLine, floatPolicyFrom, runFloatBatch } from './float-cli.js';
import { resultJson, resultText } from './output.js';
import { addPolicyOptions } from './shared-options.js';
import { LineWriter, OutputClosed, openTextSink } from './text-sink.js';

interface OpOptions {
  rounding?: string;
  overflow?: string;
  json?: boolean;
  batch?: string;
}

/** The result line of one batch line `OP A B`, or null for a blank line or a `#` comment. */
export function batchLine(
  format: Format,
  policy: Policy,
  raw: string,
  lineNo: number,
  json: boolean,
): string | null {
  const line = raw.trim();
  if (line === '' || line.startsWith('#')) return null;
  try {
    const parts = line.split(/\s+/);
    if (parts.length !== 3) {
      throw new FxnnError(`expected "OP A B", got ${quote(line)} (${parts.length} fields)`, 'batch');
    }
    const r = operateWith(format, policy, parseOp(parts[0]), parts[1], parts[2]);
    return json ? resultJson(r) : r.value;
  } catch (e) {
    if (e instanceof FxnnError) throw new FxnnError(`batch line ${lineNo}: ${e.message}`, 'batch');
    throw e;
  }
}

/**
 * Runs a batch of `OP A B` lines (blank lines and `#` comments skipped) as a stream: lines are read
 * and results written as they come, so memory stays flat however long the input. An error names its
 * line, after the results of every line before it have been written.
 */
export async function runBatch(
  spec: string,
  source: string,
  opts: OpOptions,
  float?: ReturnType<typeof floatPolicyFrom>,
): Promise<void> {
  // a float spec: each line through the float batch, its line number restored in errors
  const floatLine = (raw: string, lineNo: number): string | null => {
    try {
      return runFloatBatch(spec, raw, float!, opts.json)[0] ?? null;
    } catch (e) {
      if (e instanceof FxnnError && e.message.startsWith('batch line 1: '))
        throw new FxnnError(`batch line ${lineNo}: ${e.message.slice(14)}`, 'batch');
      throw e;
    }
  };
  const fixed = float === undefined ? parseFixedType(spec, opts) : undefined;
  // a missing file, a directory, an unreadable file is reported before anything is read (the stream's
  // error would come later, as a bare EISDIR)
  if (source !== '-') checkBatchFile(source);
  const input = source === '-' ? process.stdin : createReadStream(source, { encoding: 'utf8' });
  const sink = openTextSink(undefined);
  const out = new LineWriter(sink);
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNo = 0;
  try {
    for await (const raw of lines) {
      lineNo++;
      const result = fixed
        ? batchLine(fixed.format, fixed.policy, raw, lineNo, opts.json === true)
        : floatLine(raw, lineNo);
      if (result !== null) {
        const wait = out.line(result);
        if (wait) await wait;
      }
    }
  } catch (e) {
    await out.flush();
    throw e;
  } finally {
    lines.close();
    sink.close();
  }
  await out.flush();
}

/**
 * One line naming the file when `--batch` cannot be read (missing, a directory, not readable), worded as
 * readInputFile words it (src/read-input-file.ts); the batch itself is streamed, not read whole.
 */
function checkBatchFile(source: string): void {
  let isDir = false;
  try {
    isDir = statSync(source).isDirectory();
  } catch {
    // reported by the open below
  }
  try {
    if (isDir) throw Object.assign(new Error('a directory'), { code: 'EISDIR' });
    closeSync(openSync(source, 'r'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'ENOENT: no such file'
        : code === 'EISDIR'
          ? 'EISDIR: it is a directory'
          : (code ?? (e as Error).message);
    throw new FxnnError(`--batch: cannot read ${quote(source)} (${why})`, 'batch');
  }
}

export function registerOp(program: Command): void {
  addPolicyOptions(
    program
      .command('op')
      .description('a fixed-point operation, computed exactly and rounded once')
      .argument('<spec>', 'the format')
      .argument('[op]', 'add, sub, mul or div')
      .argument('[a]', 'first operand, a value of the format')
      .argument('[b]', 'second operand, a value of the format'),
  )
    .option('--batch <file>', 'read lines "OP A B" from a file (- for standard input), one result per line')
    .option('--json', 'one JSON object per result (JSON Lines)')
    .addHelpText(
      'after',
      '\nExamples:\n  fxnn op Q3.4 mul 1.5 -0.3125\n  fxnn op Q3.4 div 1 3 --rounding floor --json\n  printf "add 7 1\\nmul 0.5 0.0625\\n" | fxnn op Q3.4 --batch -',
    )
    .action(
      async (
        spec: string,
        op: string | undefined,
        a: string | undefined,
        b: string | undefined,
        opts: OpOptions,
        cmd?: Command,
      ) => {
        const float = isFloatSpec(spec) ? floatPolicyFrom(cmd, opts) : undefined;
        if (opts.batch !== undefined) {
          if (op !== undefined) throw new FxnnError('op: give either OP A B or --batch, not both', 'batch');
          try {
            await runBatch(spec, opts.batch, opts, float);
          } catch (e) {
            if (!(e instanceof OutputClosed)) throw e;
          }
          return;
        }
        if (op === undefined || a === undefined || b === undefined) {
          throw new FxnnError(
            'op: expected OP A B (e.g. "fxnn op Q3.4 mul 1.5 -0.25") or --batch FILE',
            'op',
          );
        }
        if (float) {
          console.log(floatOpLine(spec, op, a, b, float, opts.json));
          return;
        }
        const r: FixedResult = operate(spec, op, a, b, opts);
        console.log(opts.json ? resultJson(r) : resultText(r));
      },
    );
}
