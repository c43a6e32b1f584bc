import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fastOps } from '../src/core/fast-ops.js';
import { OPS, type Op, opCodes } from '../src/core/ops.js';
import { OverflowError } from '../src/core/overflow.js';
import { FxnnError } from '../src/errors.js';
import { operate } from '../src/fixed.js';
import { codesOf, type Format, makeFormat, parseFormat } from '../src/format.js';
import { makePolicy, OVERFLOW_MODES, type Policy, ROUNDING_MODES } from '../src/policy.js';
import { codeArb, codeValue, exactOp, formatArb, policyArb, rndRef } from './exact-reference.js';

/** opCodes, or 'overflow-error' when it throws the overflow error. */
function opOrError(op: Op, a: bigint, b: bigint, f: Format, policy: Policy) {
  try {
    const r = opCodes(op, a, b, f, policy);
    return { code: r.code, overflowed: r.overflowed, exact: r.exact };
  } catch (e) {
    if (e instanceof OverflowError) return 'overflow-error' as const;
    throw e;
  }
}

/** The reference: the exact real result of the operation on the values, then rnd. */
function reference(op: Op, a: bigint, b: bigint, f: Format, policy: Policy) {
  return rndRef(exactOp(op, codeValue(a, f), codeValue(b, f)), f, policy.rounding, policy.overflow);
}

const caseArb = (maxBits: number) =>
  formatArb(maxBits).chain((f) =>
    fc.tuple(fc.constant(f), policyArb(f), fc.constantFrom(...OPS), codeArb(f), codeArb(f)),
  );

