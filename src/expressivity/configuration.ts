import { type Activation, parseActivation } from '../activations/activation.js';
import { activationTable } from '../activations/rounded.js';
import { ENGINE_MAX_BITS, makeSetting, type Setting } from '../engine/setting.js';
import { check, quote } from '../errors.js';
import { parseFixedType } from '../fixed-type.js';
import { type Format, isPlainFormat } from '../format.js';
import type { Policy } from '../policy.js';

/** The overflow modes the engine's theory covers (THEORY §2). */
const ENGINE_OVERFLOW = ['saturate', 'wrap', 'error'] as const;

/** Whether the engine's proofs cover this overflow: saturate, wrap (N = 0) or error (THEORY §2). */
export function engineOverflow(policy: Policy): boolean {
  return (
    (ENGINE_OVERFLOW as readonly string[]).includes(policy.overflow) && (policy.saturationBits ?? 0) === 0
  );
}

export const ACCUMULATION_MODES = ['sequential', 'exact'] as const;
export const BIAS_MODES = ['last', 'first'] as const;
export const WEIGHT_MODES = ['all', 'binary'] as const;

/** One configuration of THEORY §5: format, σ, rounding, overflow, accumulation semantics, weight set. */
export interface Configuration {
  readonly format: Format;
  readonly activation: Activation;
  readonly policy: Policy;
  readonly accumulation: (typeof ACCUMULATION_MODES)[number];
  readonly bias: (typeof BIAS_MODES)[number];
  readonly weights: (typeof WEIGHT_MODES)[number];
}

export interface ConfigurationOptions {
  format: string | Format;
  activation: unknown;
  rounding?: string;
  overflow?: string;
  accumulation?: string;
  bias?: string;
  weights?: string;
}

function oneOf<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
  what: string,
): T {
  const v = value ?? fallback;
  check(
    (allowed as readonly string[]).includes(v),
    () => `unknown ${what} ${quote(v)}: expected one of ${allowed.join(', ')}`,
    what,
  );
  return v as T;
}

/** Validates a configuration (defaults: nearest-even, saturate, sequential, bias last, all weights). */
export function makeConfiguration(o: ConfigurationOptions): Configuration {
  const { format, policy } = parseFixedType(o.format, { rounding: o.rounding, overflow: o.overflow });
  check(
    isPlainFormat(format),
    () =>
      `format ${format.spec}: the expressivity engine handles Qm.n, SQm.n and UQm.n with m, n ≥ 0 (ap_fixed<W,I> with 1 ≤ I ≤ W); ${format.spec} has ${format.intBits} integer and ${format.fracBits} fractional bits`,
    'format',
  );
  check(
    engineOverflow(policy),
    () =>
      `overflow ${policy.overflow}${policy.saturationBits ? ` with N = ${policy.saturationBits}` : ''}: the expressivity engine (check, construct) handles ${ENGINE_OVERFLOW.join(', ')}; the other modes work in round, op, activation and networks`,
    'overflow',
  );
  return {
    format,
    activation: parseActivation(o.activation),
    policy,
    accumulation: oneOf(o.accumulation, ACCUMULATION_MODES, 'sequential', 'accumulation'),
    bias: oneOf(o.bias, BIAS_MODES, 'last', 'bias'),
    weights: oneOf(o.weights, WEIGHT_MODES, 'all', 'weights'),
  };
}

/** True when binary weights {−1, 1} are values of the format. */
export function binaryApplicable(format: Format): boolean {
  const one = 1n << BigInt(format.fracBits);
  return format.hasOne && format.minCode <= -one;
}

/** A stable text key of a configuration (cache key, report label). */
export function configurationKey(c: Configuration): string {
  return [
    c.activation.key,
    c.format.spec,
    c.policy.rounding,
    c.policy.overflow,
    c.accumulation,
    c.bias,
    c.weights,
  ].join(' ');
}

/** The engine's view of a configuration; formats up to ENGINE_MAX_BITS bits. */
export function settingOf(c: Configuration): Setting {
  // one Setting per configuration object: the per-setting caches of the constructions (threshold chains,
  // two-level recipes) then serve every table built in that configuration
  const known = settings.get(c);
  if (known) return known;
  check(
    c.format.bits <= ENGINE_MAX_BITS,
    () =>
      `format ${c.format.spec} has ${c.format.bits} bits; the expressivity engine handles up to ${ENGINE_MAX_BITS}`,
    'format',
  );
  check(
    c.weights !== 'binary' || binaryApplicable(c.format),
    () => `binary weights {-1, 1} need 1 and -1 in the format; ${c.format.spec} lacks them`,
    'weights',
  );
  const table = activationTable(c.activation, c.format, c.policy);
  const s = makeSetting(c.format, c.policy, c.accumulation, c.bias, c.weights, table);
  settings.set(c, s);
  return s;
}

const settings = new WeakMap<Configuration, Setting>();

/** A word for a POSIX shell: bare when safe, else in single quotes. */
function shellWord(text: string): string {
  return /^[A-Za-z0-9_.,:=/+@%-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * The `fxnn check` command line of a configuration, ready to paste into a shell: the activation in a
 * form the CLI accepts (`leaky-relu:alpha=1/10`, `expr --expr '…'`, `lut --lut FILE`), the format, and
 * every option that differs from its default.
 */
export function checkCommand(c: Configuration): string {
  const a = c.activation;
  const json = typeof a.json === 'string' ? { name: a.json } : a.json;
  let activation: string;
  if (a.name === 'expr') activation = `--activation expr --expr ${shellWord(String(json.expr))}`;
  else if (a.name === 'lut') activation = '--activation lut --lut TABLE.csv';
  else {
    const params = Object.entries(a.params).map(([p, v]) => `${p}=${v}`);
    activation = `--activation ${shellWord(params.length > 0 ? `${a.name}:${params.join(',')}` : a.name)}`;
  }
  const parts = ['fxnn check', activation, `--format ${shellWord(c.format.spec)}`];
  const options: Array<[string, string, string]> = [
    ['rounding', c.policy.rounding, 'nearest-even'],
    ['overflow', c.policy.overflow, 'saturate'],
    ['accumulation', c.accumulation, 'sequential'],
    ['bias', c.bias, 'last'],
    ['weights', c.weights, 'all'],
  ];
  for (const [name, value, fallback] of options) if (value !== fallback) parts.push(`--${name} ${value}`);
  return parts.join(' ');
}
