/**
 * C export of float networks (docs/float.md §6): dependency-free C99 (`<stdint.h>` only), integer
 * arithmetic only, bit-exact with `evaluateFloatReference`. Values are codes (bit patterns, uint16_t).
 * Each ⊗ and ⊕ decodes its operands (sign, significand, unit exponent), forms the exact integer result
 * (a product of significands, or the aligned sum with the far-apart case reduced to a sticky unit, as
 * in float-fast.ts) and rounds it in one function `round_int` with gradual underflow and the overflow
 * policy; IEEE special values are handled before. Exact accumulation sums products at the unit
 * 2^(2·qmin): in an int64_t when every sum fits 62 bits, else in a fixed-point accumulator of
 * 32-bit limbs held in int64_t with deferred carries (each term adds less than 2^32 to two limbs, so
 * fewer than 2^29 terms cannot overflow a limb), normalized once to two's complement and rounded from
 * its top 62 bits plus a sticky bit (exact: round_int's rounding position lies ≥ 46 bits above the
 * sticky bit, so every boundary and midpoint is a multiple of twice its weight, and the true sum and
 * the sticky substitute lie on the same side of each). Activations are tables over all 2^bits codes
 * (±∞ → the limit of σ, NaN → NaN). Returns 0, or under overflow `error` 1 + the index of the first
 * neuron whose computation overflowed.
 */
import { check } from '../errors.js';
import { classify, decodeFinite } from './float-format.js';
import type { FloatNetwork } from './float-network.js';
import { activationAtInfinity, layerActivationTable } from './float-network-eval.js';

