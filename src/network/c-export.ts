import { activationTable, OVERFLOW_SENTINEL } from '../activations/rounded.js';
import type { Rounding } from '../core/rounding.js';
import { check, FxnnError, quote } from '../errors.js';
import { type Network, outputCount } from './network.js';
import { networkSize } from './size.js';

/** Formats (bits) whose networks can be exported: codes are int32_t. */
export const C_EXPORT_BITS = 24;
/** Activation tables are embedded for formats up to this many bits (2^20 entries at most). */
export const C_TABLE_BITS = 20;

const C_KEYWORDS = new Set(
  (
    'auto break case char const continue default do double else enum extern float for goto if inline int long ' +
    'register restrict return short signed sizeof static struct switch typedef union unsigned void volatile while ' +
    '_Bool _Complex _Imaginary main'
  ).split(' '),
);

export interface CExportOptions {
  /** The C function's name (default `network`); other symbols are prefixed with it. */
  readonly name?: string;
}

function roundFunction(prefix: string, rounding: Rounding, fracBits: number): string {
  if (fracBits === 0) return `static int64_t ${prefix}_round(int64_t p) { return p; }`;
  const unit = 2 ** fracBits;
  const half = unit / 2;
  const tie: Record<string, string> = {
    'nearest-even': 'q + (q % 2 != 0)',
    'nearest-away': 'q + (p >= 0)',
    'nearest-up': 'q + 1',
    'nearest-down': 'q',
    'nearest-zero': 'q + (p < 0)',
  };
  let decide: string;
  switch (rounding) {
    case 'floor':
      decide = 'return q;';
      break;
    case 'ceil':
      decide = 'return q + (r != 0);';
      break;
    case 'toward-zero':
      decide = 'return q + (r != 0 && p < 0);';
      break;
    default:
      decide = `if (r != ${half}) return q + (r > ${half});\n  return ${tie[rounding]};`;
  }
  return `/* p·2^-${fracBits} rounded to an integer (${rounding}) */
static int64_t ${prefix}_round(int64_t p) {
  int64_t q = p / ${unit}, r = p % ${unit}; /* C99 division truncates toward zero */
  if (r < 0) { q -= 1; r += ${unit}; } /* now q = floor(p / ${unit}), 0 <= r < ${unit} */
  ${decide}
}`;
}

function list(values: ArrayLike<number>, perLine = 16): string {
  const parts: string[] = [];
  for (let i = 0; i < values.length; i += perLine) {
    parts.push(
      `  ${Array.from({ length: Math.min(perLine, values.length - i) }, (_, k) => values[i + k]).join(', ')}`,
    );
  }
  return parts.join(',\n');
}

/**
 * Dependency-free C99 computing the network bit for bit like fxnn's evaluators: integer arithmetic
 * only, activations embedded as lookup tables over the format's codes. The generated function is
 * `int NAME(const int32_t x[], int32_t y[])` on codes; it returns 0, −1 for an input code outside the
 * format, and under overflow `error` 1 + the index (in evaluation order) of the first neuron whose
 * computation overflowed.
 */
