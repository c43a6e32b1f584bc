import { describe, expect, it } from 'vitest';
import { verifyCertificate } from '../src/engine/certificate.js';
import {
  type ChainCertificate,
  materializeChainCertificate,
  verifyChainCertificate,
} from '../src/engine/chain-certificate.js';
import type { Step } from '../src/engine/chain-solver.js';
import { closureChainApplies, findClosureChainCertificate } from '../src/engine/closure-chain-certificate.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { decide } from '../src/expressivity/verdict.js';
import { gadgetNet, ref } from './reference-gadget.js';

// docs/theory.md §10.9, closure thresholds: chain certificates whose threshold chains come from the
// breadth-first closure of unary chains (formats of at most 32 values).

const options = (
  format: string,
  activation: string,
  rounding: string,
  accumulation: string,
  bias: string,
) => ({
  format,
  activation,
  rounding,
  overflow: 'error',
  weights: 'all',
  accumulation,
  bias,
});

// the 4- and 5-bit cells of the scan this search settles (docs/theory.md §10.6)
const cells: Array<[string, string, string, string, string]> = [
  ['SQ3.0', 'softplus', 'nearest-even', 'sequential', 'first'],
  ['SQ3.0', 'softplus', 'nearest-zero', 'sequential', 'last'],
  ['SQ2.1', 'softplus', 'toward-zero', 'sequential', 'last'],
  ['SQ4.0', 'softplus', 'nearest-zero', 'exact', 'first'],
  // the second pass (integer weights ±1, ±2 only) on a format with a fraction bit
  ['SQ3.1', 'softplus', 'nearest-even', 'sequential', 'first'],
];

describe('closure-threshold chain certificates (docs/theory.md §10.9)', () => {
  it('found, verified, exhaustively checked; every chain run by the reference evaluator on every input', () => {
    for (const [format, activation, rounding, accumulation, bias] of cells) {
      const c = makeConfiguration(options(format, activation, rounding, accumulation, bias));
      const s = settingOf(c);
      const { certificate, tried } = findClosureChainCertificate(s);
      expect(certificate, `${format} ${activation} ${rounding}: ${tried.join('; ')}`).not.toBeNull();
      const cert = certificate as ChainCertificate;
      expect(verifyChainCertificate(s, cert)).toBeNull();
      expect(verifyCertificate(s, materializeChainCertificate(s, cert))).toBeNull();
      const net = (steps: readonly Step[]) =>
        gadgetNet(c, { inputs: 1, layers: steps.map(([w, b]) => [{ bias: b, edges: [[0, w] as const] }]) });
      for (let t = s.min; t <= s.max; t++) {
        const ge = t > s.min ? net(cert.ge[t - s.min] as Step[]) : null;
        const le = t < s.max ? net(cert.le[t - s.min] as Step[]) : null;
        for (let x = s.min; x <= s.max; x++) {
          if (ge) expect(ref(ge, [x])[0], `${format} x ≥ ${t} at ${x}`).toBe(x >= t ? cert.e : 0);
          if (le) expect(ref(le, [x])[0], `${format} x ≤ ${t} at ${x}`).toBe(x <= t ? cert.e : 0);
        }
      }
    }
  });

  it('a chain moved by one code in its last bias is refused by the verifier or still correct everywhere', () => {
    const s = settingOf(
      makeConfiguration(options('SQ3.0', 'softplus', 'nearest-even', 'sequential', 'first')),
    );
    const cert = findClosureChainCertificate(s).certificate as ChainCertificate;
    let rejected = 0;
    for (let t = s.min + 1; t <= s.max; t++) {
      const ch = cert.ge[t - s.min] as Step[];
      const table = [...cert.ge];
      table[t - s.min] = ch.map((st, k) => (k === ch.length - 1 ? [st[0], st[1] + 1] : st) as Step);
      const m: ChainCertificate = { ...cert, ge: table };
      if (verifyChainCertificate(s, m) !== null) rejected++;
      else expect(verifyCertificate(s, materializeChainCertificate(s, m))).toBeNull();
    }
    expect(rejected).toBeGreaterThan(5);
  });

  it('applies to at most 32 values with a zero of σ_F; decide names it on the scan cell', () => {
    expect(
      closureChainApplies(settingOf(makeConfiguration(options('SQ5.0', 'relu', 'floor', 'exact', 'last')))),
    ).toMatch(/32/);
    expect(
      closureChainApplies(settingOf(makeConfiguration(options('SQ2.0', 'sigmoid', 'ceil', 'exact', 'last')))),
    ).toMatch(/never 0/);
    const v = decide(makeConfiguration(options('SQ3.0', 'softplus', 'nearest-even', 'sequential', 'first')));
    expect(v.verdict).toBe('universal');
    expect(v.reason).toMatch(/closure/);
  });
});
