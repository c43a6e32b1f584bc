/**
 * Interoperability with ml_dtypes and ONNX `Cast` (docs/float.md §7): the policies that reproduce their
 * casts, and value tables (every code with its value, as `np.arange(2**bits).view(dtype)` lists them).
 */
import { FxnnError, quote } from '../errors.js';
import { classify, type FloatFormat } from './float-format.js';
import { type FloatPolicy, floatCodeText, makeFloatPolicy } from './float-rounding.js';
import { parseFloatInput } from './float-value.js';

/** Casting conventions: ml_dtypes and ONNX Cast saturate=0 are non-saturating, ONNX saturate=1 saturates. */
export const FLOAT_CONVENTIONS: Readonly<Record<string, FloatPolicy>> = Object.freeze({
  ml_dtypes: makeFloatPolicy({ rounding: 'nearest-even', overflow: 'infinity' }),
  'onnx-saturate': makeFloatPolicy({ rounding: 'nearest-even', overflow: 'saturate' }),
  'onnx-nosat': makeFloatPolicy({ rounding: 'nearest-even', overflow: 'infinity' }),
});

export function conventionPolicy(name: string): FloatPolicy {
  const p = FLOAT_CONVENTIONS[name];
  if (p === undefined) {
    throw new FxnnError(
      `unknown convention ${quote(name)}: expected one of ${Object.keys(FLOAT_CONVENTIONS).join(', ')}`,
      'convention',
    );
  }
  return p;
}

/** CSV `code,value` for every code 0 … 2^bits − 1 (values: exact decimals, -0, inf, -inf, nan). */
export function floatValueTable(f: FloatFormat): string {
  const rows = ['code,value'];
  for (let c = 0; c < 2 ** f.bits; c++) rows.push(`${c},${floatCodeText(c, f)}`);
  return `${rows.join('\n')}\n`;
}

/**
 * Reads a value table `code,value` (a header line, one row per code, in any order; values as decimals,
 * `-0`, `inf`/`-inf`, `nan` in any case, e.g. written from ml_dtypes with `repr`) and checks it against
 * the format: every code present once and each value exactly the code's value (NaN for NaN codes, either
 * sign). Errors name the row.
 */
export function parseFloatValueTable(f: FloatFormat, csv: string): void {
  const lines = csv.split(/\r?\n/);
  const seen = new Set<number>();
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (i === 0 || line === '' || line.startsWith('#')) return;
    const where = `row ${i + 1}`;
    const [codeText, valueText, ...rest] = line.split(',').map((s) => s.trim());
    if (valueText === undefined || rest.length > 0)
      throw new FxnnError(`${where}: expected "code,value"`, 'table');
    const code = Number(codeText);
    if (!Number.isInteger(code) || code < 0 || code >= 2 ** f.bits) {
      throw new FxnnError(
        `${where}: code ${quote(codeText)} is not a code of ${f.spec} (0 … ${2 ** f.bits - 1})`,
        'table',
      );
    }
    if (seen.has(code)) throw new FxnnError(`${where}: duplicate code ${code}`, 'table');
    seen.add(code);
    const want = floatCodeText(code, f);
    const x = parseFloatInput(valueText, where);
    const ok =
      x.kind === 'nan'
        ? classify(code, f) === 'nan'
        : x.kind === 'inf'
          ? want === (x.negative ? '-inf' : 'inf')
          : classify(code, f) !== 'nan' &&
            classify(code, f) !== 'infinite' &&
            floatCodeText(code, f).replace(/^-0$/, '0') === canonical(x.value.num, x.value.den) &&
            (x.negative === code >= f.signBit || x.value.num !== 0n);
    if (!ok)
      throw new FxnnError(
        `${where}: code ${code} is ${want} in ${f.spec}, the table says ${quote(valueText)}`,
        'table',
      );
  });
  if (seen.size !== 2 ** f.bits) {
    throw new FxnnError(
      `value table: ${2 ** f.bits - seen.size} of the ${2 ** f.bits} codes of ${f.spec} are missing`,
      'table',
    );
  }
}

function canonical(num: bigint, den: bigint): string {
  // den is a power of two for every value of a float format; otherwise the value cannot match
  let d = den;
  let k = 0;
  while (d % 2n === 0n) {
    d /= 2n;
    k++;
  }
  if (d !== 1n) return `${num}/${den}`;
  if (k === 0) return num.toString();
  const s = (num < 0n ? -num : num) * 5n ** BigInt(k);
  const digits = s.toString().padStart(k + 1, '0');
  const text = `${digits.slice(0, -k)}.${digits.slice(-k)}`.replace(/\.?0+$/, '');
  return num < 0n ? `-${text}` : text;
}
