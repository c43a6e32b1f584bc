/**
 * verify --fn and info on float networks (docs/float.md §6). The expected mismatch counts are computed
 * here with exact fractions and the enumerating reference of float-reference.ts, not with fxnn's kernels.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Fr, isNaNRef, type Mode, refDecode, refFormat, refRound } from './float-reference.js';
import { fxnn } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'fxnn-float-fn-'));
function netFile(name: string, rounding: string, overflow: string): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    JSON.stringify({
      fxnn: 1,
      format: 'E3M2',
      rounding,
      overflow,
      inputs: 2,
      layers: [
        {
          activation: 'relu',
          neurons: [
            {
              bias: '0',
              edges: [
                [0, '1'],
                [1, '-1'],
              ],
            },
          ],
        },
      ],
    }),
  );
  return path;
}

/** Every finite E3M2 value but −0, as exact fractions. */
function finiteValues(): Fr[] {
  const out: Fr[] = [];
  for (let c = 0; c < 64; c++) {
    if (c === 32) continue;
    const v = refDecode(c, 3, 2, false);
    if (v !== null && typeof v !== 'string') out.push(v);
  }
  return out;
}

describe('verify --fn on a float network', () => {
  const f = refFormat(3, 2, false);
  const same = (a: number, b: number) =>
    a === b || (isNaNRef(a, f) && isNaNRef(b, f)) || (a % 32 === 0 && b % 32 === 0);
  for (const [rounding, overflow] of [
    ['nearest-even', 'saturate'],
    ['floor', 'infinity'],
    ['ceil', 'saturate'],
  ] as const) {
    it(`E3M2 relu(x1 − x2), ${rounding}/${overflow}: the exact target verifies, 1.1× mismatches as counted exactly`, async () => {
      const path = netFile(`n-${rounding}.json`, rounding, overflow);
      const ok = await fxnn('verify', path, '--fn', 'relu(x1 - x2)');
      expect(ok.stdout).toBe('verified: the network equals the target on all 3025 inputs\n');
      expect(ok.status).toBe(0);
      // the network rounds x1 − x2 once (w = ±1 products are exact; ⊕ 0 keeps it), then relu
      const xs = finiteValues();
      let expected = 0;
      for (const a of xs)
        for (const b of xs) {
          const d: Fr = { num: a.num * b.den - b.num * a.den, den: a.den * b.den };
          const r = refRound(f, d, rounding as Mode, overflow);
          const net = r === 'error' ? -1 : (r as number) >= 32 ? 0 : r;
          const want: Fr = d.num > 0n ? { num: d.num * 11n, den: d.den * 10n } : { num: 0n, den: 1n };
          const t = refRound(f, want, rounding as Mode, overflow) as number;
          if (!same(net as number, t)) expected++;
        }
      expect(expected).toBeGreaterThan(0);
      const bad = await fxnn('verify', path, '--fn', 'max(x1 - x2, 0) * 1.1', '--json');
      expect(bad.status).toBe(1);
      const out = JSON.parse(bad.stdout);
      expect(out.inputs).toBe(3025);
      expect(out.mismatches).toBe(expected);
      expect(out.examples).toHaveLength(5);
    });
  }

  it('an irrational target: sigmoid on E4M3 agrees with the sigmoid activation table', async () => {
    const path = join(dir, 'sig.json');
    writeFileSync(
      path,
      JSON.stringify({
        fxnn: 1,
        format: 'E4M3',
        inputs: 1,
        layers: [{ activation: 'sigmoid', neurons: [{ bias: '0', edges: [[0, '1']] }] }],
      }),
    );
    const r = await fxnn('verify', path, '--fn', '1/(1 + exp(-x1))');
    expect(r.stdout).toBe('verified: the network equals the target on all 253 inputs\n');
    const off = await fxnn('verify', path, '--fn', '1/(1 + exp(-x1)) + 2^-12');
    expect(off.status).toBe(1);
  });

  it('bad targets are one error line, exit 2', async () => {
    const div = await fxnn('verify', netFile('e.json', 'nearest-even', 'saturate'), '--fn', '1/x1');
    expect(div.status).toBe(2);
    expect(div.stderr).toMatch(/^error: expression "1\/x1" at x = \(0, -14\): .*\n$/);
    const path = join(dir, 'err.json');
    writeFileSync(
      path,
      JSON.stringify({
        fxnn: 1,
        format: 'E3M2',
        overflow: 'error',
        inputs: 1,
        layers: [{ activation: 'identity', neurons: [{ bias: '0', edges: [[0, '1']] }] }],
      }),
    );
    const over = await fxnn('verify', path, '--fn', 'x1 * 100');
    expect(over.status).toBe(2);
    expect(over.stderr).toMatch(/^error: .*overflow.*\n$/);
  });
});

describe('info on a float network', () => {
  it('prints the format facts, policy and sizes', async () => {
    const path = netFile('i.json', 'toward-zero', 'saturate');
    const r = await fxnn('info', path, '--json');
    expect(r.status).toBe(0);
    const info = JSON.parse(r.stdout);
    // E3M2: bias 3, max 1.75·2^3, min subnormal 2^-2·2^-2, 2·(7·4) finite codes
    expect(info.format).toMatchObject({
      spec: 'E3M2',
      bias: 3,
      max: '14',
      minSubnormal: '0.0625',
      finiteCodes: 56,
    });
    expect(info).toMatchObject({
      rounding: 'toward-zero',
      overflow: 'saturate',
      inputs: 2,
      outputs: 1,
      parameters: 3,
    });
    const text = await fxnn('info', path);
    expect(text.stdout).toContain('parameters    3 (2 edges + 1 biases)');
  });
});
