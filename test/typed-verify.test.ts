/**
 * `verify` on a version 2 network whose input and output types differ (docs/networks.md "verify on
 * version 2"): the target is evaluated at the input values and rounded into the output type by its own
 * modes; table y values are values of the output type. Checked against an independent BigInt model of
 * both the network and the target.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fxnn } from './run-cli.js';

let tmp = '';
const file = (name: string) => join(tmp, name);

// input ap_fixed<6,3> = Q2.3 (codes −32…31, x = c/8); result ap_fixed<8,2,AP_RND,AP_SAT> = Q1.6
const NET = {
  fxnn: 2,
  inputs: 1,
  input: 'ap_fixed<6,3>',
  layers: [
    {
      kind: 'dense',
      types: {
        weight: 'ap_fixed<6,3>',
        bias: 'ap_fixed<6,3>',
        accum: 'ap_fixed<12,5>',
        result: 'ap_fixed<8,2,AP_RND,AP_SAT>',
      },
      neurons: [{ bias: '0', edges: [[0, '1']] }],
    },
  ],
};

const floorDiv = (a: bigint, b: bigint) => (a >= 0n ? a / b : -((-a + b - 1n) / b));
const clamp = (c: bigint) => (c < -128n ? -128n : c > 127n ? 127n : c);
/** The network's output code in Q1.6 at input code c of Q2.3: x·64 = 8c exactly, saturated. */
const netCode = (c: bigint) => clamp(8n * c);
/** x²/3 rounded into Q1.6 by AP_RND (half up) and AP_SAT: floor(c²/3 + 1/2), saturated. */
const targetCode = (c: bigint) => clamp(floorDiv(2n * c * c + 3n, 6n));
const dec = (code: bigint, frac: number) => String(Number(code) / 2 ** frac); // dyadic: exact in doubles

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'fxnn-v2-verify-'));
  writeFileSync(file('net.json'), JSON.stringify(NET));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('verify on a version 2 network with different input and output types', () => {
  const codes = Array.from({ length: 64 }, (_, i) => BigInt(i - 32));
  const bad = codes.filter((c) => netCode(c) !== targetCode(c));

  it('--fn: the target at the input values, rounded into the output type (its modes)', async () => {
    expect(bad.length).toBeGreaterThan(0);
    expect(bad.length).toBeLessThan(64);
    const r = await fxnn('verify', file('net.json'), '--fn', 'x1*x1/3', '--json', '--show', '3');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      inputs: 64,
      mismatches: bad.length,
      examples: bad.slice(0, 3).map((c) => ({
        x: [dec(c, 3)],
        network: dec(netCode(c), 6),
        target: dec(targetCode(c), 6),
      })),
    });
  });

  it('--table: y values of the output type; the same mismatches; equal tables verify', async () => {
    const rows = (f: (c: bigint) => bigint) => codes.map((c) => `${dec(c, 3)},${dec(f(c), 6)}`).join('\n');
    writeFileSync(file('t.csv'), `x1,y\n${rows(targetCode)}\n`);
    const r = await fxnn('verify', file('net.json'), '--table', file('t.csv'), '--json', '--show', '0');
    expect(JSON.parse(r.stdout)).toEqual({ inputs: 64, mismatches: bad.length, examples: [] });
    writeFileSync(file('n.csv'), `x1,y\n${rows(netCode)}\n`);
    expect(await fxnn('verify', file('net.json'), '--table', file('n.csv'))).toMatchObject({
      status: 0,
      stdout: 'verified: the network equals the target on all 64 inputs\n',
    });
  });

  it('--table: a y that is not a value of the output type is one error naming the line', async () => {
    // 0.0625 is a value of Q1.6 but not of Q2.3; 0.01 is of neither
    writeFileSync(file('ok.csv'), `x1,y\n${codes.map((c) => `${dec(c, 3)},0.0625`).join('\n')}\n`);
    expect((await fxnn('verify', file('net.json'), '--table', file('ok.csv'))).status).toBe(1);
    writeFileSync(file('b.csv'), `x1,y\n0,0.01\n`);
    const r = await fxnn('verify', file('net.json'), '--table', file('b.csv'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: .*b\.csv line 2: y: "?0\.01"? is not a value of Q1\.6/);
  });
});
