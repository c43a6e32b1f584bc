import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { type Activation, parseActivation } from '../activations/activation.js';
import { exprActivation } from '../activations/expr-activation.js';
import { lutFromCsv } from '../activations/lut-activation.js';
import { check, quote } from '../errors.js';
import { EXPRESSION_LIMITS_TEXT } from '../expression/expression.js';
import type { Format } from '../format.js';

/** The options that complete an activation name: `--alpha`, `--lut`, `--expr`. */
export interface ActivationFlags {
  alpha?: string;
  lut?: string;
  expr?: string;
}

/** Adds `--alpha`, `--lut FILE` and `--expr E` (shared by `activation`, `check` and `construct`). */
export function addActivationOptions(cmd: Command): Command {
  return cmd
    .option(
      '--alpha <a>',
      'the parameter α of leaky-relu (default 0.01) or elu (default 1), exact decimal or p/q',
    )
    .option('--lut <file>', 'for "lut": a CSV file of rows x,y, one for every value of the format')
    .option(
      '--expr <e>',
      `for "expr": an expression in x, e.g. "x*sigmoid(x)" or "x >= 0 ? x : x/8" (${EXPRESSION_LIMITS_TEXT})`,
    );
}

/** The activation named on the command line, with --alpha / --lut / --expr. */
export function activationFromOptions(name: string, opts: ActivationFlags, format: Format): Activation {
  const n = name.trim().toLowerCase();
  if (n === 'lut') {
    check(
      opts.lut !== undefined,
      () => 'activation lut: give the table with --lut FILE (CSV rows x,y)',
      'lut',
    );
    check(
      opts.expr === undefined && opts.alpha === undefined,
      () => 'activation lut takes no --expr or --alpha',
      'lut',
    );
    return lutFromCsv(format, readFileSync(opts.lut, 'utf8'), opts.lut);
  }
  if (n === 'expr') {
    check(
      opts.expr !== undefined,
      () => 'activation expr: give the expression with --expr E, e.g. --expr "x*sigmoid(x)"',
      'expr',
    );
    check(
      opts.lut === undefined && opts.alpha === undefined,
      () => 'activation expr takes no --lut or --alpha',
      'expr',
    );
    return exprActivation(opts.expr);
  }
  check(opts.lut === undefined, () => `--lut is only for the activation "lut" (got ${quote(name)})`, 'lut');
  check(
    opts.expr === undefined,
    () => `--expr is only for the activation "expr" (got ${quote(name)})`,
    'expr',
  );
  if (opts.alpha !== undefined) {
    check(
      !name.includes(':') && !name.includes('('),
      () => 'give alpha either in the name or with --alpha, not both',
      'alpha',
    );
    return parseActivation({ name: n, alpha: opts.alpha });
  }
  return parseActivation(name);
}