export function exportC(net: Network, options: CExportOptions = {}): string {
  const name = options.name ?? 'network';
  check(
    /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !C_KEYWORDS.has(name),
    () => `name: ${quote(name)} is not a valid C identifier`,
    'name',
  );
  const { format, policy } = net;
  check(
    format.bits <= C_EXPORT_BITS,
    () =>
      `C export supports formats of at most ${C_EXPORT_BITS} bits (codes are int32_t); ${format.spec} has ${format.bits}`,
    'format',
  );
  check(
    format.fracBits >= 0 &&
      (policy.overflow === 'saturate' || policy.overflow === 'wrap' || policy.overflow === 'error') &&
      (policy.saturationBits ?? 0) === 0,
    () =>
      `C export of version 1 networks supports overflow saturate, wrap (N = 0) and error on formats with fractional bits ≥ 0; this network has ${format.spec}, overflow ${policy.overflow}`,
    'overflow',
  );
  const P = name;
  const M = name.toUpperCase();
  const min = Number(format.minCode);
  const max = Number(format.maxCode);
  const unit = 2 ** format.fracBits;
  const maxAbs = Math.max(-min, max);
  const size = networkSize(net);
  const k = outputCount(net);

  // Parameters as flat arrays; neurons numbered in evaluation order.
  const bias: number[] = [];
  const edgeEnd: number[] = [];
  const source: number[] = [];
  const weight: number[] = [];
  const layerFirst: number[] = [];
  net.layers.forEach((layer, l) => {
    layerFirst.push(bias.length);
    layer.neurons.forEach((neuron, i) => {
      bias.push(Number(neuron.bias));
      let bound = Math.abs(Number(neuron.bias)) * unit;
      for (const [j, w] of neuron.edges) {
        source.push(j);
        weight.push(Number(w));
        bound += Math.abs(Number(w)) * maxAbs;
      }
      edgeEnd.push(source.length);
      if (net.accumulation === 'exact' && bound >= 2 ** 62) {
        throw new FxnnError(
          `C export: the exact sum of layers[${l}].neurons[${i}] may exceed the 64-bit accumulator`,
          'accumulation',
        );
      }
    });
  });

  // One table per distinct activation (identity needs none).
  const tables = new Map<string, { id: string; table: Int32Array }>();
  const layerTable = net.layers.map((layer) => {
    const act = layer.activation;
    if (act.name === 'identity') return '0';
    let entry = tables.get(act.key);
    if (!entry) {
      if (format.bits > C_TABLE_BITS) {
        throw new FxnnError(
          `C export embeds activation tables for formats of at most ${C_TABLE_BITS} bits; ${format.spec} has ${format.bits} (activation ${act.key})`,
          'format',
        );
      }
      entry = { id: `${P}_sigma_${tables.size}`, table: activationTable(act, format, policy) };
      tables.set(act.key, entry);
    }
    return entry.id;
  });

  const maxWidth = Math.max(net.inputs, size.width);
  const error = policy.overflow === 'error';
  const fitStatement = (v: string) =>
    error ? `if (${v} < ${M}_MIN_CODE || ${v} > ${M}_MAX_CODE) return 1 + (int)g;` : `${v} = ${P}_fit(${v});`;
  let fitFunction = '';
  if (policy.overflow === 'saturate') {
    fitFunction = `/* overflow: saturate */
static int64_t ${P}_fit(int64_t c) { return c < ${M}_MIN_CODE ? ${M}_MIN_CODE : c > ${M}_MAX_CODE ? ${M}_MAX_CODE : c; }`;
  } else if (policy.overflow === 'wrap') {
    fitFunction = `/* overflow: wrap (keep the low ${format.bits} bits; conversion to unsigned is modulo 2^64) */
static int64_t ${P}_fit(int64_t c) {
  if (c < ${M}_MIN_CODE || c > ${M}_MAX_CODE) c = (int64_t)((uint64_t)(c - ${M}_MIN_CODE) & ${2 ** format.bits - 1}u) + ${M}_MIN_CODE;
  return c;
}`;
  }

  let neuronBody: string;
  if (net.accumulation === 'exact') {
    neuronBody = `      int64_t acc = (int64_t)${P}_bias[g] * ${unit};
      for (; e < end; e++) acc += (int64_t)${P}_weight[e] * h[${P}_source[e]];
      acc = ${P}_round(acc);
      ${fitStatement('acc')}`;
  } else {
    neuronBody = `      int64_t acc = ${net.bias === 'first' ? `${P}_bias[g]` : '0'};
      for (; e < end; e++) {
        int64_t q = ${P}_round((int64_t)${P}_weight[e] * h[${P}_source[e]]);
        ${fitStatement('q')}
        acc += q;
        ${fitStatement('acc')}
      }${
        net.bias === 'last'
          ? `
      acc += ${P}_bias[g];
      ${fitStatement('acc')}`
          : ''
      }`;
  }
  const activation = `      if (t) {
        int32_t v = t[acc - ${M}_MIN_CODE];${error ? `\n        if (v == ${OVERFLOW_SENTINEL}) return 1 + (int)g;` : ''}
        o[i] = v;
      } else {
        o[i] = (int32_t)acc;
      }`;
  const storage = maxWidth > 16384 ? 'static int32_t' : 'int32_t';
  const semantics =
    net.accumulation === 'exact'
      ? 'exact accumulation (one rounding of b + sum w*h)'
      : `sequential accumulation, bias ${net.bias}`;
  const sigmaLines = [...tables.entries()].map(
    ([key, { id, table }]) =>
      `/* ${key} rounded into ${format.spec} (${policy.rounding}, ${policy.overflow}), by code - ${M}_MIN_CODE${error ? `; ${OVERFLOW_SENTINEL} marks an overflow` : ''} */\nstatic const int32_t ${id}[${table.length}] = {\n${list(table)}\n};`,
  );
  return `/*
 * ${name}: a fixed-point network exported by fxnn, bit-exact with fxnn's evaluators.
 * Format ${format.spec}: a value v is held as its integer code v*2^${format.fracBits}, in [${min}, ${max}].
 * Rounding ${policy.rounding}, overflow ${policy.overflow}; ${semantics}.
 * ${net.inputs} input${net.inputs === 1 ? '' : 's'}, ${k} output${k === 1 ? '' : 's'}, ${size.depth} layer${size.depth === 1 ? '' : 's'}, ${size.neurons} neurons, ${size.parameters} parameters. C99, integer arithmetic only.
 *
 * int ${name}(const int32_t x[${M}_INPUTS], int32_t y[${M}_OUTPUTS]);
 *   x: input codes, y: output codes. Returns 0; -1 when an input code is outside the format;
 *   under overflow "error", 1 + the index of the first neuron whose computation overflowed
 *   (neurons numbered layer by layer in evaluation order; ${P}_layer_first[l] is layer l's first).${
   storage === 'static int32_t'
     ? '\n *   Not reentrant: the layer buffers are static (the network is wide).'
     : ''
 }
 */
#include <stdint.h>

#define ${M}_INPUTS ${net.inputs}
#define ${M}_OUTPUTS ${k}
#define ${M}_LAYERS ${size.depth}
#define ${M}_FRAC_BITS ${format.fracBits}
#define ${M}_MIN_CODE (${min})
#define ${M}_MAX_CODE ${max}

static const uint32_t ${P}_width[${M}_LAYERS] = { ${net.layers.map((l) => l.neurons.length).join(', ')} };
static const uint32_t ${P}_layer_first[${M}_LAYERS] = { ${layerFirst.join(', ')} };
static const int32_t ${P}_bias[${bias.length}] = {
${list(bias)}
};
/* edges of neuron g are edge_end[g-1] .. edge_end[g]-1, in accumulation order */
static const uint32_t ${P}_edge_end[${edgeEnd.length}] = {
${list(edgeEnd)}
};
static const uint32_t ${P}_source[${Math.max(1, source.length)}] = {
${source.length > 0 ? list(source) : '  0'}
};
static const int32_t ${P}_weight[${Math.max(1, weight.length)}] = {
${weight.length > 0 ? list(weight) : '  0'}
};
${sigmaLines.join('\n')}
static const int32_t *const ${P}_sigma[${M}_LAYERS] = { ${layerTable.join(', ')} };

${roundFunction(P, policy.rounding, format.fracBits)}
${fitFunction}

int ${name}(const int32_t x[${M}_INPUTS], int32_t y[${M}_OUTPUTS]) {
  ${storage} buffer0[${maxWidth}], buffer1[${maxWidth}];
  int32_t *h = buffer0, *o = buffer1, *swap;
  uint32_t e = 0, g = 0, i;
  int l;
  (void)${P}_layer_first;
  for (i = 0; i < ${M}_INPUTS; i++) {
    if (x[i] < ${M}_MIN_CODE || x[i] > ${M}_MAX_CODE) return -1;
    h[i] = x[i];
  }
  for (l = 0; l < ${M}_LAYERS; l++) {
    const int32_t *t = ${P}_sigma[l];
    for (i = 0; i < ${P}_width[l]; i++, g++) {
      const uint32_t end = ${P}_edge_end[g];
${neuronBody}
${activation}
    }
    swap = h; h = o; o = swap;
  }
  for (i = 0; i < ${M}_OUTPUTS; i++) y[i] = h[i];
  return 0;
}
`;
}