export function exportFloatC(net: FloatNetwork, options: { name?: string } = {}): string {
  const name = options.name ?? 'network';
  check(
    /^[A-Za-z_][A-Za-z0-9_]*$/.test(name),
    () => `--name: ${JSON.stringify(name)} is not a C identifier`,
    'name',
  );
  const f = net.format;
  const p = net.policy;
  const P = name;
  const U = name.toUpperCase();
  const m = f.manBits;
  const size = 2 ** f.bits;
  const qmin = f.emin - m;
  let exactBits = 0;
  let limbs = 0;
  if (net.accumulation === 'exact') {
    // |term| ≤ max², at the unit 2^(2·qmin): bits of max²/2^(2qmin), plus the bias, plus log2(edges+1)
    const maxQ = f.emax - m;
    const widest = Math.max(...net.layers.flatMap((l) => l.neurons.map((n) => n.edges.length)), 0);
    check(
      widest < 2 ** 29,
      () => `export-c: a neuron has ${widest} edges; exact accumulation in C takes fewer than 2^29`,
      'accumulation',
    );
    exactBits = 2 * (m + 1) + 2 * (maxQ - qmin) + Math.ceil(Math.log2(widest + 2));
    if (exactBits > 62) {
      // a term (or the bias) is v·2^s with v < 2^30 and s ≤ the largest shift below; limbs of 32 bits
      const shift = Math.max(2 * (maxQ - qmin), maxQ - 2 * qmin);
      limbs = Math.ceil((shift + 30 + Math.ceil(Math.log2(widest + 2)) + 1) / 32) + 1;
    }
  }
  const sigTab: number[] = [];
  const qTab: number[] = [];
  const clsTab: number[] = [];
  for (let c = 0; c < size; c++) {
    const k = classify(c, f);
    clsTab.push(k === 'nan' ? 2 : k === 'infinite' ? 1 : 0);
    if (k === 'nan' || k === 'infinite') {
      sigTab.push(0);
      qTab.push(0);
    } else {
      const d = decodeFinite(c, f);
      sigTab.push(d.M);
      qTab.push(d.q);
    }
  }
  const tables = net.layers.map((layer, l) => {
    const t = layerActivationTable(net, l);
    const codes = Array.from(t, (v, c) => {
      if (v === -1) return -1;
      if (!f.fn && (c & (f.signBit - 1)) === f.infCode)
        return activationAtInfinity(layer.activation, f, p, c >= f.signBit);
      return v;
    });
    return `static const int32_t ${P}_sigma_${l}[${size}] = { ${codes.join(', ')} };`;
  });
  const biases: number[] = [];
  const ends: number[] = [];
  const sources: number[] = [];
  const weights: number[] = [];
  const layerFirst: number[] = [];
  for (const layer of net.layers) {
    layerFirst.push(biases.length);
    for (const n of layer.neurons) {
      biases.push(n.bias);
      for (const [s, w] of n.edges) {
        sources.push(s);
        weights.push(w);
      }
      ends.push(sources.length);
    }
  }
  const layerSizes = net.layers.map((l) => l.neurons.length);
  const maxWidth = Math.max(net.inputs, ...layerSizes);
  const ovf = (negative: boolean): number => {
    const sign = negative ? f.signBit : 0;
    const inf = sign + (f.fn ? f.nanCode : f.infCode);
    const max = sign + f.maxCode;
    if (p.overflow === 'saturate') return max;
    switch (p.rounding) {
      case 'toward-zero':
        return max;
      case 'floor':
        return negative ? inf : max;
      case 'ceil':
        return negative ? max : inf;
      default:
        return inf;
    }
  };
  const roundUp =
    p.rounding === 'nearest-even'
      ? '(r > half || (r == half && (N & 1)))'
      : p.rounding === 'nearest-away'
        ? '(r >= half)'
        : p.rounding === 'floor'
          ? 'neg'
          : p.rounding === 'ceil'
            ? '!neg'
            : '0';
  const arr = (xs: number[]) => (xs.length === 0 ? '0' : xs.join(', '));
  return `/* ${name}: a float network in ${f.spec} (${p.rounding}, overflow ${p.overflow}, ${net.accumulation}${net.accumulation === 'sequential' ? `, bias ${net.bias}` : ''}), exported by fxnn.
 * Values are codes (IEEE-style bit patterns). Integer arithmetic only; bit-exact with fxnn. */
#include <stdint.h>

#define ${U}_INPUTS ${net.inputs}
#define ${U}_OUTPUTS ${layerSizes[layerSizes.length - 1]}
#define ${U}_CODES ${size}

static const int32_t ${P}_sig[${size}] = { ${sigTab.join(', ')} };
static const int16_t ${P}_q[${size}] = { ${qTab.join(', ')} };
static const uint8_t ${P}_cls[${size}] = { ${clsTab.join(', ')} }; /* 1: infinite, 2: NaN */
${tables.join('\n')}
static const int32_t ${P}_bias[${Math.max(1, biases.length)}] = { ${arr(biases)} };
static const int32_t ${P}_edge_end[${Math.max(1, ends.length)}] = { ${arr(ends)} };
static const int32_t ${P}_source[${Math.max(1, sources.length)}] = { ${arr(sources)} };
static const int32_t ${P}_weight[${Math.max(1, weights.length)}] = { ${arr(weights)} };
static const int32_t ${P}_layer_first[${net.layers.length + 1}] = { ${[...layerFirst, biases.length].join(', ')} };
static const int32_t ${P}_layer_size[${net.layers.length}] = { ${layerSizes.join(', ')} };

#define ${U}_SIGN ${f.signBit}
#define ${U}_NAN ${f.nanCode}
#define ${U}_INF ${f.fn ? -1 : f.infCode}

static int ${P}_overflowed;

/* bit length of v > 0 */
static int ${P}_bitlen(uint64_t v) { int n = 0; while (v) { n++; v >>= 1; } return n; }

/* rounds (-1)^neg * P * 2^k (P >= 0) into the format, overflow by the policy */
static int32_t ${P}_round_int(int neg, uint64_t P, int k) {
  int32_t sign = neg ? ${U}_SIGN : 0;
  int E, Eu, sh;
  uint64_t N;
  if (P == 0) return sign;
  E = k + ${P}_bitlen(P) - 1;
  Eu = E < ${f.emin} ? ${f.emin} : E;
  sh = Eu - ${m} - k;
  if (sh <= 0) N = P << (-sh);
  else if (sh >= 64) N = (${p.rounding === 'floor' ? 'neg' : p.rounding === 'ceil' ? '!neg' : '0'}) ? 1 : 0;
  else {
    uint64_t r = P & ((((uint64_t)1) << sh) - 1), half = ((uint64_t)1) << (sh - 1);
    N = P >> sh;
    (void)half;
    if (r != 0 && ${roundUp}) N++;
  }
  if (Eu > ${f.emax} || (Eu == ${f.emax} && N > ${f.maxSignificand}u)) {
    ${p.overflow === 'error' ? `${P}_overflowed = 1;\n    ` : ''}return neg ? ${ovf(true)} : ${ovf(false)};
  }
  if (N == 0) return sign;
  if (N == ${2 ** (m + 1)}u) { N = ${2 ** m}u; Eu++; }
  if (N < ${2 ** m}u) return sign + (int32_t)N;
  return sign + (Eu + ${f.bias}) * ${2 ** m} + (int32_t)(N - ${2 ** m}u);
}

${
  net.accumulation === 'exact'
    ? ''
    : `static int32_t ${P}_mul(int32_t a, int32_t b) {
  int neg = (a >= ${U}_SIGN) != (b >= ${U}_SIGN);
  if (${P}_cls[a] | ${P}_cls[b]) {
    if (${P}_cls[a] == 2 || ${P}_cls[b] == 2) return ${U}_NAN;
    if ((${P}_cls[a] == 0 && ${P}_sig[a] == 0) || (${P}_cls[b] == 0 && ${P}_sig[b] == 0)) return ${U}_NAN;
    return (neg ? ${U}_SIGN : 0) + ${U}_INF;
  }
  return ${P}_round_int(neg, (uint64_t)${P}_sig[a] * (uint64_t)${P}_sig[b], ${P}_q[a] + ${P}_q[b]);
}

static int32_t ${P}_add(int32_t a, int32_t b) {
  int an = a >= ${U}_SIGN, bn = b >= ${U}_SIGN, qh, ql, d;
  int64_t Mh, Ml, S;
  if (${P}_cls[a] | ${P}_cls[b]) {
    if (${P}_cls[a] == 2 || ${P}_cls[b] == 2) return ${U}_NAN;
    if (${P}_cls[a] == 1 && ${P}_cls[b] == 1) return an == bn ? a : ${U}_NAN;
    return ${P}_cls[a] == 1 ? a : b;
  }
  if (${P}_sig[b] == 0) {
    if (${P}_sig[a] != 0) return a;
    return an == bn ? a : ${p.rounding === 'floor' ? `${U}_SIGN` : '0'};
  }
  if (${P}_sig[a] == 0) return b;
  Mh = an ? -(int64_t)${P}_sig[a] : ${P}_sig[a];
  Ml = bn ? -(int64_t)${P}_sig[b] : ${P}_sig[b];
  qh = ${P}_q[a];
  ql = ${P}_q[b];
  if (qh < ql) { int64_t t = Mh; int u = qh; Mh = Ml; Ml = t; qh = ql; ql = u; }
  d = qh - ql;
  if (d <= 36) { S = Mh * (((int64_t)1) << d) + Ml; ql = ql; }
  else { S = Mh * (((int64_t)1) << 38) + (Ml < 0 ? -1 : 1); ql = qh - 38; }
  if (S == 0) return ${p.rounding === 'floor' ? `${U}_SIGN` : '0'};
  return S < 0 ? ${P}_round_int(1, (uint64_t)(-S), ql) : ${P}_round_int(0, (uint64_t)S, ql);
}
`
}${net.accumulation === 'exact' ? (limbs === 0 ? exactInt64(P, U, f, p) : exactLimbs(P, U, f, p, limbs)) : ''}
static const int32_t *${P}_sigmas[${net.layers.length}] = { ${net.layers.map((_, l) => `${P}_sigma_${l}`).join(', ')} };

/* x: ${U}_INPUTS codes, y: ${U}_OUTPUTS codes. Returns 0, -1 for a code outside 0 … ${size - 1}${p.overflow === 'error' ? ', or 1 + the index of the first neuron that overflowed' : ''}. */
int ${name}(const int32_t x[${U}_INPUTS], int32_t y[${U}_OUTPUTS]) {
  int32_t buf[2][${maxWidth}];
  int32_t *prev = buf[0], *next = buf[1];
  int l, i, j, e;
  for (j = 0; j < ${U}_INPUTS; j++) {
    if (x[j] < 0 || x[j] >= ${size}) return -1;
    prev[j] = x[j];
  }
  for (l = 0; l < ${net.layers.length}; l++) {
    for (i = 0; i < ${P}_layer_size[l]; i++) {
      int n = ${P}_layer_first[l] + i;
      int start = n == 0 ? 0 : ${P}_edge_end[n - 1], end = ${P}_edge_end[n];
      int32_t acc, s;
      ${P}_overflowed = 0;
${
  net.accumulation === 'exact'
    ? `      acc = ${P}_exact(${P}_bias[n], ${P}_weight + start, ${P}_source + start, end - start, prev);`
    : net.bias === 'first'
      ? `      acc = ${P}_bias[n];
      for (e = start; e < end; e++) acc = ${P}_add(acc, ${P}_mul(${P}_weight[e], prev[${P}_source[e]]));`
      : `      if (end == start) acc = ${P}_bias[n];
      else {
        acc = ${P}_mul(${P}_weight[start], prev[${P}_source[start]]);
        for (e = start + 1; e < end; e++) acc = ${P}_add(acc, ${P}_mul(${P}_weight[e], prev[${P}_source[e]]));
        acc = ${P}_add(acc, ${P}_bias[n]);
      }`
}
      s = ${P}_sigmas[l][acc];
${p.overflow === 'error' ? `      if (${P}_overflowed || s < 0) return 1 + n;\n` : ''}      next[i] = s;
    }
    { int32_t *t = prev; prev = next; next = t; }
  }
  (void)e;
  for (j = 0; j < ${U}_OUTPUTS; j++) y[j] = prev[j];
  return 0;
}
`;
}

