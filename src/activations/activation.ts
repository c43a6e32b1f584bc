import { compare, type Rational } from '../core/rational.js';
import { check, FxnnError, quote } from '../errors.js';
import type { Format } from '../format.js';
import { parseValue } from '../value.js';
import { BUILTIN_NAMES, BUILTIN_PARAMS, type BuiltinName, makeBuiltin } from './builtin-activations.js';
import { exprActivation } from './expr-activation.js';
import type { ActivationKernel } from './kernel.js';
import { lutFromJson } from './lut-activation.js';

/** One end of an activation's range: `value` is the exact bound when `exact`, else a rigorous outer bound. */
export interface Bound {
  readonly value: Rational;
  readonly exact: boolean;
  /** True when σ reaches the bound. */
  readonly attained: boolean;
}

export interface ActivationRange {
  /** null: unbounded. */
  readonly lower: Bound | null;
  readonly upper: Bound | null;
  /** Human form, e.g. `(0, 1)` or `[−0.27846…, ∞)`. */
  readonly text: string;
}

/**
 * An exact real activation function σ (THEORY §3) and what is known of it. Built by `parseActivation`
 * (built-ins), `lutActivation` and `exprActivation` (user-defined). Immutable.
 */
export interface Activation {
  /** Registry name: a built-in name, or 'lut' / 'expr'. */
  readonly name: string;
  /** Canonical text, equal iff same function, e.g. `relu`, `leaky-relu(alpha=1/100)`. */
  readonly key: string;
  /** Exact parameters as decimal (or p/q) strings. */
  readonly params: Readonly<Record<string, string>>;
  /** Known non-decreasing on ℝ (on the LUT's grid for a LUT). */
  readonly monotone: boolean;
  /** Form in network JSON: `'relu'` or `{ name: 'leaky-relu', alpha: '0.01' }`. */
  readonly json: string | Readonly<Record<string, string>>;
  /** The definition, e.g. `x·sigmoid(x)`. */
  readonly formula: string;
  readonly range: ActivationRange;
  /** A real x₀ with σ(x₀) = 0 (the largest such when it exists), or null when σ has no real zero (or none is known). */
  readonly zero: Rational | null;
  /** σ = 0 on all of (−∞, at] (inclusive) or (−∞, at), when σ vanishes on a half-line. */
  readonly zeroBelow: { readonly at: Rational; readonly inclusive: boolean } | null;
  /** The one format a LUT activation is defined on; null for activations defined on all of ℝ. */
  readonly domain: Format | null;
  /** Evaluation kernels used by correct rounding. */
  readonly kernel: ActivationKernel;
}

export const BUILTIN_ACTIVATIONS: readonly string[] = BUILTIN_NAMES;

function isActivation(spec: unknown): spec is Activation {
  return (
    typeof spec === 'object' &&
    spec !== null &&
    typeof (spec as Activation).key === 'string' &&
    typeof (spec as Activation).kernel === 'object'
  );
}

function unknownName(name: string): FxnnError {
  return new FxnnError(
    `unknown activation ${quote(name)}: expected one of ${BUILTIN_NAMES.join(', ')}, lut or expr`,
    'activation',
  );
}

function builtin(name: string, given: Record<string, unknown>): Activation {
  if (!(BUILTIN_NAMES as readonly string[]).includes(name)) throw unknownName(name);
  const defaults = BUILTIN_PARAMS[name] ?? {};
  const params: Record<string, Rational> = { ...defaults };
  for (const [p, v] of Object.entries(given)) {
    check(
      p in defaults,
      () =>
        Object.keys(defaults).length === 0
          ? `activation ${name} takes no parameters, got ${quote(p)}`
          : `activation ${name}: unknown parameter ${quote(p)} (expected ${Object.keys(defaults).join(', ')})`,
      p,
    );
    check(
      typeof v === 'string' || typeof v === 'number',
      () => `${name} ${p}: expected a number or a decimal string, got ${typeof v}`,
      p,
    );
    params[p] = parseValue(v as string | number, `${name} ${p}`);
  }
  return makeBuiltin(name as BuiltinName, params);
}

