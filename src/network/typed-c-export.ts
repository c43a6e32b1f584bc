/**
 * C export of typed networks (network JSON version 2): dependency-free C99 on int64_t codes,
 * bit-exact with `evaluateTypedReference` (docs/networks.md "export-c on version 2"). Every cast is
 * one call `cast_<type>(p, s)`: p·2^-s rounded by the type's rounding (floor division and the
 * remainder, so no shift of a negative number is relied on) then the type's overflow, written out
 * per type (saturate, wrap with N, saturate-zero, saturate-symmetric, wrap-sign-magnitude, error).
 * hls4ml tables are embedded with their index arithmetic (C's division truncates toward zero, as
 * hls4ml's does); other activations than relu/linear are embedded as tables over the input codes.
 */
import { roundActivationAt } from '../activations/rounded.js';
import { check, FxnnError, quote } from '../errors.js';
import type { FixedType } from '../fixed-type.js';
import { hls4mlTable } from '../hls/hls4ml-table.js';
import { layerResultType, type TypedNetwork, typedOutputCount } from './typed-network.js';

/** Bits of every type and table index the export handles (products of two stay below 2^62). */
const C_TYPE_BITS = 31;
/** Input types of at most this many bits get embedded tables for correctly rounded activations. */
const C_SIGMA_BITS = 16;

function lit(x: bigint): string {
  // INT64_MIN has no literal form
  return x === -(1n << 63n) ? '(-9223372036854775807LL - 1)' : `${x}LL`;
}

function roundBody(mode: string): string {
  switch (mode) {
    case 'floor':
      return 'return q;';
    case 'ceil':
      return 'return r != 0 ? q + 1 : q;';
    case 'toward-zero':
      return 'return (r != 0 && p < 0) ? q + 1 : q;';
    case 'nearest-up':
      return 'return 2 * r >= d ? q + 1 : q;';
    case 'nearest-down':
      return 'return 2 * r > d ? q + 1 : q;';
    case 'nearest-away':
      return 'return (2 * r > d || (2 * r == d && p >= 0)) ? q + 1 : q;';
    case 'nearest-zero':
      return 'return (2 * r > d || (2 * r == d && p < 0)) ? q + 1 : q;';
    default:
      return 'return (2 * r > d || (2 * r == d && (q & 1) != 0)) ? q + 1 : q;';
  }
}

/** C statements bringing `c` into the type's range (`bad` set under error). */
function fitBody(t: FixedType): string {
  const f = t.format;
  const min = lit(f.minCode);
  const max = lit(f.maxCode);
  const w = f.bits;
  const n = t.policy.saturationBits ?? 0;
  const mask = `((uint64_t)${lit((1n << BigInt(w)) - 1n)})`;
  const signed = f.kind === 'Q';
  const toSigned = signed
    ? `return (v & ((uint64_t)1 << ${w - 1})) ? (int64_t)v - ${lit(1n << BigInt(w))} : (int64_t)v;`
    : 'return (int64_t)v;';
  switch (t.policy.overflow) {
    case 'saturate':
      return `return c < ${min} ? ${min} : c > ${max} ? ${max} : c;`;
    case 'saturate-zero':
      return `return (c < ${min} || c > ${max}) ? 0 : c;`;
    case 'saturate-symmetric':
      return signed
        ? `return c <= ${min} ? -${max} : c > ${max} ? ${max} : c;`
        : `return c < 0 ? 0 : c > ${max} ? ${max} : c;`;
    case 'error':
      return `if (c < ${min} || c > ${max}) *bad = 1; return c;`;
    case 'wrap': {
      const lines = [`uint64_t v = (uint64_t)c & ${mask};`, `if (c >= ${min} && c <= ${max}) return c;`];
      if (n > 0) {
        if (signed) {
          lines.push(`if (c < 0) v |= (uint64_t)1 << ${w - 1}; else v &= ~((uint64_t)1 << ${w - 1});`);
          if (n > 1) {
            const m = `((uint64_t)${lit(((1n << BigInt(n - 1)) - 1n) << BigInt(w - n))})`;
            lines.push(`if (c < 0) v &= ~${m}; else v |= ${m};`);
          }
        } else {
          lines.push(`v |= (uint64_t)${lit(((1n << BigInt(n)) - 1n) << BigInt(w - n))};`);
        }
      }
      lines.push(toSigned);
      return lines.join('\n  ');
    }
    default: {
      // wrap-sign-magnitude (signed types only)
      const top = `((uint64_t)1 << ${w - 1})`;
      const lines = [`uint64_t v = (uint64_t)c & ${mask};`, `if (c >= ${min} && c <= ${max}) return c;`];
      const neg = 'c < 0';
      if (n === 0) {
        lines.push(`if ((((uint64_t)c >> ${w}) & 1) != ((v >> ${w - 1}) & 1)) v = ~v & ${mask};`);
      } else if (n === 1) {
        lines.push(`if ((${neg} ? 1u : 0u) != ((v >> ${w - 1}) & 1)) v = ~v & ${mask};`);
        lines.push(`if (${neg}) v |= ${top}; else v &= ~${top};`);
      } else {
        const m = `((uint64_t)${lit(((1n << BigInt(n - 1)) - 1n) << BigInt(w - n))})`;
        lines.push(`if (((v >> ${w - n}) & 1) == (${neg} ? 1u : 0u)) v = ~v & ${mask};`);
        lines.push(`if (${neg}) v &= ~${m}; else v |= ${m};`);
        lines.push(`if (${neg}) v |= ${top}; else v &= ~${top};`);
      }
      lines.push(toSigned);
      return lines.join('\n  ');
    }
  }
}

