import type { Command } from 'commander';
import type { Activation } from '../activations/activation.js';
import type { RoundingStats } from '../activations/rounded.js';
import { check, FxnnError, quote } from '../errors.js';
import { parseOp } from '../fixed.js';
import {
  FLOAT_OVERFLOW_SENTINEL,
  floatActivationAt,
  floatActivationTable,
} from '../float/float-activation.js';
import { parseFloatFormat } from '../float/float-format.js';
import {
  type FloatValueResult,
  floatFormatFacts,
  operateFloatWith,
  roundFloat,
} from '../float/float-front.js';
import { floatValueTable } from '../float/float-interop.js';
import { type FloatPolicy, floatCodeText, makeFloatPolicy } from '../float/float-rounding.js';
import { exactFloatCode } from '../float/float-value.js';
import { toJson } from './output.js';

/**
 * The float side of the arithmetic commands (`format`, `round`, `op` dispatch here on E…M…, fp16, bf16).
 * The shared `--overflow` option defaults to `saturate` for fixed-point formats; float formats default
 * to `infinity` unless the option was given.
 */
export function floatPolicyFrom(
  cmd: Command | undefined,
  opts: { rounding?: string; overflow?: string },
): FloatPolicy {
  const given = cmd?.getOptionValueSource?.('overflow');
  const overflow = given === undefined || given === 'default' ? 'infinity' : opts.overflow;
  return makeFloatPolicy({ rounding: opts.rounding, overflow });
}

export function floatResultJson(r: FloatValueResult): string {
  return toJson({ value: r.value, code: r.code, overflowed: r.overflowed, exact: r.exact });
}

export function floatResultText(r: FloatValueResult, bits: number): string {
  const note = r.exact ? 'exact' : r.overflowed ? 'overflowed' : r.value === 'nan' ? 'nan' : 'rounded';
  const hex = `0x${r.code.toString(16).padStart(Math.ceil(bits / 4), '0')}`;
  return `${r.value}  (code ${r.code} = ${hex}; ${note})`;
}

export function printFloatFormat(spec: string, json: boolean | undefined, values?: boolean): void {
  if (values) {
    process.stdout.write(floatValueTable(parseFloatFormat(spec)));
    return;
  }
  const f = floatFormatFacts(spec);
  if (json) {
    console.log(toJson(f));
    return;
  }
  console.log(
    [
      `format       ${f.spec} (${f.encoding})`,
      `bits         ${f.bits} total: sign, ${f.expBits} exponent, ${f.manBits} mantissa; bias ${f.bias}`,
      `min subnorm  ${f.minSubnormal}`,
      `min normal   ${f.minNormal}`,
      `max          ${f.max}`,
      `finite       ${f.finiteValues} values (${f.finiteCodes} codes: +0 and -0 apart)`,
      `infinities   ${f.infinities ? 'yes' : 'no'}`,
      `NaN          ${f.nan}`,
      `1 is a value ${f.hasOne ? 'yes' : 'no'}`,
    ].join('\n'),
  );
}

export function floatRoundLines(
  spec: string,
  values: string[],
  policy: FloatPolicy,
  json: boolean | undefined,
): string[] {
  const f = parseFloatFormat(spec);
  return values.map((v) => {
    const r = roundFloat(f, v, policy);
    return json ? floatResultJson(r) : `${v} -> ${floatResultText(r, f.bits)}`;
  });
}

export function floatOpLine(
  spec: string,
  op: string,
  a: string,
  b: string,
  policy: FloatPolicy,
  json: boolean | undefined,
): string {
  const f = parseFloatFormat(spec);
  const r = operateFloatWith(f, policy, parseOp(op), a, b);
  return json ? floatResultJson(r) : floatResultText(r, f.bits);
}

/** A batch of `OP A B` lines on a float format; errors name the line. */
export function runFloatBatch(
  spec: string,
  text: string,
  policy: FloatPolicy,
  json: boolean | undefined,
): string[] {
  const f = parseFloatFormat(spec);
  const out: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    try {
      const parts = line.split(/\s+/);
      if (parts.length !== 3) {
        throw new FxnnError(`expected "OP A B", got ${quote(line)} (${parts.length} fields)`, 'batch');
      }
      const r = operateFloatWith(f, policy, parseOp(parts[0]), parts[1], parts[2]);
      out.push(json ? floatResultJson(r) : r.value);
    } catch (e) {
      if (e instanceof FxnnError) throw new FxnnError(`batch line ${i + 1}: ${e.message}`, 'batch');
      throw e;
    }
  });
  return out;
}

/** `fxnn activation NAME --format <float spec>`: the table over every finite x, or points with --at. */
export function printFloatActivation(
  act: Activation,
  spec: string,
  policy: FloatPolicy,
  points: string[] | null,
  opts: { json?: boolean; csv?: boolean; stats?: boolean; plot?: string },
): void {
  const f = parseFloatFormat(spec);
  check(opts.plot === undefined, () => '--plot draws fixed-point formats only', 'plot');
  const text = (c: number) => (c === FLOAT_OVERFLOW_SENTINEL ? null : floatCodeText(c, f));
  let xs: number[];
  let ys: number[];
  let stats: Readonly<RoundingStats> | null = null;
  if (points === null) {
    const t = floatActivationTable(act, f, policy);
    xs = Array.from(t.inputs);
    ys = Array.from(t.codes);
    stats = t.stats;
  } else {
    xs = points.map((p) => exactFloatCode(p, f, '--at', true));
    ys = xs.map((c) => floatActivationAt(act, f, policy, c));
  }
  if (opts.json) {
    process.stdout.write(
      `${toJson({
        format: f.spec,
        activation: act.json,
        rounding: policy.rounding,
        overflow: policy.overflow,
        x: xs.map((c) => floatCodeText(c, f)),
        xCodes: xs,
        codes: ys.map((c) => (c === FLOAT_OVERFLOW_SENTINEL ? null : c)),
        values: ys.map(text),
      })}\n`,
    );
  } else {
    const lines = xs.map((c, i) =>
      opts.csv
        ? `${floatCodeText(c, f)},${text(ys[i]) ?? 'overflow'}`
        : `${floatCodeText(c, f)}\t${text(ys[i]) ?? 'overflow'}`,
    );
    if (opts.csv) lines.unshift('x,y');
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  if (opts.stats && stats !== null) {
    process.stderr.write(
      `${stats.points} points: ${stats.double} by the double path, ${stats.exact} exact, ${stats.fallback} by the decimal fallback; ${stats.millis.toFixed(1)} ms\n`,
    );
  }
}
