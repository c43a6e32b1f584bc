/**
 * `--round-inputs float32` (docs/networks.md "eval --inputs"): the decimal is rounded to float32
 * exactly (ties to even, no double rounding through binary64), then into the input type by its modes,
 * as hls4ml's C test bench does (std::stof, then input_t(float)). Expected codes are worked by hand
 * below and checked against an exact BigInt model of float32 rounding.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { doubleToCode } from '../src/cli/npy.js';
import { parseFixedType } from '../src/fixed-type.js';
import { textToCode } from '../src/network/input-codes.js';
import { fxnn } from './run-cli.js';

/** float32(p/q) for p/q > 0 by BigInt: 24 significant bits, nearest, ties to even (normal range). */
function float32Of(p: bigint, q: bigint): [bigint, bigint] {
  let e = 0; // find 2^23 ≤ p/q·2^e < 2^24
  while (p * 2n ** BigInt(Math.max(e, 0)) < q * 2n ** 23n * 2n ** BigInt(Math.max(-e, 0))) e++;
  while (p * 2n ** BigInt(Math.max(e, 0)) >= q * 2n ** 24n * 2n ** BigInt(Math.max(-e, 0))) e--;
  const num = p * 2n ** BigInt(Math.max(e, 0));
  const den = q * 2n ** BigInt(Math.max(-e, 0));
  let m = num / den;
  const r = num - m * den;
  if (2n * r > den || (2n * r === den && (m & 1n) === 1n)) m++;
  return e >= 0 ? [m, 2n ** BigInt(e)] : [m * 2n ** BigInt(-e), 1n];
}

describe('--round-inputs float32', () => {
  // Q2.5, floor (AP_TRN): 0.031249999999 is below 1/32, but its float32 is exactly 1/32
  const trn = parseFixedType('ap_fixed<8,3>');
  it('a decimal just below a grid point: exact rounding floors it, float32 first lands on it', () => {
    expect(textToCode('0.031249999999', trn, true, 'x')).toBe(0);
    expect(textToCode('0.031249999999', trn, 'float32', 'x')).toBe(1);
    expect(textToCode('-0.031249999999', trn, 'float32', 'x')).toBe(-1);
    expect(doubleToCode(0.031249999999, trn, 'float32', 'x')).toBe(1);
  });

  // Q1.30 floor: 1.0000000596046447754 (20 digits) is above the float32 midpoint 1 + 2^-24 by
  // 9.4·10^-21, so float32(x) = 1 + 2^-23; its double is the midpoint itself, which fround takes to 1
  const wide = parseFixedType('ap_fixed<32,2>');
  it('no double rounding: a double on a float32 midpoint takes the exact path', () => {
    expect(Math.fround(Number('1.0000000596046447754'))).toBe(1);
    expect(textToCode('1.0000000596046447754', wide, 'float32', 'x')).toBe(2 ** 30 + 2 ** 7);
    expect(textToCode('1.000000059604644775390625', wide, 'float32', 'x')).toBe(2 ** 30); // tie: even
    expect(textToCode('1.0000000596046447753', wide, 'float32', 'x')).toBe(2 ** 30);
    expect(textToCode('1.000000059604644775390625000000000001', wide, 'float32', 'x')).toBe(2 ** 30 + 2 ** 7);
  });

  it('equals the exact model on random decimals (floor into Q1.30: the float32 value itself)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.bigInt({ min: 1n, max: 10n ** 19n }), fc.bigInt({ min: 1n, max: 10n ** 25n - 1n })),
        fc.integer({ min: 25, max: 26 }),
        (m, e) => {
          const text = `0.${m.toString().padStart(e, '0')}`;
          const [p, q] = float32Of(m, 10n ** BigInt(e));
          // Q1.30 holds every float32 in [2^-7, 2): floor(v·2^30) = v·2^30 exactly
          if (p * 128n < q) return;
          expect(BigInt(textToCode(text, wide, 'float32', 'x'))).toBe((p * 2n ** 30n) / q);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('beyond float32 is one error; the CLI takes exact, float32 and rejects other modes', async () => {
    expect(() => textToCode('1e39', parseFixedType('ap_fixed<8,3,AP_TRN,AP_SAT>'), 'float32', 'x1')).toThrow(
      /x1: 1e39 is beyond float32's range/,
    );
    const net = JSON.stringify({
      fxnn: 2,
      inputs: 1,
      input: 'ap_fixed<8,3>',
      layers: [{ kind: 'activation', activation: 'relu', types: { result: 'ap_fixed<8,3>' } }],
    });
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const dir = mkdtempSync('/tmp/fxnn-f32-');
    writeFileSync(`${dir}/n.json`, net);
    expect((await fxnn('eval', `${dir}/n.json`, '--input', '0.031249999999', '--round-inputs')).stdout).toBe(
      '0\n',
    );
    expect(
      (await fxnn('eval', `${dir}/n.json`, '--input', '0.031249999999', '--round-inputs', 'float32')).stdout,
    ).toBe('0.03125\n');
    const bad = await fxnn('eval', `${dir}/n.json`, '--input', '0.5', '--round-inputs', 'double');
    expect(bad).toMatchObject({
      status: 2,
      stderr: 'error: --round-inputs: expected exact or float32, got "double"\n',
    });
  });
});
