/**
 * Bad input on float formats gets one clear error line each, exit 2 (issue #15, "Done when"): E0M3,
 * E9M9, E4M3FNUZ, familiar names fxnn does not offer (fp32, fp8), an inf/NaN where a finite value is
 * required, in format, round, op, activation, eval, verify, export-c and info.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fxnn } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'fxnn-float-errors-'));
function net(name: string, format: string, bias: string, weight: string, activation = 'relu'): string {
  const path = join(dir, `${name}.json`);
  writeFileSync(
    path,
    JSON.stringify({
      fxnn: 1,
      format,
      inputs: 1,
      layers: [{ activation, neurons: [{ bias, edges: [[0, weight]] }] }],
    }),
  );
  return path;
}

const E0M3 = 'format "E0M3": needs at least 2 exponent bits (e ≥ 2; E0M… and E1M… are not floats)';
const E9M9 = 'format "E9M9" has 19 bits (1 + 9 + 9); float formats have at most 16';
const FNUZ = 'format "E4M3FNUZ": FNUZ formats (no −0, NaN = 0x80) are not supported; use E4M3FN or E4M3';

async function expectError(args: string[], line: string | RegExp): Promise<void> {
  const r = await fxnn(...args);
  expect(r.status, args.join(' ')).toBe(2);
  expect(r.stdout, args.join(' ')).toBe('');
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  expect(lines, args.join(' ')).toHaveLength(1);
  if (typeof line === 'string') expect(lines[0]).toBe(`error: ${line}`);
  else expect(lines[0]).toMatch(line);
}

describe('bad float formats, one error line each', () => {
  for (const [spec, message] of [
    ['E0M3', E0M3],
    ['E9M9', E9M9],
    ['E4M3FNUZ', FNUZ],
    ['E4M0', 'format "E4M0": needs at least 1 mantissa bit (m ≥ 1)'],
    ['fp32', 'format "fp32": float formats have at most 16 bits (fp16, bf16, E4M3, E5M2, EeMm, EeMmFN)'],
    [
      'FP8',
      'format "FP8": FP8 is two formats, E4M3 (OCP E4M3FN, max 448) and E5M2 (max 57344, ±∞): name one',
    ],
  ]) {
    it(`${spec}: format, round, op, activation`, async () => {
      await expectError(['format', spec], message);
      await expectError(['round', spec, '1'], message);
      await expectError(['op', spec, 'add', '1', '1'], message);
      await expectError(['activation', 'gelu', '--format', spec, '--json'], message);
    });
  }

  it('E0M3, E9M9, E4M3FNUZ in a network file: eval, verify, export-c, info', async () => {
    for (const [spec, message] of [
      ['E0M3', E0M3],
      ['E9M9', E9M9],
      ['E4M3FNUZ', FNUZ],
    ]) {
      const path = net(spec, spec, '0', '1');
      for (const args of [
        ['eval', path, '--input', '1'],
        ['eval', path, '--all'],
        ['verify', path, '--fn', 'x1'],
        ['export-c', path],
        ['info', path],
      ])
        await expectError(args, `${path}: format: ${message}`);
    }
  });

  it('an unknown spec names the float formats too', async () => {
    await expectError(
      ['format', 'Q3'],
      'unknown format "Q3": expected Qm.n, SQm.n, UQm.n, ap_fixed<W,I[,Q,O,N]>, ap_ufixed<W,I[,Q,O,N]>, ap_int<W>, ap_uint<W>, or a float format (E4M3, E5M2, fp16, bf16, EeMm, EeMmFN)',
    );
  });
});

describe('inf and NaN where a finite value is required', () => {
  it('network parameters: eval, verify, export-c, info', async () => {
    const cases: Array<[string, string]> = [
      [
        net('bias-inf', 'E4M3', 'inf', '1'),
        'layers[0].neurons[0].bias: "inf" is not finite (a finite value of E4M3 is required)',
      ],
      [
        net('w-nan', 'E5M2', '0', 'nan'),
        'layers[0].neurons[0].edges[0][1]: "nan" is not finite (a finite value of E5M2 is required)',
      ],
      [
        net('bias-ninf', 'fp16', '-inf', '1'),
        'layers[0].neurons[0].bias: "-inf" is not finite (a finite value of fp16 is required)',
      ],
    ];
    for (const [path, message] of cases)
      for (const args of [
        ['eval', path, '--input', '1'],
        ['verify', path, '--fn', 'x1'],
        ['export-c', path],
        ['info', path],
      ])
        await expectError(args, `${path}: ${message}`);
  });

  it('activation --at, verify --table, operands and inputs where the format has no infinities', async () => {
    await expectError(
      ['activation', 'gelu', '--format', 'E4M3', '--at', 'inf'],
      '--at: "inf" is not finite (a finite value of E4M3 is required)',
    );
    await expectError(
      ['activation', 'gelu', '--format', 'E5M2', '--at', 'nan'],
      '--at: "nan" is not finite (a finite value of E5M2 is required)',
    );
    const path = net('ok', 'E4M3', '0', '1');
    const table = join(dir, 't.csv');
    writeFileSync(table, 'x1,y\n-inf,0\n');
    await expectError(
      ['verify', path, '--table', table],
      `${table}: line 2: x1: "-inf" is not finite (a finite value of E4M3 is required)`,
    );
    await expectError(
      ['op', 'E4M3', 'mul', 'inf', '2'],
      'a: "inf" is not a value of E4M3 (it has no infinities)',
    );
    await expectError(
      ['eval', path, '--input', '-inf'],
      '--input x1: "-inf" is not a value of E4M3 (it has no infinities)',
    );
    await expectError(
      ['round', 'E4M3', 'inf', '--overflow', 'error'],
      'overflow: inf has no value in E4M3 (it has no infinities)',
    );
  });
});