/** The exact neuron with an int64_t accumulator (every sum fits 62 bits). */
function exactInt64(P: string, U: string, f: FloatNetwork['format'], p: FloatNetwork['policy']): string {
  const qmin = f.emin - f.manBits;
  return `
/* b + sum w*h exactly, at the unit 2^(${2 * qmin}), rounded once */
static int32_t ${P}_exact(int32_t bias, const int32_t *w, const int32_t *src, int n, const int32_t *h) {
${exactPrologue(P, U)}
  int64_t S = 0;
  if (${P}_cls[bias] == 0) S = (bias >= ${U}_SIGN ? -1 : 1) * ((int64_t)${P}_sig[bias] << (${P}_q[bias] - ${2 * qmin}));
  for (j = 0; j < n; j++) {
${exactTerm(P, U)}
    S += (neg ? -1 : 1) * (((int64_t)${P}_sig[a] * ${P}_sig[b]) << (${P}_q[a] + ${P}_q[b] - ${2 * qmin}));
  }
${exactSpecials(U)}
  if (S == 0) return negzero${p.rounding === 'floor' ? ' || 1' : ''} ? ${U}_SIGN : 0;
  return S < 0 ? ${P}_round_int(1, (uint64_t)(-S), ${2 * qmin}) : ${P}_round_int(0, (uint64_t)S, ${2 * qmin});
}
`;
}

