import { describe, expect, it } from 'vitest';
import { unlimitedBudget } from '../src/engine/budget.js';
import { verifyCertificate } from '../src/engine/certificate.js';
import { chainGadget, type Gadget, parallel, stack } from '../src/engine/gadget.js';
import { activationShape } from '../src/engine/wide/activation-shape.js';
import { decideWide } from '../src/engine/wide/decide-wide.js';
import { materializeWideCertificate } from '../src/engine/wide/materialize-wide.js';
import { verifyWideCertificate, type WideCertificate } from '../src/engine/wide/wide-certificate.js';
import {
  findWideIdleCertificate,
  findWideModularIdleCertificate,
} from '../src/engine/wide/wide-idle-certificate.js';
import { modularDelta } from '../src/engine/wide/wide-idle-emitters.js';
import { wideSetting } from '../src/engine/wide/wide-setting.js';
import { wideSigma } from '../src/engine/wide/wide-sigma.js';
import { validTopSigma } from '../src/engine/wide/wide-wrapped-sigma.js';
import { type Configuration, makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { toNetwork } from '../src/expressivity/construct.js';
import { decide } from '../src/expressivity/verdict.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';
import { randomTable } from '../src/prng.js';

// Lemma IF (docs/theory.md §9.5, idle families): family certificates with idle levels (ι, a) and emitters
// proved for every y (runs, a constant prefix, cancelling pairs), for σ_F without a zero above 16 bits.
// Here the same search runs on 5-bit twins, where every certificate it finds is written out and checked
// independently: run emitters by the exhaustive `verifyCertificate` of §8.3 (every gadget on every input),
// prefix and paired emitters by compiling N_f for random tables and running it on every input with the
// BigInt reference evaluator; and the tabulated engine is never `not-universal` there.

const sigmaOf = (c: Configuration) => {
  const r = wideSigma(wideSetting(c), activationShape(c.activation)!);
  if (typeof r === 'string') throw new Error(r);
  return r;
};

/** N_f (d = 1) from the written-out detectors and the certificate's prefix or paired emitters. */
function compileIdle(
  c: Configuration,
  cert: WideCertificate,
  f: ArrayLike<number>,
  betaShift = 0,
): ReturnType<typeof toNetwork> {
  const s = settingOf(c);
  const em = cert.idle!;
  const m = materializeWideCertificate(s, cert, wideSetting(c));
  const P = chainGadget(cert.delay.map(([w, b]) => [Number(w), Number(b)] as [number, number]));
  let g: Gadget | null = null;
  const weights: number[] = [];
  if (em.kind === 'prefix' && em.prefix) {
    const K = chainGadget(em.prefix.chain.map(([w, b]) => [Number(w), Number(b)] as [number, number]));
    let ks = K;
    for (let j = 1; j < Number(em.prefix.m); j++) ks = parallel(ks, K);
    g = stack(m.detectors[0], ks);
    for (let j = 0; j < Number(em.prefix.m); j++) weights.push(Number(em.prefix.w));
  }
  const d = Number(cert.e - em.iota);
  // modular emitters: k_y ≡ y·δ⁻¹ (mod N) copies read with u, β_f ≡ −Σ_z k_{f(z)}·T(u, ι) (mod N)
  const N = BigInt(s.size);
  const ws = wideSetting(c);
  const delta = em.kind === 'modular' ? (modularDelta(ws, cert.e, em.iota, em.up) as bigint) : 1n;
  const inv = (() => {
    let x = 1n;
    for (let k = 1n; k < N; k++) if ((((delta * k) % N) + N) % N === 1n) x = k;
    return x;
  })();
  const T = (v: bigint) =>
    ws.exact ? ((em.up as bigint) * v) / ws.one : (ws.pre([em.up as bigint], [v], 0n) as bigint);
  const kOf = (y: number) => Number((((BigInt(y) * inv) % N) + N) % N);
  let betaF = 0n;
  for (let z = s.min; z <= s.max; z++) {
    const y = f[z - s.min];
    if (em.kind === 'modular') {
      const k = kOf(y);
      betaF -= BigInt(k) * T(em.iota);
      if (k === 0) continue;
      let e = P;
      for (let j = 1; j < k; j++) e = parallel(e, P);
      const tree = stack(m.detectors[z - s.min], e);
      g = g ? parallel(g, tree) : tree;
      for (let j = 0; j < k; j++) weights.push(Number(em.up));
      continue;
    }
    let unit: Gadget;
    let ws: number[];
    if (em.kind === 'paired') {
      if (y === 0) continue;
      unit = parallel(
        P,
        chainGadget(em.constant!.map(([w, b]) => [Number(w), Number(b)] as [number, number])),
      );
      const w = Math.sign(y) * Math.sign(d) * s.one;
      ws = [];
      for (let j = 0; j < Math.abs(y); j++) ws.push(w, -w);
    } else {
      const k = y - (em.kind === 'prefix' ? (em.down !== null ? s.max : s.min) : Number(em.beta));
      if (k === 0) continue;
      unit = P;
      ws = new Array(Math.abs(k)).fill(Number(k > 0 ? em.up : em.down));
    }
    const copies = em.kind === 'paired' ? ws.length / 2 : ws.length;
    let e = unit;
    for (let j = 1; j < copies; j++) e = parallel(e, unit);
    const tree = stack(m.detectors[z - s.min], e);
    g = g ? parallel(g, tree) : tree;
    weights.push(...ws);
  }
  const beta0 =
    em.kind === 'modular' ? Number((((betaF - BigInt(s.min)) % N) + N) % N) + s.min : Number(em.beta);
  const beta = beta0 + betaShift > s.max ? s.min : beta0 + betaShift;
  const output = { bias: beta, edges: weights.map((w, j) => [j, w] as [number, number]) };
  return toNetwork(c, { inputs: 1, layers: [...(g?.layers ?? []), [output]] });
}

function wrongInputs(c: Configuration, net: ReturnType<typeof toNetwork>, f: ArrayLike<number>): number {
  const s = settingOf(c);
  let wrong = 0;
  for (let x = s.min; x <= s.max; x++) {
    let v: number;
    try {
      v = Number(evaluateReference(net, [BigInt(x)])[0]);
    } catch {
      v = Number.NaN;
    }
    if (v !== f[x - s.min]) wrong++;
  }
  return wrong;
}

// 5-bit formats in the suite (a one-off run with Q1.5 and Q2.4 as well: 180 applicable cells, 156 certificates,
// all of them right; see docs/theory.md §9.5, Lemma IF)
const FORMATS = (process.env.WIDE_IDLE_FORMATS ?? 'Q1.4,Q2.3,SQ2.3').split(',');
const CELLS: Array<[string, string, string, string, string, string, string]> = [];
for (const activation of ['sigmoid', 'softplus', 'hard-sigmoid'])
  for (const format of FORMATS)
    for (const [rounding, overflow] of [
      ['nearest-even', 'saturate'],
      ['ceil', 'saturate'],
      ['nearest-up', 'error'],
      ['floor', 'error'],
      ['nearest-even', 'error'],
    ])
      for (const [weights, accumulation] of [
        ['all', 'sequential'],
        ['binary', 'exact'],
        ['all', 'exact'],
      ])
        for (const bias of ['first', 'last'])
          CELLS.push([activation, format, rounding, overflow, weights, accumulation, bias]);

describe('idle families (Lemma IF) on 5-bit twins', () => {
  it('every certificate found is right on every input, and the tabulated engine never says not-universal', {
    timeout: 240_000,
  }, () => {
    const kinds = new Map<string, number>();
    let applicable = 0;
    for (const [activation, format, rounding, overflow, weights, accumulation, bias] of CELLS) {
      const c = makeConfiguration({ activation, format, rounding, overflow, weights, accumulation, bias });
      const s = settingOf(c);
      const r = wideSigma(wideSetting(c), activationShape(c.activation)!);
      if (typeof r === 'string' || r.preimageSpans(0n).length > 0) continue;
      applicable++;
      const cert = findWideIdleCertificate(r, unlimitedBudget()).certificate;
      if (!cert?.idle) continue;
      const key = `${cert.mode}/${cert.idle.kind}`;
      kinds.set(key, (kinds.get(key) ?? 0) + 1);
      const label = `${activation} ${format} ${rounding} ${overflow} ${weights} ${accumulation} ${bias}`;
      expect(verifyWideCertificate(r, cert), label).toBeNull();
      expect(decide(c).verdict, label).not.toBe('not-universal');
      if (cert.idle.kind === 'runs') {
        // §8.3's exhaustive check: every detector, the AND, the delay and every emitter on every input
        expect(verifyCertificate(s, materializeWideCertificate(s, cert, wideSetting(c))), label).toBeNull();
      } else {
        const f = randomTable(s.size, s.min, s.size, applicable);
        expect(wrongInputs(c, compileIdle(c, cert, f), f), label).toBe(0);
      }
    }
    // the search finds all three emitter kinds in both modes on these twins
    expect(applicable).toBeGreaterThan(FORMATS.length * 20);
    for (const k of ['threshold/runs', 'gain/runs', 'threshold/prefix', 'threshold/paired'])
      expect(kinds.get(k) ?? 0, `${k} in ${[...kinds]}`).toBeGreaterThan(0);
  });

  it('mutated certificates are refused, and where a mutant would be wrong its network is wrong', () => {
    const cases = [
      ['sigmoid', 'Q1.4', 'nearest-even', 'saturate', 'all', 'sequential', 'last'],
      ['softplus', 'Q1.4', 'ceil', 'saturate', 'all', 'sequential', 'last'],
      ['sigmoid', 'Q1.4', 'nearest-even', 'saturate', 'binary', 'exact', 'first'],
    ] as const;
    for (const [activation, format, rounding, overflow, weights, accumulation, bias] of cases) {
      const c = makeConfiguration({ activation, format, rounding, overflow, weights, accumulation, bias });
      const r = sigmaOf(c);
      const cert = findWideIdleCertificate(r, unlimitedBudget()).certificate;
      expect(cert?.idle, `${activation} ${format}`).toBeTruthy();
      if (!cert?.idle) continue;
      const em = cert.idle;
      const mutants: WideCertificate[] = [
        { ...cert, idle: { ...em, iota: em.iota + 1n } },
        { ...cert, idle: { ...em, beta: em.beta + 1n } },
        { ...cert, e: em.iota },
      ];
      if (em.up !== null) mutants.push({ ...cert, idle: { ...em, up: em.up + 1n } });
      if (em.down !== null) mutants.push({ ...cert, idle: { ...em, down: em.down - 1n } });
      if (em.prefix) mutants.push({ ...cert, idle: { ...em, prefix: { ...em.prefix, w: 1n } } });
      if (em.constant)
        mutants.push({
          ...cert,
          idle: { ...em, constant: em.constant.map(([w, b]) => [w, b + 1n] as const) },
        });
      for (const m of mutants) {
        if (verifyWideCertificate(r, m) === null) {
          // accepted only if it is still right
          const s = settingOf(c);
          const f = randomTable(s.size, s.min, s.size, 9);
          expect(wrongInputs(c, compileIdle(c, m, f), f)).toBe(0);
        }
      }
      // the prefix with too few copies (m − 1 = 0) is refused, and its network is wrong
      if (em.prefix && em.prefix.m === 1n) {
        const m = { ...cert, idle: { ...em, prefix: { ...em.prefix, m: 0n } } };
        expect(verifyWideCertificate(r, m)).not.toBeNull();
        const s = settingOf(c);
        const f = randomTable(s.size, s.min, s.size, 4);
        expect(wrongInputs(c, compileIdle(c, m, f), f)).toBeGreaterThan(0);
      }
    }
  });
});

describe('idle families above 16 bits (the wide sweep’s cells where σ_F never takes 0)', () => {
  it.each([
    ['sigmoid', 'Q3.20', 'nearest-up', 'error', 'all', 'sequential', 'first'],
    ['sigmoid', 'Q3.20', 'nearest-zero', 'saturate', 'all', 'sequential', 'last'],
    ['sigmoid', 'Q3.20', 'ceil', 'saturate', 'all', 'sequential', 'first'],
    ['softplus', 'Q3.20', 'nearest-away', 'saturate', 'binary', 'exact', 'first'],
    ['softplus', 'Q3.20', 'toward-zero', 'saturate', 'binary', 'exact', 'last'],
    ['softplus', 'SQ15.16', 'ceil', 'saturate', 'all', 'sequential', 'last'],
    ['softplus', 'ap_fixed<24,8>', 'ceil', 'error', 'all', 'sequential', 'last'],
    ['softplus', 'ap_fixed<24,8>', 'ceil', 'wrap', 'binary', 'sequential', 'first'],
  ])(
    '%s %s %s %s %s %s %s: universal by Lemma IF',
    (activation, format, rounding, overflow, weights, accumulation, bias) => {
      const c = makeConfiguration({ activation, format, rounding, overflow, weights, accumulation, bias });
      const v = decideWide(c, unlimitedBudget());
      expect(v.verdict).toBe('universal');
      expect(v.reason).toContain('Lemma IF');
    },
  );
});

describe('modular idle families (Lemma IF) on softplus twins whose σ wraps at the top', () => {
  it('every certificate found computes random tables on every input (BigInt reference evaluator)', {
    timeout: 120_000,
  }, () => {
    let found = 0;
    let applicable = 0;
    for (const format of ['Q1.4', 'Q2.3'])
      for (const rounding of ['ceil', 'nearest-even', 'floor'])
        for (const [weights, accumulation] of [
          ['binary', 'sequential'],
          ['binary', 'exact'],
          ['all', 'sequential'],
        ])
          for (const bias of ['first', 'last']) {
            const c = makeConfiguration({
              activation: 'softplus',
              format,
              rounding,
              overflow: 'wrap',
              weights,
              accumulation,
              bias,
            });
            const got = findWideModularIdleCertificate(
              wideSetting(c),
              activationShape(c.activation)!,
              unlimitedBudget(),
            );
            if (!got.sigma) continue;
            applicable++;
            const cert = got.certificate;
            if (!cert) continue;
            found++;
            const label = `softplus ${format} ${rounding} ${weights} ${accumulation} ${bias}`;
            expect(verifyWideCertificate(got.sigma, cert), label).toBeNull();
            expect(decide(c).verdict, label).not.toBe('not-universal');
            const s = settingOf(c);
            const f = randomTable(s.size, s.min, s.size, found);
            expect(wrongInputs(c, compileIdle(c, cert, f), f), label).toBe(0);
            // the output bias moved by one code: wrong on every input
            if (found <= 3) {
              expect(wrongInputs(c, compileIdle(c, cert, f, 1), f), label).toBe(s.size);
              // and an even δ is refused
              const even = { ...cert, idle: { ...cert.idle!, up: 2n * (cert.idle!.up as bigint) } };
              expect(verifyWideCertificate(got.sigma, even), label).not.toBeNull();
            }
          }
    expect(applicable).toBeGreaterThan(15);
    expect(found).toBeGreaterThan(5);
  });
});

describe('reach-limited idle families (Lemma IF, σ_F invalid at the top under error) on 5-bit twins', () => {
  it('softplus under ceil: every certificate found is right on every input; caps and windows are checked', {
    timeout: 120_000,
  }, () => {
    let found = 0;
    let refused = 0;
    for (const format of ['Q1.4', 'Q2.3', 'SQ2.3', 'Q1.5'])
      for (const accumulation of ['sequential', 'exact'])
        for (const bias of ['first', 'last']) {
          const c = makeConfiguration({
            activation: 'softplus',
            format,
            rounding: 'ceil',
            overflow: 'error',
            accumulation,
            bias,
          });
          const r = validTopSigma(wideSetting(c), activationShape(c.activation)!);
          if (typeof r === 'string') continue;
          const cert = findWideIdleCertificate(r, unlimitedBudget(), { cap: r.top }).certificate;
          if (!cert?.idle) continue;
          found++;
          const label = `softplus ${format} ceil error ${accumulation} ${bias}`;
          expect(
            cert.families.every((f) => f.cap === r.top),
            label,
          ).toBe(true);
          expect(verifyWideCertificate(r, cert), label).toBeNull();
          expect(decide(c).verdict, label).not.toBe('not-universal');
          const s = settingOf(c);
          if (cert.idle.kind === 'runs')
            expect(
              verifyCertificate(s, materializeWideCertificate(s, cert, wideSetting(c))),
              label,
            ).toBeNull();
          else {
            const f = randomTable(s.size, s.min, s.size, found);
            expect(wrongInputs(c, compileIdle(c, cert, f), f), label).toBe(0);
          }
          // the sides up to max (σ_F invalid there) and windows not cut by the cap are refused
          const noCap = { ...cert, families: cert.families.map(({ cap: _, ...f }) => f) };
          expect(verifyWideCertificate(r, noCap), label).not.toBeNull();
          const wide = {
            ...cert,
            families: cert.families.map((f) => ({
              ...f,
              window: [s.min + 1, s.max].map(BigInt) as [bigint, bigint],
            })),
          };
          if (verifyWideCertificate(r, wide) !== null) refused++;
        }
    expect(found).toBeGreaterThan(3);
    expect(refused).toBe(found);
  });
});
