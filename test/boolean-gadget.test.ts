import { describe, expect, it } from 'vitest';
import {
  type BooleanGadgetCertificate,
  findBooleanGadgetCertificate,
  verifyBooleanGadgetCertificate,
} from '../src/engine/boolean-gadget-certificate.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { decide } from '../src/expressivity/verdict.js';
import type { Network } from '../src/network/network.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';
import { randomTable } from '../src/prng.js';
import { compileBoolean } from './boolean-gadget-network.js';

// Proposition BG (docs/theory.md §8.12): gadgets found by enumeration and checked on every input, with
// paired (§8.8) or modular (§8.9) emitters. N_f is compiled and run on every input with the BigInt reference
// evaluator; mutated certificates are rejected and their networks compute wrong functions.

type Cell = Record<string, string>;
const cells: Cell[] = [
  // the 3-bit cells of the small-cell scan: paired (binary weights, saturate) and modular (wrap)
  {
    activation: 'hard-sigmoid',
    format: 'SQ1.1',
    rounding: 'nearest-away',
    overflow: 'saturate',
    weights: 'binary',
    bias: 'last',
  },
  {
    activation: 'hard-sigmoid',
    format: 'SQ1.1',
    rounding: 'nearest-up',
    overflow: 'saturate',
    weights: 'binary',
    bias: 'first',
  },
  {
    activation: 'sigmoid',
    format: 'UQ0.3',
    rounding: 'nearest-even',
    overflow: 'wrap',
    weights: 'all',
    bias: 'last',
  },
  {
    activation: 'hard-sigmoid',
    format: 'UQ0.3',
    rounding: 'nearest-even',
    overflow: 'wrap',
    weights: 'all',
    bias: 'first',
  },
];
// start emitters (sequential, bias last): ω kills ι, a constant prefix read first
const startCells: Cell[] = [
  {
    activation: 'hard-sigmoid',
    format: 'SQ0.2',
    rounding: 'nearest-up',
    overflow: 'saturate',
    weights: 'all',
    bias: 'last',
    accumulation: 'sequential',
  },
  {
    activation: 'hard-sigmoid',
    format: 'SQ1.1',
    rounding: 'nearest-up',
    overflow: 'saturate',
    weights: 'all',
    bias: 'last',
    accumulation: 'sequential',
  },
];
cells.push(...startCells);
const conf = (cell: Cell) => makeConfiguration({ accumulation: 'exact', ...cell } as never);

/** The points of 𝕀^d in the order of `compileBoolean` and the function's wrong inputs. */
function wrongInputs(net: Network, min: number, max: number, d: 1 | 2, f: ArrayLike<number>): number {
  let wrong = 0;
  let i = 0;
  for (let x1 = min; x1 <= max; x1++)
    for (let x2 = min; x2 <= (d === 1 ? min : max); x2++) {
      const input = d === 1 ? [BigInt(x1)] : [BigInt(x1), BigInt(x2)];
      let out: bigint | null = null;
      try {
        out = evaluateReference(net, input)[0];
      } catch {
        out = null; // raises: wrong
      }
      if (out !== BigInt(f[i++])) wrong++;
    }
  return wrong;
}

describe('boolean gadget certificates: N_f on every input (BigInt reference evaluator)', () => {
  it.each(cells)('$activation $format $rounding $overflow $weights, bias $bias', (cell) => {
    const c = conf(cell);
    const s = settingOf(c);
    const { certificate: cert } = findBooleanGadgetCertificate(s);
    expect(cert).not.toBeNull();
    if (!cert) return;
    expect(verifyBooleanGadgetCertificate(s, cert)).toBeNull();
    for (const d of [1, 2] as const)
      for (const seed of d === 1 ? [1, 2, 3] : [4]) {
        const f = randomTable(s.size ** d, s.min, s.size, seed);
        expect(wrongInputs(compileBoolean(c, cert, f, d), s.min, s.max, d, f)).toBe(0);
      }
    // every constant and the identity too (extreme counts k_y)
    for (let y = s.min; y <= s.max; y++) {
      const f = new Int32Array(s.size).fill(y);
      expect(wrongInputs(compileBoolean(c, cert, f, 1), s.min, s.max, 1, f)).toBe(0);
    }
    const id = Int32Array.from({ length: s.size }, (_, i) => s.min + i);
    expect(wrongInputs(compileBoolean(c, cert, id, 1), s.min, s.max, 1, id)).toBe(0);
  });
});

