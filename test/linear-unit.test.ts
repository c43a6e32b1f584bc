import { describe, expect, it } from 'vitest';
import { BUILTIN_ACTIVATIONS } from '../src/activations/activation.js';
import { type Certificate, findCertificate, verifyCertificate } from '../src/engine/certificate.js';
import type { Gadget } from '../src/engine/gadget.js';
import { linearUnitCondition, verifiedLinearUnitCertificate } from '../src/engine/linear-unit-condition.js';
import { certificateFor } from '../src/expressivity/certificates.js';
import { type Configuration, makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { expressivityMap, mapFormats } from '../src/expressivity/map.js';
import { decide } from '../src/expressivity/verdict.js';
import { makeNetwork } from '../src/network/network.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';

/** A gadget as a network of src/network (every layer σ), evaluated by the BigInt reference evaluator. */
function referenceRun(c: Configuration, g: Gadget, input: readonly number[]): number[] {
  if (g.layers.length === 0) return [...input];
  const net = makeNetwork({
    format: c.format,
    policy: c.policy,
    accumulation: c.accumulation,
    bias: c.bias,
    inputs: g.inputs,
    layers: g.layers.map((layer) => ({
      activation: c.activation,
      neurons: layer.map((n) => ({
        bias: BigInt(n.bias),
        edges: n.edges.map(([src, w]) => [src, BigInt(w)] as const),
      })),
    })),
  });
  return evaluateReference(
    net,
    input.map((v) => BigInt(v)),
  ).map(Number);
}

/**
 * Re-checks detectors, AND and delay of a certificate with the reference evaluator (not runGadget): the
 * active value a where required, a value of the idle set I elsewhere (I = {0}: exactly 0), on I ∪ {a}.
 */
function recheck(c: Configuration, cert: Certificate): void {
  const s = settingOf(c);
  const a = cert.e;
  const idle = (v: number) => cert.idle.includes(v);
  for (let z = s.min; z <= s.max; z++) {
    for (let x = s.min; x <= s.max; x++) {
      const got = referenceRun(c, cert.detectors[z - s.min], [x])[0];
      if (x === z) expect(got).toBe(a);
      else expect(idle(got), `D_${z}(${x}) = ${got}`).toBe(true);
    }
  }
  for (const u of [...cert.idle, a]) {
    for (const v of [...cert.idle, a]) {
      const got = referenceRun(c, cert.and, [u, v])[0];
      if (u === a && v === a) expect(got).toBe(a);
      else expect(idle(got), `AND(${u}, ${v}) = ${got}`).toBe(true);
    }
    const p = referenceRun(c, cert.delay, [u])[0];
    if (u === a) expect(p).toBe(a);
    else expect(idle(p), `P(${u}) = ${p}`).toBe(true);
  }
}

describe('the linear-unit condition (docs/theory.md §5)', () => {
  it.each([
    ['relu', 'Q2.3', {}],
    ['identity', 'Q3.2', {}],
    ['elu', 'Q2.4', { accumulation: 'exact' }],
    ['leaky-relu', 'Q3.3', { bias: 'first' }],
    ['identity', 'Q2.2', { rounding: 'floor' }],
  ] as const)(
    '%s on %s %j: holds, and its certificate passes the verifier and the reference evaluator',
    (activation, format, extra) => {
      const c = makeConfiguration({ format, activation, ...extra });
      const s = settingOf(c);
      const r = linearUnitCondition(s);
      expect(r.failure).toBeNull();
      expect(r.holds).toBe(true);
      const cert = verifiedLinearUnitCertificate(s, r)!;
      expect(cert.e).toBe(1);
      expect(verifyCertificate(s, cert)).toBeNull();
      recheck(c, cert);
    },
  );

  it('names the first hypothesis that fails', () => {
    const why = (activation: string, format: string, extra = {}) =>
      linearUnitCondition(settingOf(makeConfiguration({ format, activation, ...extra }))).failure;
    expect(why('sigmoid', 'Q3.4')).toMatch(/^\(L1\) fails: σ_F\(code 0\) = code 8$/);
    expect(why('relu', 'Q1.4')).toBe('needs at least 2 integer bits (Q1.4 has 1)');
    expect(why('relu', 'Q3.4', { overflow: 'wrap' })).toBe('needs overflow saturate, not wrap');
    expect(why('relu', 'Q3.4', { weights: 'binary' })).toBe('needs all weights');
    expect(why('relu', 'SQ3.4')).toMatch(/^not a two's-complement format/);
    // relu on Q2.1: the weights 0.5 and 1.5 merge min and min + ε by rounding, and w = 1 puts them below 0
    expect(why('relu', 'Q2.1')).toMatch(/^\(L3\) fails/);
  });

  it('(L2): σ_F(−ε) > 0 fails even when σ_F is the identity on the non-negative values', () => {
    const base = settingOf(makeConfiguration({ format: 'Q2.2', activation: 'identity' }));
    const sigma = Float64Array.from(base.sigma);
    sigma[-1 - base.min] = 1;
    expect(linearUnitCondition({ ...base, sigma }).failure).toBe('(L2) fails: σ_F(−ε) = code 1 > 0');
  });

  it('agrees with the certificate search on every built-in × Qm.n with 3 to 7 bits: never sufficient where the search finds nothing', () => {
    let holds = 0;
    for (const activation of BUILTIN_ACTIVATIONS) {
      for (const format of mapFormats(7)) {
        const s = settingOf(makeConfiguration({ format, activation }));
        const r = linearUnitCondition(s);
        if (!r.holds) continue;
        holds++;
        // the proof's own certificate passes the exhaustive verifier (it throws otherwise)
        expect(verifiedLinearUnitCertificate(s, r)).not.toBeNull();
        expect(findCertificate(s).certificate, `${activation} ${format}`).not.toBeNull();
      }
    }
    expect(holds).toBeGreaterThan(40);
  }, 120_000);
});

describe('the map on 3–4 bits', () => {
  const cells = expressivityMap(4, 'all');
  it('no undetermined cell for an activation with a fixed-point zero', () => {
    const zero = [
      'relu',
      'leaky-relu',
      'elu',
      'silu',
      'mish',
      'gelu',
      'gelu-tanh',
      'tanh',
      'hard-swish',
      'step',
      'identity',
    ];
    const open = cells.filter((c) => zero.includes(c.activation) && c.verdict === 'undetermined');
    expect(open.map((c) => `${c.activation} ${c.format}`)).toEqual([]);
  });

  it('no ? cell: where σ_F has no zero an idle-set certificate settles it (docs/theory.md §8)', () => {
    expect(
      cells.filter((c) => c.verdict === 'undetermined').map((c) => `${c.activation} ${c.format}`),
    ).toEqual([]);
    const idleSet = cells.filter((c) => {
      if (c.verdict !== 'universal') return false;
      const s = settingOf(makeConfiguration({ format: c.format, activation: c.activation }));
      return !s.sigma.includes(0);
    });
    // sigmoid on Q0.2, Q0.3; softplus and hard-sigmoid on Q0.2, Q0.3, Q1.2 (docs/construction.md)
    expect(idleSet.map((c) => `${c.activation} ${c.format}`).sort()).toEqual([
      'hard-sigmoid Q0.2',
      'hard-sigmoid Q0.3',
      'hard-sigmoid Q1.2',
      'sigmoid Q0.2',
      'sigmoid Q0.3',
      'softplus Q0.2',
      'softplus Q0.3',
      'softplus Q1.2',
    ]);
    for (const cell of idleSet) expect(cell.reason).toMatch(/idle-set certificate/);
  });

  it('every ✓ cell re-verified: its certificate passes verifyCertificate and the BigInt reference evaluator', () => {
    const universal = cells.filter((c) => c.verdict === 'universal');
    expect(universal.length).toBeGreaterThan(60);
    for (const cell of universal) {
      const c = makeConfiguration({ format: cell.format, activation: cell.activation });
      const { setting, report } = certificateFor(c);
      expect(verifyCertificate(setting, report.certificate!)).toBeNull();
      recheck(c, report.certificate!);
    }
  }, 120_000);

  it('decide() reports the analytic condition beside the search certificate', () => {
    const v = decide(makeConfiguration({ format: 'Q3.4', activation: 'relu' }));
    expect(v.analytic).toEqual({ holds: true, failure: null });
    expect(v.reason).toMatch(/linear-unit condition holds too/);
  });
});