export interface TypedCExportOptions {
  readonly name?: string;
}

/** The C99 source of a typed network: `int NAME(const int64_t x[], int64_t y[])`. */
export function exportTypedC(net: TypedNetwork, options: TypedCExportOptions = {}): string {
  const name = options.name ?? 'network';
  check(
    /^[A-Za-z_][A-Za-z0-9_]*$/.test(name),
    () => `name: ${quote(name)} is not a valid C identifier`,
    'name',
  );
  const P = name;
  const M = name.toUpperCase();
  const types = new Map<string, { id: number; t: FixedType }>();
  const typeId = (t: FixedType): number => {
    let e = types.get(t.name);
    if (!e) {
      check(
        t.format.bits <= C_TYPE_BITS && t.format.fracBits >= 0,
        () =>
          `C export supports types of at most ${C_TYPE_BITS} bits with fractional bits ≥ 0; ${t.format.spec} has ${t.format.bits} bits, ${t.format.fracBits} fractional`,
        'format',
      );
      e = { id: types.size, t };
      types.set(t.name, e);
    }
    return e.id;
  };
  const cast = (p: string, fromFrac: number, t: FixedType) => {
    const s = fromFrac - t.format.fracBits;
    const id = typeId(t);
    check(
      s >= -31 && s <= 62,
      () => `C export: a cast by ${s} bits into ${t.format.spec} is beyond int64_t`,
      'format',
    );
    return s >= 0
      ? `${P}_cast${id}(${p}, ${s}, &bad)`
      : `${P}_fit${id}((${p}) * ${lit(1n << BigInt(-s))}, &bad)`;
  };
  const data: string[] = [];
  const body: string[] = [];
  let width = net.inputs;
  let xType = net.input;
  typeId(net.input);
  let maxWidth = width;
  net.layers.forEach((layer, l) => {
    const xFrac = xType.format.fracBits;
    body.push(`  /* layers[${l}] ${layer.name.replace(/\*\//g, '* /')} */`);
    if (layer.kind === 'dense') {
      const { weight, bias, accum, result } = layer.types;
      [weight, bias, accum, result].forEach(typeId);
      const pf = weight.format.fracBits + xFrac;
      body.push('  bad = 0;');
      layer.neurons.forEach((neuron, i) => {
        const stmts: string[] = [];
        if (layer.accumulation === 'exact') {
          const e = Math.max(bias.format.fracBits, pf);
          const maxA = Math.max(-Number(xType.format.minCode), Number(xType.format.maxCode));
          let bound = Math.abs(Number(neuron.bias)) * 2 ** (e - bias.format.fracBits);
          for (const [, w] of neuron.edges) bound += Math.abs(Number(w)) * maxA * 2 ** (e - pf);
          check(
            bound < 2 ** 62,
            () => `C export: the exact sum of ${layer.name} neuron ${i} may exceed int64_t`,
            'format',
          );
          const terms = [`${lit(neuron.bias)} * ${lit(1n << BigInt(e - bias.format.fracBits))}`];
          for (const [j, w] of neuron.edges) terms.push(`${lit(w)} * a[${j}] * ${lit(1n << BigInt(e - pf))}`);
          stmts.push(`acc = ${cast(terms.join(' + '), e, accum)};`);
        } else {
          stmts.push(
            layer.bias === 'first'
              ? `acc = ${cast(lit(neuron.bias), bias.format.fracBits, accum)};`
              : 'acc = 0;',
          );
          for (const [j, w] of neuron.edges) {
            stmts.push(
              `acc = ${cast(`acc + ${cast(`${lit(w)} * a[${j}]`, pf, accum)}`, accum.format.fracBits, accum)};`,
            );
          }
          if (layer.bias === 'last') {
            stmts.push(
              `acc = ${cast(`acc + ${cast(lit(neuron.bias), bias.format.fracBits, accum)}`, accum.format.fracBits, accum)};`,
            );
          }
        }
        stmts.push(`b[${i}] = ${cast('acc', accum.format.fracBits, result)};`);
        body.push(`  ${stmts.join(' ')}`);
      });
      body.push(`  if (bad) return ${l + 1};`);
      width = layer.neurons.length;
    } else {
      const out = layer.result;
      typeId(out);
      body.push('  bad = 0;');
      if (layer.table !== null) {
        const { kind, size } = layer.table;
        const entries = hls4mlTable(kind, size, layer.table.type);
        typeId(layer.table.type);
        const span = kind === 'sigmoid' ? 16 : 8;
        data.push(
          `/* hls4ml ${kind} table: ${size} entries of ${layer.table.type.name} */\nstatic const int32_t ${P}_table${l}[${size}] = { ${entries.join(', ')} };`,
        );
        const divisor = lit(BigInt(span) << BigInt(xFrac));
        const offset = Math.floor((size * (span / 2)) / span);
        body.push(
          `  for (j = 0; j < ${width}; j++) { int64_t index = a[j] * ${size} / ${divisor} + ${offset}; if (index < 0) index = 0; if (index > ${size - 1}) index = ${size - 1}; b[j] = ${cast(`${P}_table${l}[index]`, layer.table.type.format.fracBits, out)}; }`,
        );
      } else {
        const key = layer.activation.key;
        if (key === 'relu' || key === 'identity') {
          body.push(
            `  for (j = 0; j < ${width}; j++) { int64_t v = a[j]${key === 'relu' ? ' > 0 ? a[j] : 0' : ''}; b[j] = ${cast('v', xFrac, out)}; }`,
          );
        } else {
          check(
            xType.format.bits <= C_SIGMA_BITS,
            () =>
              `C export embeds ${key} as a table over its input type; ${xType.format.spec} has ${xType.format.bits} bits (at most ${C_SIGMA_BITS})`,
            'format',
          );
          const codes: string[] = [];
          const f = xType.format;
          let overflows = false;
          for (let c = f.minCode; c <= f.maxCode; c++) {
            try {
              codes.push(
                String(
                  roundActivationAt(
                    layer.activation,
                    { num: c, den: 1n << BigInt(xFrac) },
                    out.format,
                    out.policy,
                  ).code,
                ),
              );
            } catch (e) {
              if (!(e instanceof FxnnError) && !(e instanceof Error && e.name === 'OverflowError')) throw e;
              codes.push('0');
              overflows = true;
            }
          }
          if (overflows) {
            throw new FxnnError(
              `C export: ${key} overflows ${out.format.spec} under overflow "error" for some inputs`,
              'overflow',
            );
          }
          data.push(
            `/* ${key} into ${out.name}, indexed by input code − (${f.minCode}) */\nstatic const int32_t ${P}_sigma${l}[${f.size}] = { ${codes.join(', ')} };`,
          );
          body.push(`  for (j = 0; j < ${width}; j++) b[j] = ${P}_sigma${l}[a[j] - (${lit(f.minCode)})];`);
        }
      }
      body.push(`  if (bad) return ${l + 1};`);
    }
    body.push(`  for (j = 0; j < ${width}; j++) a[j] = b[j];`);
    maxWidth = Math.max(maxWidth, width);
    xType = layerResultType(layer);
  });
  const k = typedOutputCount(net);
  const helpers = [...types.values()].map(
    ({ id, t }) => `/* ${t.name} */
static inline int64_t ${P}_fit${id}(int64_t c, int *bad) {
  (void)bad;
  ${fitBody(t)}
}
static inline int64_t ${P}_cast${id}(int64_t p, int s, int *bad) {
  int64_t d = (int64_t)1 << s, q = p / d, r = p % d;
  if (r < 0) { q -= 1; r += d; }
  q = ${P}_round${id}(p, q, r, d);
  return ${P}_fit${id}(q, bad);
}`,
  );
  const rounders = [...types.values()].map(
    ({ id, t }) =>
      `static inline int64_t ${P}_round${id}(int64_t p, int64_t q, int64_t r, int64_t d) { (void)p; (void)r; (void)d; ${roundBody(t.policy.rounding)} }`,
  );
  const inF = net.input.format;
  return `/* Generated by fxnn export-c from a network JSON version 2: bit-exact with fxnn eval.
 * Values are held as integer codes v·2^f of each type; inputs are codes of ${net.input.name},
 * outputs codes of ${layerResultType(net.layers[net.layers.length - 1]).name}.
 * ${P}(x, y) returns 0, -1 for an input outside the input type, or 1 + the index of the layer
 * where a cast overflowed under overflow "error". */
#include <stdint.h>

#define ${M}_INPUTS ${net.inputs}
#define ${M}_OUTPUTS ${k}
#define ${M}_MIN_CODE ${lit(inF.minCode)}
#define ${M}_MAX_CODE ${lit(inF.maxCode)}

${rounders.join('\n')}
${helpers.join('\n')}
${data.join('\n')}

int ${P}(const int64_t x[], int64_t y[]) {
  int64_t a[${maxWidth}], b[${maxWidth}], acc = 0;
  int j, bad = 0;
  (void)acc;
  for (j = 0; j < ${net.inputs}; j++) {
    if (x[j] < ${M}_MIN_CODE || x[j] > ${M}_MAX_CODE) return -1;
    a[j] = x[j];
  }
${body.join('\n')}
  for (j = 0; j < ${k}; j++) y[j] = a[j];
  return 0;
}
`;
}
