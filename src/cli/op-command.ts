import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { FxnnError, quote } from '../errors.js';
import { type FixedResult, operate, operateWith, parseOp } from '../fixed.js';
import { parseFixedType } from '../fixed-type.js';
import { isFloatSpec } from '../float/float-format.js';
import { floatOpLine, floatPolicyFrom, runFloatBatch } from './float-cli.js';
import { resultJson, resultText } from './output.js';
import { addPolicyOptions } from './shared-options.js';

interface OpOptions {
  rounding?: string;
  overflow?: string;
  json?: boolean;
  batch?: string;
}

/** Runs a batch of `OP A B` lines (blank lines and `#` comments skipped); errors name the line. */
export function runBatch(spec: string, text: string, opts: OpOptions): string[] {
  const { format, policy } = parseFixedType(spec, opts);
  const out: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    try {
      const parts = line.split(/\s+/);
      if (parts.length !== 3) {
        throw new FxnnError(`expected "OP A B", got ${quote(line)} (${parts.length} fields)`, 'batch');
      }
      const r = operateWith(format, policy, parseOp(parts[0]), parts[1], parts[2]);
      out.push(opts.json ? resultJson(r) : r.value);
    } catch (e) {
      if (e instanceof FxnnError) throw new FxnnError(`batch line ${i + 1}: ${e.message}`, 'batch');
      throw e;
    }
  });
  return out;
}

/** All of standard input as text (a stream read: `readFileSync(0)` can fail with EAGAIN on pipes). */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
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
          const text = opts.batch === '-' ? await readStdin() : readFileSync(opts.batch, 'utf8');
          const lines = float ? runFloatBatch(spec, text, float, opts.json) : runBatch(spec, text, opts);
          if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
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
