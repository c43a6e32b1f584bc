/**
 * fp16 ⊕ ⊖ ⊗ ⊘ (nearest-even, infinity) against the C compiler's IEEE binary16 arithmetic (`_Float16`).
 * On x86 without native fp16 gcc computes a _Float16 operation in float and rounds back; that double
 * rounding is innocuous for + − × ÷ because float's 24 bits ≥ 2·11 + 2 (Figueroa: rounding to nearest
 * twice, through a format of at least 2p + 2 bits, equals rounding once). The C program also checks
 * every result against `(_Float16)((double)a op (double)b)` (53 ≥ 2·11 + 2 as well) and counts
 * disagreements. Cases: every code class (subnormals, ±0, ±∞, NaN), random pairs and near pairs.
 * Skipped when `cc` has no `_Float16`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { floatFastOps } from '../src/float/float-fast.js';
import { classify, parseFloatFormat } from '../src/float/float-format.js';
import { floatOp } from '../src/float/float-ops.js';
import { makeFloatPolicy } from '../src/float/float-rounding.js';

const CASES = 200_000;
const PROGRAM = `
#include <stdio.h>
#include <stdint.h>
#include <string.h>
static uint32_t s = 2463534242u;
static uint32_t next(void) { s ^= s << 13; s ^= s >> 17; s ^= s << 5; return s; }
static uint16_t bits(_Float16 h) { uint16_t u; memcpy(&u, &h, 2); return u; }
static _Float16 half(uint16_t u) { _Float16 h; memcpy(&h, &u, 2); return h; }
static int same(uint16_t x, uint16_t y) {
  int nx = (x & 0x7c00) == 0x7c00 && (x & 0x3ff), ny = (y & 0x7c00) == 0x7c00 && (y & 0x3ff);
  return nx || ny ? nx && ny : x == y;
}
int main(int argc, char **argv) {
  FILE *out = fopen(argv[1], "wb");
  long bad = 0;
  for (int i = 0; i < ${CASES}; i++) {
    uint16_t a = next() & 0xffff, b;
    if (i % 4 == 0) b = (uint16_t)(a + (next() % 9) - 4);
    else if (i % 4 == 1) b = (uint16_t)(a ^ 0x8000 ^ (next() % 3));
    else b = next() & 0xffff;
    volatile _Float16 x = half(a), y = half(b);
    uint16_t r[6] = { a, b, bits(x + y), bits(x - y), bits(x * y), bits(x / y) };
    double dx = (double)x, dy = (double)y;
    bad += !same(r[2], bits((_Float16)(dx + dy))) + !same(r[3], bits((_Float16)(dx - dy)));
    bad += !same(r[4], bits((_Float16)(dx * dy))) + !same(r[5], bits((_Float16)(dx / dy)));
    fwrite(r, 2, 6, out);
  }
  fclose(out);
  printf("%ld\\n", bad);
  return 0;
}
`;

function compile(dir: string): string | null {
  writeFileSync(join(dir, 'f16.c'), PROGRAM);
  try {
    execFileSync('cc', ['-O1', '-std=c11', '-o', join(dir, 'f16'), join(dir, 'f16.c')], { stdio: 'pipe' });
    return join(dir, 'f16');
  } catch {
    return null;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'fxnn-f16-'));
const exe = compile(dir);

describe.skipIf(exe === null)('fp16 against IEEE hardware arithmetic (_Float16)', () => {
  it(`${CASES} pairs × 4 operations agree bit for bit (NaNs as a class)`, () => {
    try {
      const bad = execFileSync(exe!, [join(dir, 'out.bin')], { encoding: 'utf8' }).trim();
      expect(bad).toBe('0'); // the compiler's fp16 and double-then-round agree
      const buf = readFileSync(join(dir, 'out.bin'));
      const rows = new Uint16Array(buf.buffer, buf.byteOffset, buf.length / 2);
      const f = parseFloatFormat('fp16');
      const p = makeFloatPolicy({});
      const fast = floatFastOps(f, p);
      const ops = ['add', 'sub', 'mul', 'div'] as const;
      let compared = 0;
      let mismatches = 0;
      const first: unknown[] = [];
      for (let i = 0; i < CASES; i++) {
        const a = rows[6 * i];
        const b = rows[6 * i + 1];
        for (let k = 0; k < 4; k++) {
          const want = rows[6 * i + 2 + k];
          const got = fast[ops[k]](a, b);
          const ok = classify(want, f) === 'nan' ? classify(got, f) === 'nan' : got === want;
          // the exact BigInt path on a sample
          if (i % 50 === 0) {
            const slow = floatOp(ops[k], a, b, f, p).code;
            if (!(classify(want, f) === 'nan' ? classify(slow, f) === 'nan' : slow === want)) mismatches++;
          }
          if (!ok) {
            mismatches++;
            if (first.length < 5) first.push({ op: ops[k], a, b, want, got });
          }
          compared++;
        }
      }
      expect(first).toEqual([]);
      expect(mismatches).toBe(0);
      expect(compared).toBe(4 * CASES);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