describe('⊕ ⊖ ⊗ ⊘ against the exact-rational reference', () => {
  it('opCodes = rnd(exact result) over random formats of 1–64 bits, all modes and operands', () => {
    fc.assert(
      fc.property(caseArb(64), ([f, policy, op, a, b]) => {
        if (op === 'div' && b === 0n) return;
        expect(opOrError(op, a, b, f, policy)).toEqual(reference(op, a, b, f, policy));
      }),
      { numRuns: 6000 },
    );
  });

  it('every operation, every mode, exhaustively on tiny formats', () => {
    for (const spec of ['Q1.1', 'SQ1.1', 'UQ1.2', 'Q0.2', 'UQ3.0']) {
      const f = parseFormat(spec);
      for (const rounding of ROUNDING_MODES) {
        for (const overflow of OVERFLOW_MODES) {
          if (overflow === 'wrap' && f.kind === 'SQ') continue;
          const policy = makePolicy(f, { rounding, overflow });
          for (const a of codesOf(f)) {
            for (const b of codesOf(f)) {
              for (const op of OPS) {
                if (op === 'div' && b === 0n) continue;
                expect(
                  opOrError(op, a, b, f, policy),
                  `${spec} ${rounding} ${overflow} ${a} ${op} ${b}`,
                ).toEqual(reference(op, a, b, f, policy));
              }
            }
          }
        }
      }
    }
  });

  it('examples by hand', () => {
    expect(operate('Q3.4', 'mul', '1.5', '-0.3125')).toEqual({
      value: '-0.5', // −0.46875 = −7.5 steps, tie → even code −8
      code: -8n,
      overflowed: false,
      exact: false,
    });
    expect(operate('Q3.4', 'mul', '1.5', '-0.3125', { rounding: 'nearest-zero' }).value).toBe('-0.4375');
    expect(operate('Q3.4', 'div', '1', '3').value).toBe('0.3125'); // 5.33 steps
    expect(operate('Q3.4', 'div', '1', '3', { rounding: 'ceil' }).value).toBe('0.375');
    expect(operate('Q3.4', 'div', '-1', '3', { rounding: 'floor' }).value).toBe('-0.375');
    expect(operate('Q3.4', 'div', '-1', '-3', { rounding: 'floor' }).value).toBe('0.3125');
    expect(operate('Q3.4', 'div', '0.5', '-0.0625')).toEqual({
      value: '-8',
      code: -128n,
      overflowed: false,
      exact: true,
    });
    expect(operate('Q3.4', 'div', '1', '-0.0625')).toEqual({
      value: '-8', // −16 saturates
      code: -128n,
      overflowed: true,
      exact: false,
    });
    expect(operate('Q3.4', 'div', '-8', '-0.0625')).toEqual({
      value: '7.9375',
      code: 127n,
      overflowed: true,
      exact: false,
    });
    expect(operate('Q3.4', 'add', '7.5', '0.5', { overflow: 'wrap' })).toEqual({
      value: '-8',
      code: -128n,
      overflowed: true,
      exact: false,
    });
    expect(operate('Q3.4', 'sub', '-8', '0.0625')).toMatchObject({ value: '-8', overflowed: true });
    expect(operate('UQ4.0', 'sub', '3', '5', { overflow: 'wrap' }).value).toBe('14');
    expect(operate('SQ3.0', 'sub', '-7', '1').value).toBe('-7');
    expect(operate('Q3.0', 'mul', '-8', '-1').value).toBe('7'); // the classic two's complement overflow
    expect(operate('Q3.0', 'mul', '-8', '-1', { overflow: 'wrap' }).value).toBe('-8');
    expect(() => operate('Q3.0', 'mul', '-8', '-1', { overflow: 'error' })).toThrow(
      'overflow: 8 is outside Q3.0 [-8, 7]',
    );
    // 64-bit operands: products reach 2^126 before rounding
    expect(operate('Q63.0', 'mul', '-9223372036854775808', '-1').value).toBe('9223372036854775807');
    expect(
      operate('UQ0.64', 'mul', '0.5', '0.0000000000000000000542101086242752217003726400434970855712890625'),
    ).toEqual({
      value: '0',
      code: 0n,
      overflowed: false,
      exact: false,
    });
  });

  it('rejects division by zero and bad operands, naming them', () => {
    expect(() => operate('Q3.4', 'div', '1', '0')).toThrow('division by zero: b is 0');
    expect(() => operate('Q3.4', 'div', '1', '-0.000')).toThrow(FxnnError);
    expect(() => operate('Q3.4', 'pow', '1', '2')).toThrow(
      'unknown operation "pow": expected one of add, sub, mul, div',
    );
    expect(() => operate('Q3.4', 'add', '0.3', '1')).toThrow(
      'a: "0.3" is not a value of Q3.4 (nearest are 0.25 and 0.3125)',
    );
    expect(() => operate('Q3.4', 'add', '1', '9')).toThrow('b: "9" is outside Q3.4 [-8, 7.9375]');
    expect(() => operate('Q3.4', 'add', '1', 'x')).toThrow('b: "x" is not a number');
    expect(() => operate('SQ3.4', 'add', '1', '1', { overflow: 'wrap' })).toThrow(
      'overflow "wrap" is not defined for the symmetric format SQ3.4',
    );
  });
});

