import { describe, expect, it } from 'vitest';
import type { BooleanGadgetCertificate } from '../src/engine/boolean-gadget-certificate.js';
import { unlimitedBudget } from '../src/engine/budget.js';
import {
  type DeepStartCertificate,
  findDeepStartCertificate,
  verifyDeepStartCertificate,
} from '../src/engine/deep-start-certificate.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { decide } from '../src/expressivity/verdict.js';
import type { Network } from '../src/network/network.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';
import { randomTable } from '../src/prng.js';
import { compileBoolean } from './boolean-gadget-network.js';

// Proposition DS (docs/theory.md §8.14): the gadgets of §8.11 (a delay of depth 2) with a constant prefix
// and terms of one sign. N_f is compiled (the network of Proposition BG's start variant, whose layout is
// DS's) and run on every input with the BigInt reference evaluator; mutations are rejected and their
// networks compute wrong functions.

type Cell = Record<string, string>;
const base = { activation: 'softplus', rounding: 'ceil', accumulation: 'sequential', bias: 'last' };
const cells: Cell[] = [
  { ...base, format: 'Q0.3', overflow: 'saturate' },
  { ...base, format: 'SQ0.3', overflow: 'error' },
];
const conf = (cell: Cell) => makeConfiguration(cell as never);

/** N_f of Proposition DS: BG's start layout (prefix on the first tree, k_y copies of P per point). */
const compile = (cell: Cell, cert: DeepStartCertificate, f: ArrayLike<number>, d: 1 | 2, beta?: number) =>
  compileBoolean(
    conf(cell),
    { ...cert, kind: 'start', constant: null } as BooleanGadgetCertificate,
    f,
    d,
    beta,
  );

/** The number of inputs of 𝕀^d where the network is wrong (a raise counts as wrong). */
function wrongInputs(net: Network, min: number, max: number, d: 1 | 2, f: ArrayLike<number>): number {
  let wrong = 0;
  let i = 0;
  for (let x1 = min; x1 <= max; x1++)
    for (let x2 = min; x2 <= (d === 1 ? min : max); x2++) {
      let out: bigint | null = null;
      try {
        out = evaluateReference(net, d === 1 ? [BigInt(x1)] : [BigInt(x1), BigInt(x2)])[0];
      } catch {
        out = null;
      }
      if (out !== BigInt(f[i++])) wrong++;
    }
  return wrong;
}

const found = new Map<Cell, DeepStartCertificate>();
function certOf(cell: Cell): DeepStartCertificate {
  let c = found.get(cell);
  if (!c) {
    const r = findDeepStartCertificate(settingOf(conf(cell)), unlimitedBudget());
    expect(r.certificate).not.toBeNull();
    c = r.certificate as DeepStartCertificate;
    found.set(cell, c);
  }
  return c;
}

describe('deep start certificates: N_f on every input (BigInt reference evaluator)', () => {
  it.each(cells)('softplus $format ceil $overflow sequential, bias last', (cell) => {
    const s = settingOf(conf(cell));
    const cert = certOf(cell);
    expect(verifyDeepStartCertificate(s, cert)).toBeNull();
    // the delay needs two layers (one layer reverses the order of ι < a), and the prefix is used
    expect(cert.delay.layers.length).toBe(2);
    expect(cert.prefix.count).toBeGreaterThan(0);
    for (const seed of [1, 2, 3]) {
      const f = randomTable(s.size, s.min, s.size, seed);
      expect(wrongInputs(compile(cell, cert, f, 1), s.min, s.max, 1, f)).toBe(0);
    }
    const f2 = randomTable(s.size ** 2, s.min, s.size, 4);
    expect(wrongInputs(compile(cell, cert, f2, 2), s.min, s.max, 2, f2)).toBe(0);
    // every constant (extreme counts k_y) and the identity
    for (let y = s.min; y <= s.max; y++) {
      const f = new Int32Array(s.size).fill(y);
      expect(wrongInputs(compile(cell, cert, f, 1), s.min, s.max, 1, f)).toBe(0);
    }
    const id = Int32Array.from({ length: s.size }, (_, i) => s.min + i);
    expect(wrongInputs(compile(cell, cert, id, 1), s.min, s.max, 1, id)).toBe(0);
  });
});

describe('mutations are rejected, and their networks are wrong', () => {
  const cell = cells[0];
  const s = settingOf(conf(cell));
  const id = Int32Array.from({ length: s.size }, (_, i) => s.min + i);

  it('one prefix copy fewer, no prefix, or β moved: rejected, and N_f is wrong', () => {
    const cert = certOf(cell);
    const fewer = { ...cert, prefix: { ...cert.prefix, count: cert.prefix.count - 1 } };
    expect(verifyDeepStartCertificate(s, fewer)).toMatch(/E_/);
    expect(wrongInputs(compile(cell, fewer, id, 1), s.min, s.max, 1, id)).toBeGreaterThan(0);
    const none = { ...cert, prefix: { ...cert.prefix, weight: 0 } };
    expect(verifyDeepStartCertificate(s, none)).toMatch(/E_/);
    expect(wrongInputs(compile(cell, none, id, 1), s.min, s.max, 1, id)).toBeGreaterThan(0);
    const moved = cert.beta === s.max ? cert.beta - 1 : cert.beta + 1;
    expect(wrongInputs(compile(cell, cert, id, 1, moved), s.min, s.max, 1, id)).toBeGreaterThan(0);
  });

  it('a readout that does not kill ι, a one-layer delay, a non-constant K and swapped detectors are rejected', () => {
    const cert = certOf(cell);
    // −3/8 reads ι = 3/8 as −ε: the idle emitters would add terms
    const w = s.weights.find((x) => s.mul(x, cert.idle) !== 0 && s.mul(x, cert.a) !== 0) as number;
    expect(verifyDeepStartCertificate(s, { ...cert, unit: w })).toMatch(/kill/);
    expect(
      verifyDeepStartCertificate(s, {
        ...cert,
        delay: { ...cert.delay, layers: cert.delay.layers.slice(1) },
      }),
    ).not.toBeNull();
    expect(
      verifyDeepStartCertificate(s, { ...cert, prefix: { ...cert.prefix, gadget: cert.delay } }),
    ).toMatch(/K\(/);
    // two detectors swapped
    const detectors = cert.detectors.map((x, i) =>
      i === 5 ? cert.detectors[6] : i === 6 ? cert.detectors[5] : x,
    );
    expect(verifyDeepStartCertificate(s, { ...cert, detectors })).toMatch(/D_/);
    expect(verifyDeepStartCertificate(s, { ...cert, a: cert.idle, idle: cert.a })).not.toBeNull();
    // exact accumulation: Lemma A's sequential reading does not hold there
    expect(verifyDeepStartCertificate(settingOf(conf({ ...cell, accumulation: 'exact' })), cert)).toMatch(
      /sequential/,
    );
  });
});

describe('decide', () => {
  it('softplus Q0.3 ceil error sequential bias last is universal by Proposition DS', () => {
    const v = decide(conf({ ...cells[0], overflow: 'error' }));
    expect(v.verdict).toBe('universal');
    expect(v.reason).toMatch(/^a deep start certificate.*Proposition DS/);
  });
});