describe('mutations are rejected, and their networks are wrong', () => {
  const setup = (cell: Cell) => {
    const c = conf(cell);
    const s = settingOf(c);
    const cert = findBooleanGadgetCertificate(s).certificate as BooleanGadgetCertificate;
    const f = randomTable(s.size, s.min, s.size, 9);
    return { c, s, cert, f };
  };

  it('paired: β moved under the same counts; C replaced by P (the active pair cancels too)', () => {
    const { c, s, cert, f } = setup(cells[0]);
    // β is free (the counts k_y follow it); moving β under the counts of the old one is wrong
    const moved = cert.beta === s.max ? cert.beta - 1 : cert.beta + 1;
    expect(wrongInputs(compileBoolean(c, cert, f, 1, moved), s.min, s.max, 1, f)).toBeGreaterThan(0);
    const noC = { ...cert, constant: cert.delay };
    expect(verifyBooleanGadgetCertificate(s, noC)).toMatch(/C\(/);
    // the network with P in place of C outputs the same value on every input: wrong for a non-constant f
    const id = Int32Array.from({ length: s.size }, (_, i) => s.min + i);
    expect(wrongInputs(compileBoolean(c, noC, id, 1), s.min, s.max, 1, id)).toBeGreaterThan(0);
  });

  it('modular: β_f moved by one code makes N_f wrong on every input; saturate refuses it', () => {
    const { c, s, cert, f } = setup(cells[2]);
    const net = compileBoolean(c, cert, f, 1);
    expect(wrongInputs(net, s.min, s.max, 1, f)).toBe(0);
    const beta = Number(net.layers[net.layers.length - 1].neurons[0].bias);
    const off = compileBoolean(c, cert, f, 1, beta === s.max ? s.min : beta + 1);
    expect(wrongInputs(off, s.min, s.max, 1, f)).toBe(s.size);
    const sat = settingOf(conf({ ...cells[2], overflow: 'saturate' }));
    expect(verifyBooleanGadgetCertificate(sat, cert)).not.toBeNull();
  });

  it('a detector with a moved bias, a swapped AND and a weight outside W are rejected', () => {
    const { s, cert } = setup(cells[1]);
    const g = cert.detectors[3];
    const first = g.layers[0].map((n, j) =>
      j === 0 ? { ...n, bias: n.bias === s.max ? n.bias - 1 : n.bias + 1 } : n,
    );
    const detectors = cert.detectors.map((x, i) =>
      i === 3 ? { ...g, layers: [first, ...g.layers.slice(1)] } : x,
    );
    expect(verifyBooleanGadgetCertificate(s, { ...cert, detectors })).toMatch(/D_/);
    expect(verifyBooleanGadgetCertificate(s, { ...cert, a: cert.idle, idle: cert.a })).not.toBeNull();
    expect(verifyBooleanGadgetCertificate(s, { ...cert, unit: 1 })).toMatch(/W/); // code 1 = ½: not ±1
  });
});

describe('start emitters (sequential)', () => {
  it('one copy of the prefix fewer, or the prefix read last, is rejected or computes a wrong function', () => {
    const c = conf(startCells[0]);
    const s = settingOf(c);
    const cert = findBooleanGadgetCertificate(s).certificate as BooleanGadgetCertificate;
    expect(cert.kind).toBe('start');
    const prefix = cert.prefix as NonNullable<BooleanGadgetCertificate['prefix']>;
    expect(prefix.count).toBeGreaterThan(0);
    const fewer = { ...cert, prefix: { ...prefix, count: prefix.count - 1 } };
    expect(verifyBooleanGadgetCertificate(s, fewer)).toMatch(/E_/);
    const id = Int32Array.from({ length: s.size }, (_, i) => s.min + i);
    // the same network with the prefix's weights moved to 0 (its terms vanish): wrong
    const noPrefix = { ...cert, prefix: { ...prefix, weight: 0 } };
    expect(verifyBooleanGadgetCertificate(s, noPrefix)).not.toBeNull();
    expect(wrongInputs(compileBoolean(c, noPrefix, id, 1), s.min, s.max, 1, id)).toBeGreaterThan(0);
    // a weight that does not kill ι
    const w = s.weights.find((x) => s.mul(x, cert.idle) !== 0) as number;
    expect(verifyBooleanGadgetCertificate(s, { ...cert, unit: w })).toMatch(/kill/);
  });
});

describe('decide', () => {
  it('the ten 3-bit cells are universal (Proposition BG, or a search from main first)', () => {
    for (const cell of cells)
      for (const bias of ['last', 'first']) {
        if (cell.accumulation === 'sequential' && bias === 'first') continue; // decided by §9.7 before
        const roundings =
          cell.accumulation === 'sequential'
            ? [cell.rounding]
            : cell.weights === 'binary'
              ? ['nearest-away', 'nearest-up']
              : ['nearest-even'];
        for (const rounding of roundings) {
          const v = decide(conf({ ...cell, bias, rounding }));
          expect(v.verdict).toBe('universal');
          // searches from main (deep gadgets §8.11, exact spans §10.10) run first and take some of them
          expect(v.reason).toMatch(/Proposition BG|deep gadget|Proposition XS/);
        }
      }
  });
});

describe('budget', () => {
  it('a spent budget stops the search with undetermined naming it, never a throw', () => {
    const v = decide(conf(startCells[0]), { budget: 1e-4 });
    expect(v.verdict).toBe('undetermined');
    expect(v.reason).toMatch(/boolean gadget certificates \(docs\/theory.md §8.12\): stopped/);
  });
});