describe('fast path (numbers) = BigInt path', () => {
  it('fastOps = opCodes on random formats of up to 26 bits, all modes', () => {
    fc.assert(
      fc.property(caseArb(26), ([f, policy, op, a, b]) => {
        if (op === 'div' && b === 0n) return;
        const fast = fastOps(f, policy);
        const big = opOrError(op, a, b, f, policy);
        if (big === 'overflow-error') {
          expect(() => fast[op](Number(a), Number(b))).toThrow(OverflowError);
          return;
        }
        const r = fast[op](Number(a), Number(b));
        expect(Object.is(r, -0)).toBe(false);
        expect(BigInt(r)).toBe(big.code);
      }),
      { numRuns: 6000 },
    );
  });

  it('at the edges of the widest fast formats (26 bits)', () => {
    for (const f of [
      makeFormat('Q', 0, 25),
      makeFormat('Q', 25, 0),
      makeFormat('UQ', 0, 26),
      makeFormat('UQ', 26, 0),
    ]) {
      const edges = [f.minCode, f.minCode + 1n, -1n, 0n, 1n, f.maxCode - 1n, f.maxCode].filter(
        (c) => c >= f.minCode && c <= f.maxCode,
      );
      for (const rounding of ROUNDING_MODES) {
        for (const overflow of ['saturate', 'wrap'] as const) {
          const policy = makePolicy(f, { rounding, overflow });
          const fast = fastOps(f, policy);
          for (const a of edges) {
            for (const b of edges) {
              for (const op of OPS) {
                if (op === 'div' && b === 0n) continue;
                expect(BigInt(fast[op](Number(a), Number(b))), `${f.spec} ${a} ${op} ${b}`).toBe(
                  opCodes(op, a, b, f, policy).code,
                );
              }
            }
          }
          // roundProduct and clamp are the pieces of ⊗ and ⊕
          expect(BigInt(fast.roundProduct(Number(f.maxCode * f.maxCode)))).toBe(
            opCodes('mul', f.maxCode, f.maxCode, f, policy).code,
          );
          expect(BigInt(fast.clamp(Number(f.maxCode + 1n)))).toBe(
            opCodes('add', f.maxCode, 1n, f, policy).code,
          );
        }
      }
    }
  });

  it('refuses formats wider than 26 bits', () => {
    const f = parseFormat('Q26.0');
    expect(() => fastOps(f, makePolicy(f))).toThrow(
      'fastOps: Q26.0 has 27 bits; the number path takes at most 26',
    );
  });
});

describe('laws of the operations', () => {
  const arb = formatArb().chain((f) => fc.tuple(fc.constant(f), policyArb(f), codeArb(f), codeArb(f)));

  it('a ⊕ b = b ⊕ a, a ⊗ b = b ⊗ a, a ⊕ 0 = a, a ⊖ 0 = a, a ⊗ 0 = 0, a ⊖ a = 0 in every mode', () => {
    fc.assert(
      fc.property(arb, ([f, policy, a, b]) => {
        const run = (op: Op, x: bigint, y: bigint) => opOrError(op, x, y, f, policy);
        expect(run('add', a, b)).toEqual(run('add', b, a));
        expect(run('mul', a, b)).toEqual(run('mul', b, a));
        expect(run('add', a, 0n)).toEqual({ code: a, overflowed: false, exact: true });
        expect(run('sub', a, 0n)).toEqual({ code: a, overflowed: false, exact: true });
        expect(run('mul', a, 0n)).toEqual({ code: 0n, overflowed: false, exact: true });
        expect(run('mul', 0n, b)).toEqual({ code: 0n, overflowed: false, exact: true });
        expect(run('sub', a, a)).toEqual({ code: 0n, overflowed: false, exact: true });
        if (f.hasOne) {
          const one = 1n << BigInt(f.fracBits);
          expect(run('mul', a, one)).toEqual({ code: a, overflowed: false, exact: true });
          expect(run('div', a, one)).toEqual({ code: a, overflowed: false, exact: true });
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('⊗ is monotone in each argument for non-negative operands under saturate', () => {
    fc.assert(
      fc.property(arb, ([f, policy, a, b]) => {
        const p = makePolicy(f, { rounding: policy.rounding, overflow: 'saturate' });
        const x = a < 0n ? -a : a;
        const y = b < 0n ? -b : b;
        if (x > f.maxCode || y > f.maxCode) return;
        const [lo, hi] = x <= y ? [x, y] : [y, x];
        expect(opCodes('mul', lo, hi, f, p).code <= opCodes('mul', hi, hi, f, p).code).toBe(true);
        expect(opCodes('add', lo, hi, f, p).code <= opCodes('add', hi, hi, f, p).code).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('floor ≤ nearest-* ≤ ceil for every operation under saturate', () => {
    fc.assert(
      fc.property(caseArb(64), ([f, , op, a, b]) => {
        if (op === 'div' && b === 0n) return;
        const code = (rounding: (typeof ROUNDING_MODES)[number]) =>
          opCodes(op, a, b, f, makePolicy(f, { rounding })).code;
        const floor = code('floor');
        const ceil = code('ceil');
        for (const mode of ROUNDING_MODES) expect(floor <= code(mode) && code(mode) <= ceil).toBe(true);
        expect(ceil - floor <= 1n).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
