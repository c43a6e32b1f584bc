import { describe, expect, it } from 'vitest';
import type { Step } from '../src/engine/chain-solver.js';
import { chainGadget, runGadget } from '../src/engine/gadget.js';
import {
  findIdleChainCertificate,
  finishingStep,
  idleChainDetector,
  idleThresholdProved,
  verifyIdleChainCertificate,
} from '../src/engine/idle-chain-certificate.js';
import { sigmaRanges } from '../src/engine/interval-chain.js';
import { collapseChain, endPlateaus } from '../src/engine/plateau-collapse.js';
import type { Setting } from '../src/engine/setting.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { makeNetwork } from '../src/network/network.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';

// Threshold families split at the edges of σ_F's end plateaus, with a collapse rest chain
// (docs/theory.md §9.7, "Splits at the end plateaus"). Every chain the interval images prove is run on
// every input; a mutated chain is never proved wrongly.

/** The chain on every input, against a·[x ≥ t] + ι·[x < t] (ge) or a·[x ≤ t] + ι·[x > t] (le). */
function exhaustivelyCorrect(
  s: Setting,
  steps: readonly Step[],
  dir: 'ge' | 'le',
  t: number,
  a: number,
  idle: number,
) {
  const g = chainGadget(steps);
  for (let x = s.min; x <= s.max; x++) {
    const want = (dir === 'ge' ? x >= t : x <= t) ? a : idle;
    if (runGadget(s, g, [x])[0] !== want) return false;
  }
  return true;
}

/** The family at the bottom plateau's edge: head x ↦ σ_F(±x ⊕ b_t) moving t there, then the rest chain. */
function family(s: Setting, a: number, idle: number) {
  const { bottom } = endPlateaus(s);
  const r = sigmaRanges(s);
  const finish = (x: number, y: number) => finishingStep(s, [x, x], [y, y], idle, a);
  // upper (x ≥ t, head weight +1): sides σ_F([min, bottom]) = one value and σ_F([bottom + 1, max])
  const split = bottom + 1;
  const lo = r.range(s.min, split - 1) as [number, number];
  const hi = r.range(split, s.max) as [number, number];
  expect(lo[0]).toBe(lo[1]);
  const rest = collapseChain(s, lo, hi, idle, a, finish);
  return { split, rest, r };
}