/**
 * The exact neuron with a multi-word accumulator: `limbs` limbs of 32 bits (least significant first) in
 * int64_t with deferred carries, at the unit 2^(2·qmin); normalized once, rounded from its top 62 bits
 * and a sticky bit (see the file comment).
 */
function exactLimbs(
  P: string,
  U: string,
  f: FloatNetwork['format'],
  p: FloatNetwork['policy'],
  limbs: number,
): string {
  const qmin = f.emin - f.manBits;
  return `
#define ${U}_LIMBS ${limbs}

/* adds (-1)^neg * v * 2^s (v < 2^30) to the limbs, carries deferred */
static void ${P}_acc(int64_t *L, int neg, uint64_t v, int s) {
  uint64_t x = v << (s & 31);
  int64_t lo = (int64_t)(x & 0xffffffffu), hi = (int64_t)(x >> 32);
  if (neg) { L[s >> 5] -= lo; L[(s >> 5) + 1] -= hi; }
  else { L[s >> 5] += lo; L[(s >> 5) + 1] += hi; }
}

/* b + sum w*h exactly, at the unit 2^(${2 * qmin}) in ${limbs} limbs of 32 bits, rounded once */
static int32_t ${P}_exact(int32_t bias, const int32_t *w, const int32_t *src, int n, const int32_t *h) {
${exactPrologue(P, U)}
  int64_t L[${U}_LIMBS], carry = 0;
  uint32_t D[${U}_LIMBS];
  int top, sgn, t, bl, i;
  uint64_t Pv, sticky;
  for (i = 0; i < ${U}_LIMBS; i++) L[i] = 0;
  if (${P}_cls[bias] == 0) ${P}_acc(L, bias >= ${U}_SIGN, (uint64_t)${P}_sig[bias], ${P}_q[bias] - ${2 * qmin});
  for (j = 0; j < n; j++) {
${exactTerm(P, U)}
    ${P}_acc(L, neg, (uint64_t)${P}_sig[a] * (uint64_t)${P}_sig[b], ${P}_q[a] + ${P}_q[b] - ${2 * qmin});
  }
${exactSpecials(U)}
  /* normalize: digits modulo 2^32, the final carry is 0 or -1 (the sign) */
  for (i = 0; i < ${U}_LIMBS; i++) {
    int64_t v = L[i] + carry, d = (int64_t)(uint32_t)v;
    carry = (v - d) / 4294967296LL;
    D[i] = (uint32_t)d;
  }
  sgn = carry < 0;
  if (sgn) {
    uint64_t c = 1;
    for (i = 0; i < ${U}_LIMBS; i++) { uint64_t v = (uint64_t)(uint32_t)~D[i] + c; D[i] = (uint32_t)v; c = v >> 32; }
  }
  top = ${U}_LIMBS - 1;
  while (top >= 0 && D[top] == 0) top--;
  if (top < 0) return negzero${p.rounding === 'floor' ? ' || 1' : ''} ? ${U}_SIGN : 0;
  bl = 32 * top + ${P}_bitlen(D[top]);
  if (bl <= 62) {
    Pv = top == 0 ? D[0] : ((uint64_t)D[1] << 32) | D[0];
    return ${P}_round_int(sgn, Pv, ${2 * qmin});
  }
  /* the top 62 bits: bits t … t + 61, and a sticky bit for anything below t */
  t = bl - 62;
  i = t >> 5;
  Pv = ((((uint64_t)D[i + 1]) << 32) | D[i]) >> (t & 31);
  if ((t & 31) != 0 && i + 2 < ${U}_LIMBS) Pv |= ((uint64_t)D[i + 2]) << (64 - (t & 31));
  Pv &= (((uint64_t)1) << 62) - 1;
  sticky = (D[i] & ((((uint64_t)1) << (t & 31)) - 1)) != 0;
  while (!sticky && i > 0) sticky = D[--i] != 0;
  return ${P}_round_int(sgn, Pv | sticky, ${2 * qmin} + t);
}
`;
}

