import type { FixedResult } from '../fixed.js';

/** JSON text of a value, writing bigints as plain JSON numbers (exact, whatever their size). */
export function toJson(value: unknown, indent?: number): string {
  const marker = '__fxnn_bigint__:';
  const text = JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? `${marker}${v}` : v), indent);
  return text.replace(new RegExp(`"${marker}(-?\\d+)"`, 'g'), '$1');
}

/** One JSON Lines record of a rounded result: value, code, overflowed, exact. */
export function resultJson(r: FixedResult): string {
  return toJson({ value: r.value, code: r.code, overflowed: r.overflowed, exact: r.exact });
}

/** The human form of a rounded result: exact, rounded (only rounding changed it) or overflowed. */
export function resultText(r: FixedResult): string {
  const note = r.exact ? 'exact' : r.overflowed ? 'overflowed' : 'rounded';
  return `${r.value}  (code ${r.code}; ${note})`;
}