describe('collapse rest chains on small analogues (every threshold run on every input)', () => {
  it.each([
    ['softplus', 'Q0.6'],
    ['softplus', 'Q1.6'],
    ['softplus', 'Q2.6'],
    ['sigmoid', 'Q1.6'],
  ] as const)('%s on %s: x ≥ t for every t the head serves', (activation, format) => {
    const s = settingOf(makeConfiguration({ format, activation }));
    const a = s.one / 2 + 1;
    const idle = s.one / 2;
    const { split, rest, r } = family(s, a, idle);
    expect(rest).not.toBeNull();
    const tail = rest as Step[];
    let proved = 0;
    for (let t = s.min + 1; t <= s.max; t++) {
      const b = split - t; // head x ⊕ b_t puts t at the split
      if (b < s.min || b > s.max) continue;
      const steps: Step[] = [[s.one, b], ...tail];
      if (!idleThresholdProved(r, a, idle, 'ge', t, null, steps)) continue;
      proved++;
      // what the interval images prove holds on every input
      expect(exhaustivelyCorrect(s, steps, 'ge', t, a, idle)).toBe(true);
    }
    // the family serves the thresholds whose head bias is a value: from min + 1 up to about split − min
    expect(proved).toBeGreaterThan(s.size / 4);
    // adversarial: the collapse bias moved by ±1, ±2 is proved only where it is still correct, and some
    // move breaks the chain (it is not proved)
    let rejected = 0;
    for (const d of [-2, -1, 1, 2]) {
      const bad: Step[] = [[tail[0][0], tail[0][1] + d], ...tail.slice(1)];
      for (const t of [s.min + 1, s.min + 2, -1, 0, 1]) {
        const steps: Step[] = [[s.one, split - t], ...bad];
        if (split - t < s.min || split - t > s.max) continue;
        if (idleThresholdProved(r, a, idle, 'ge', t, null, steps))
          expect(exhaustivelyCorrect(s, steps, 'ge', t, a, idle)).toBe(true);
        else rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(0);
  });
});

describe('softplus on Q0.11 (4096 values): the smallest map cell that needed the plateau-edge family', () => {
  const c = makeConfiguration({ format: 'Q0.11', activation: 'softplus' });
  const s = settingOf(c);
  const cert = findIdleChainCertificate(s).certificate;

  it('a certificate is found and verified; x ≤ min goes through an end plateau', () => {
    expect(cert).not.toBeNull();
    if (!cert) return;
    expect(verifyIdleChainCertificate(s, cert)).toBeNull();
    expect([cert.a, cert.idle]).toEqual([s.one / 2 + 1, s.one / 2]);
    const lmin = cert.le[0] as Step[];
    expect(lmin.length).toBe(3);
    // after the collapse step every x ≠ min is on one end plateau of σ_F, and min is not
    const head = chainGadget(lmin.slice(0, 2));
    const ends = [s.sigma[0], s.sigma[s.size - 1]];
    const v = runGadget(s, head, [s.max])[0];
    expect(ends).toContain(v);
    for (let x = s.min + 1; x <= s.max; x++) expect(runGadget(s, head, [x])[0]).toBe(v);
    expect(runGadget(s, head, [s.min])[0]).not.toBe(v);
    expect(exhaustivelyCorrect(s, lmin, 'le', s.min, cert.a, cert.idle)).toBe(true);
  });

  it('detectors run on all 4096 inputs by the BigInt reference evaluator: a exactly at z', () => {
    if (!cert) throw new Error('no certificate');
    for (const z of [s.min, s.min + 1, s.min + 2, -1, 0, 1234, s.max - 1, s.max]) {
      const g = idleChainDetector(s, cert, z);
      const net = makeNetwork({
        format: c.format,
        policy: c.policy,
        accumulation: c.accumulation,
        bias: c.bias,
        inputs: 1,
        layers: g.layers.map((layer) => ({
          activation: c.activation,
          neurons: layer.map((n) => ({
            bias: BigInt(n.bias),
            edges: n.edges.map(([src, w]) => [src, BigInt(w)] as const),
          })),
        })),
      });
      for (let x = s.min; x <= s.max; x++) {
        const got = Number(evaluateReference(net, [BigInt(x)])[0]);
        expect(got).toBe(x === z ? cert.a : cert.idle);
      }
    }
  });

  it('a mutated certificate is rejected: the collapse bias of x ≤ min moved by one code', () => {
    if (!cert) throw new Error('no certificate');
    const lmin = cert.le[0] as Step[];
    for (const d of [-1, 1]) {
      const bad: Step[] = [lmin[0], [lmin[1][0], lmin[1][1] + d], lmin[2]];
      const le = [...cert.le];
      le[0] = bad;
      const failure = verifyIdleChainCertificate(s, { ...cert, le });
      // either the mutation breaks the function (rejected) or it still computes it on every input
      if (failure) expect(failure).toMatch(/x ≤ code -2048/);
      else expect(exhaustivelyCorrect(s, bad, 'le', s.min, cert.a, cert.idle)).toBe(true);
    }
    // the head bias moved by one code changes the function: x ≤ min becomes x ≤ min + ε or empty
    const moved: Step[] = [[lmin[0][0], lmin[0][1] - 1], lmin[1], lmin[2]];
    const le = [...cert.le];
    le[0] = moved;
    expect(exhaustivelyCorrect(s, moved, 'le', s.min, cert.a, cert.idle)).toBe(false);
    expect(verifyIdleChainCertificate(s, { ...cert, le })).toMatch(/x ≤ code -2048 is not proved/);
  });
});