function exactPrologue(P: string, U: string): string {
  return `  int nan = ${P}_cls[bias] == 2, pinf = ${P}_cls[bias] == 1 && bias < ${U}_SIGN, ninf = ${P}_cls[bias] == 1 && bias >= ${U}_SIGN;
  int negzero = ${P}_cls[bias] == 0 && ${P}_sig[bias] == 0 && bias >= ${U}_SIGN, j;`;
}

function exactTerm(P: string, U: string): string {
  return `    int32_t a = w[j], b = h[src[j]];
    int neg = (a >= ${U}_SIGN) != (b >= ${U}_SIGN);
    int za = ${P}_cls[a] == 0 && ${P}_sig[a] == 0, zb = ${P}_cls[b] == 0 && ${P}_sig[b] == 0;
    if (${P}_cls[a] == 2 || ${P}_cls[b] == 2) { nan = 1; continue; }
    if (${P}_cls[a] == 1 || ${P}_cls[b] == 1) { if (za || zb) nan = 1; else if (neg) ninf = 1; else pinf = 1; continue; }
    if (!(za || zb) || !neg) negzero = 0;`;
}

function exactSpecials(U: string): string {
  return `  if (nan || (pinf && ninf)) return ${U}_NAN;
  if (pinf || ninf) return (ninf ? ${U}_SIGN : 0) + ${U}_INF;`;
}
