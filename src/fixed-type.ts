import { check, FxnnError, quote } from './errors.js';
import { type Format, parseFormat, parseHlsSpelling } from './format.js';
import { AP_DEFAULT_POLICY, DEFAULT_POLICY, makePolicy, type Policy } from './policy.js';

/**
 * A fixed-point type: a format and the policy that brings values onto it (docs/model.md "Types").
 * This is what one HLS `ap_fixed<W,I,Q,O,N>` is, and what each of a layer's `weight`, `bias`,
 * `accum`, `result` types is in network JSON version 2.
 */
export interface FixedType {
  readonly format: Format;
  readonly policy: Policy;
  /** The canonical spelling: the format, then its policy, e.g. `Q2.5 floor wrap`. */
  readonly name: string;
}

/** Overrides of a spelling's modes (`--rounding`, `--overflow`; fxnn or AP names). */
export interface TypeOverrides {
  readonly rounding?: string;
  readonly overflow?: string;
}

/** The object form of a type in JSON: `{ "format": "Q3.4", "rounding": "floor", "overflow": "wrap" }`. */
export interface TypeObject {
  readonly format: string;
  readonly rounding?: string;
  readonly overflow?: string;
  readonly saturationBits?: number;
}

export function makeFixedType(format: Format, policy: Policy): FixedType {
  const n = policy.saturationBits ?? 0;
  return Object.freeze({
    format,
    policy,
    name: `${format.spec} ${policy.rounding} ${policy.overflow}${n === 0 ? '' : ` N=${n}`}`,
  });
}

/**
 * Reads a type as users spell it. An HLS spelling carries ap_fixed's defaults (AP_TRN, AP_WRAP,
 * N = 0) or the modes written in it (`ap_fixed<8,3,AP_RND,AP_SAT>`); `Qm.n`, `SQm.n`, `UQm.n` carry
 * fxnn's (nearest-even, saturate). `overrides` (the CLI's `--rounding`/`--overflow`) replace either.
 */
export function parseFixedType(spec: string | Format | TypeObject, overrides: TypeOverrides = {}): FixedType {
  if (typeof spec === 'object' && spec !== null && !('spec' in spec)) {
    const o = spec as TypeObject;
    check(
      typeof o.format === 'string',
      () => `type: expected { "format": …, "rounding"?: …, "overflow"?: … }, got ${quote(spec)}`,
      'type',
    );
    const inner = parseFixedType(o.format, {
      rounding: overrides.rounding ?? o.rounding,
      overflow: overrides.overflow ?? o.overflow,
    });
    if (o.saturationBits === undefined) return inner;
    return makeFixedType(
      inner.format,
      makePolicy(inner.format, { ...inner.policy, saturationBits: o.saturationBits }),
    );
  }
  if (typeof spec !== 'string') return makeFixedType(spec as Format, makePolicy(spec as Format, overrides));
  const text = spec.trim();
  const hls = parseHlsSpelling(text);
  if (hls === null) {
    const format = parseFormat(text);
    return makeFixedType(format, makePolicy(format, { ...overrides, defaults: DEFAULT_POLICY }));
  }
  const named = (what: 'Q' | 'O', name: string | undefined): string | undefined => {
    if (name === undefined) return undefined;
    const upper = name.toUpperCase();
    const ok =
      what === 'Q' ? upper.startsWith('AP_RND') || upper.startsWith('AP_TRN') : /^AP_(SAT|WRAP)/.test(upper);
    if (!ok) {
      throw new FxnnError(
        `format ${quote(text)}: ${what === 'Q' ? 'the quantization mode' : 'the overflow mode'} ${quote(name)} is not one of ${
          what === 'Q'
            ? 'AP_RND, AP_RND_ZERO, AP_RND_MIN_INF, AP_RND_INF, AP_RND_CONV, AP_TRN, AP_TRN_ZERO'
            : 'AP_SAT, AP_SAT_ZERO, AP_SAT_SYM, AP_WRAP, AP_WRAP_SM'
        }`,
        'format',
      );
    }
    return name;
  };
  const rounding = overrides.rounding ?? named('Q', hls.quantization);
  const overflow = overrides.overflow ?? named('O', hls.overflow);
  try {
    return makeFixedType(
      hls.format,
      makePolicy(hls.format, {
        rounding,
        overflow,
        saturationBits: overrides.overflow === undefined ? hls.saturationBits : undefined,
        defaults: AP_DEFAULT_POLICY,
      }),
    );
  } catch (e) {
    if (e instanceof FxnnError && !e.message.startsWith('format')) {
      throw new FxnnError(`format ${quote(text)}: ${e.message}`, e.parameter);
    }
    throw e;
  }
}

const AP_Q_NAMES: Readonly<Record<string, string>> = {
  'nearest-up': 'AP_RND',
  'nearest-zero': 'AP_RND_ZERO',
  'nearest-down': 'AP_RND_MIN_INF',
  'nearest-away': 'AP_RND_INF',
  'nearest-even': 'AP_RND_CONV',
  floor: 'AP_TRN',
  'toward-zero': 'AP_TRN_ZERO',
};
const AP_O_NAMES: Readonly<Record<string, string>> = {
  saturate: 'AP_SAT',
  'saturate-zero': 'AP_SAT_ZERO',
  'saturate-symmetric': 'AP_SAT_SYM',
  wrap: 'AP_WRAP',
  'wrap-sign-magnitude': 'AP_WRAP_SM',
};

/**
 * The HLS spelling of a type (`ap_fixed<8,3>`, `ap_ufixed<8,3,AP_RND,AP_SAT>`, trailing defaults
 * omitted), or null when it has none (symmetric formats, rounding `ceil`, overflow `error`).
 */
export function hlsSpelling(t: FixedType): string | null {
  const { format, policy } = t;
  if (format.kind === 'SQ') return null;
  const q = AP_Q_NAMES[policy.rounding];
  const o = AP_O_NAMES[policy.overflow];
  if (q === undefined || o === undefined) return null;
  const w = format.bits;
  const i = format.intBits + (format.kind === 'Q' ? 1 : 0);
  const n = policy.saturationBits ?? 0;
  const args = [String(w), String(i), q, o, String(n)];
  let keep = 5;
  if (n === 0) keep = 4;
  if (keep === 4 && o === 'AP_WRAP') keep = 3;
  if (keep === 3 && q === 'AP_TRN') keep = 2;
  return `ap_${format.kind === 'UQ' ? 'u' : ''}fixed<${args.slice(0, keep).join(',')}>`;
}

/** A type for people: its HLS spelling and fxnn's, e.g. `ap_fixed<8,3> (Q2.5 floor wrap)`. */
export function typeText(t: FixedType): string {
  const hls = hlsSpelling(t);
  return hls === null ? t.name : `${hls} (${t.name})`;
}