/** `name:p=v,q=w` or the key form `name(p=v,q=w)`. */
function parseText(text: string): Activation {
  const t = text.trim();
  if (t.startsWith('expr:')) return exprActivation(t.slice(5));
  const m = /^([a-z-]+)\s*(?::(.*)|\((.*)\))?$/i.exec(t);
  if (!m)
    throw new FxnnError(
      `activation ${quote(text)}: expected a name like relu or leaky-relu:alpha=0.02`,
      'activation',
    );
  const name = m[1].toLowerCase();
  const rest = (m[2] ?? m[3] ?? '').trim();
  const given: Record<string, string> = {};
  if (rest !== '') {
    for (const part of rest.split(',')) {
      const eq = part.indexOf('=');
      check(
        eq > 0,
        () => `activation ${quote(text)}: expected parameters as name=value, got ${quote(part.trim())}`,
        'activation',
      );
      const p = part.slice(0, eq).trim();
      check(!(p in given), () => `activation ${quote(text)}: parameter ${quote(p)} given twice`, p);
      given[p] = part.slice(eq + 1).trim();
    }
  }
  if (name === 'lut' || name === 'expr') {
    throw new FxnnError(
      `activation ${quote(text)}: ${name} activations are given as objects (or with --${name} on the command line)`,
      'activation',
    );
  }
  return builtin(name, given);
}

/**
 * Parses an activation: a name (`'relu'`), text with parameters (`'leaky-relu:alpha=0.02'` or the key
 * form `'leaky-relu(alpha=1/50)'`, `'expr:x*sigmoid(x)'`), an object as in network JSON
 * (`{ name: 'leaky-relu', alpha: '0.02' }`, `{ name: 'expr', expr: 'x^2' }`,
 * `{ name: 'lut', format: 'Q3.4', y: '0,0.0625,…' }`), or an Activation (returned as is).
 * FxnnError on an unknown name or a bad parameter.
 */
export function parseActivation(spec: unknown): Activation {
  if (isActivation(spec)) return spec;
  if (typeof spec === 'string') return parseText(spec);
  if (typeof spec === 'object' && spec !== null && !Array.isArray(spec)) {
    const { name, ...rest } = spec as Record<string, unknown>;
    check(
      typeof name === 'string',
      () => `activation: expected an object with a "name" string, got ${quote(JSON.stringify(spec))}`,
      'activation',
    );
    const n = name.trim().toLowerCase();
    if (n === 'expr') {
      const keys = Object.keys(rest);
      check(
        keys.length === 1 && typeof rest.expr === 'string',
        () => 'activation expr: expected { name: "expr", expr: "<expression in x>" }',
        'expr',
      );
      return exprActivation(rest.expr as string);
    }
    if (n === 'lut') return lutFromJson(rest);
    return builtin(n, rest);
  }
  throw new FxnnError(
    `activation: expected a name or an object like { "name": "leaky-relu", "alpha": "0.01" }, got ${quote(JSON.stringify(spec) ?? String(spec))}`,
    'activation',
  );
}

/**
 * The code of a value x of the format with σ(x) = 0 exactly (the largest such), or null. A zero of σ
 * that is a value of the format lets an inactive neuron contribute exactly nothing (THEORY §5.2).
 */
export function activationZeroIn(act: Activation, format: Format): bigint | null {
  const scale = 1n << BigInt(format.fracBits);
  let best: bigint | null = null;
  if (act.zero !== null) {
    const s = act.zero.num * scale;
    if (s % act.zero.den === 0n) {
      const c = s / act.zero.den;
      if (c >= format.minCode && c <= format.maxCode) best = c;
    }
  }
  if (act.zeroBelow !== null) {
    // largest code c with c/2^n ≤ at (or < at)
    const { at, inclusive } = act.zeroBelow;
    const s = at.num * scale;
    let c = s / at.den;
    if (s < 0n && c * at.den !== s) c -= 1n;
    if (!inclusive && c * at.den === s) c -= 1n;
    if (c > format.maxCode) c = format.maxCode;
    if (c >= format.minCode && (best === null || c > best)) best = c;
  }
  return best;
}

/** True when σ(x) = 0 exactly at x (from what is known in closed form). */
export function isZeroAt(act: Activation, x: Rational): boolean {
  if (act.zeroBelow !== null) {
    const c = compare(x, act.zeroBelow.at);
    if (c < 0 || (c === 0 && act.zeroBelow.inclusive)) return true;
  }
  const v = act.kernel.exact(x);
  return v !== null && v.num === 0n;
}
