import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.js';
import { activationTable, codeToDecimal, makePolicy, parseActivation, parseFormat } from '../src/index.js';

/** `fxnn activation …` run in-process, capturing stdout and stderr. */
let out = '';
let err = '';
beforeEach(() => {
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => {
    out += `${a.join(' ')}\n`;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
});

const dir = mkdtempSync(join(tmpdir(), 'fxnn-activation-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) => main(['activation', ...args]);

describe('fxnn activation', () => {
  it('prints the table of a format, one "x<TAB>σ_F(x)" line per value, and how the points were decided', async () => {
    expect(await run('relu', '--format', 'Q1.1')).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines.slice(0, -1)).toEqual([
      '-2\t0',
      '-1.5\t0',
      '-1\t0',
      '-0.5\t0',
      '0\t0',
      '0.5\t0.5',
      '1\t1',
      '1.5\t1.5',
    ]);
    expect(lines.at(-1)).toMatch(
      /^# relu in Q1\.1, nearest-even, saturate: 8 points: 0 by the double path, 8 exact, 0 by the decimal fallback/,
    );
  });

  it('prints one JSON object with format, activation, rounding, overflow, x0, codes and exact values', async () => {
    expect(await run('silu', '--format', 'Q3.4', '--rounding', 'floor', '--json')).toBe(0);
    const j = JSON.parse(out);
    expect(Object.keys(j)).toEqual(['format', 'activation', 'rounding', 'overflow', 'x0', 'codes', 'values']);
    const f = parseFormat('Q3.4');
    const table = activationTable(parseActivation('silu'), f, makePolicy(f, { rounding: 'floor' }));
    expect(j).toMatchObject({
      format: 'Q3.4',
      activation: 'silu',
      rounding: 'floor',
      overflow: 'saturate',
      x0: -128,
    });
    expect(j.codes).toEqual(Array.from(table));
    expect(j.values).toEqual(Array.from(table, (c) => codeToDecimal(BigInt(c), f)));
  });

  it('takes α, writes parameters in the JSON form, marks overflowed points under "error"', async () => {
    expect(await run('leaky-relu', '--alpha', '0.1', '--format', 'Q1.2', '--json')).toBe(0);
    expect(JSON.parse(out).activation).toEqual({ name: 'leaky-relu', alpha: '0.1' });
    out = '';
    expect(
      await run('softplus', '--format', 'Q3.0', '--rounding', 'ceil', '--overflow', 'error', '--json'),
    ).toBe(0);
    const j = JSON.parse(out);
    expect(j.codes.at(-1)).toBeNull();
    expect(j.values.at(-1)).toBeNull();
    expect(j.codes.at(-2)).toBe(7);
  });

  it('evaluates single points with --at, negative ones included', async () => {
    expect(await run('gelu', '--format', 'Q7.8', '--rounding', 'floor', '--at', '127', '-8', '-1/2')).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^σ_F\(127\) = 126\.99609375 {2}\(code 32511; σ\(x\) ≈ 127 − tiny/);
    expect(lines[1]).toMatch(/^σ_F\(-8\) = -0\.00390625 {2}\(code -1; σ\(x\) ≈ -4\.97676845941742\d*e-15\)/);
    expect(lines[2]).toMatch(/^σ_F\(-0\.5\) = -0\.15625 /);
    out = '';
    expect(
      await run('silu', '--format', 'Q7.8', '--rounding', 'floor', '--at', '127', '--json', '--stats'),
    ).toBe(0);
    expect(JSON.parse(out)).toEqual({
      format: 'Q7.8',
      activation: 'silu',
      rounding: 'floor',
      overflow: 'saturate',
      x: ['127'],
      codes: [32511],
      values: ['126.99609375'],
    });
    expect(err).toMatch(/1 points: 1 by the double path/);
  });

  it('writes CSV that reads back as a LUT, and evaluates expressions', async () => {
    expect(await run('tanh', '--format', 'Q2.3', '--csv')).toBe(0);
    const csv = out;
    expect(csv.split('\n')[0]).toBe('x,y');
    const file = join(dir, 'tanh.csv');
    writeFileSync(file, csv);
    out = '';
    expect(await run('lut', '--lut', file, '--format', 'Q2.3', '--csv')).toBe(0);
    expect(out).toBe(csv);
    out = '';
    expect(await run('expr', '--expr', '(exp(2*x)-1)/(exp(2*x)+1)', '--format', 'Q2.3', '--csv')).toBe(0);
    expect(out).toBe(csv);
  });

  it('draws σ and the staircase σ_F into an SVG file', async () => {
    const file = join(dir, 'sigmoid.svg');
    expect(await run('sigmoid', '--format', 'Q2.3', '--plot', file)).toBe(0);
    const svg = readFileSync(file, 'utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('sigmoid in Q2.3, nearest-even, overflow saturate');
    expect((svg.match(/<path /g) ?? []).length).toBe(2);
    // the staircase has one horizontal segment per value of the format
    const stairs = svg.match(/<path d="([^"]*)" fill="none" stroke="#d62728"/)![1];
    expect((stairs.match(/L/g) ?? []).length).toBeGreaterThanOrEqual(64);
  });

  it.each([
    [['relu'], /--format <spec> is required/],
    [['swish', '--format', 'Q3.4'], /unknown activation "swish"/],
    [['relu', '--format', 'Q3.4', '--alpha', '0.1'], /relu takes no parameters/],
    [['leaky-relu', '--format', 'Q3.4', '--alpha', 'x'], /leaky-relu alpha: "x" is not a number/],
    [['lut', '--format', 'Q3.4'], /give the table with --lut FILE/],
    [['expr', '--format', 'Q3.4'], /give the expression with --expr/],
    [['expr', '--format', 'Q3.4', '--expr', 'log(x)'], /undefined at x = -8/],
    [['relu', '--format', 'Q3.4', '--expr', 'x'], /--expr is only for the activation "expr"/],
    [['relu', '--format', 'Q3.4', '--at'], /--at needs at least one point/],
    [['relu', '--format', 'Q3.4', '0.5'], /points need --at/],
    [['relu', '--format', 'Q3.4', '--at', '0.3'], /x: "0.3" is not a value of Q3.4/],
    [['relu', '--format', 'Q3.4', '--json', '--csv'], /choose one of --json and --csv/],
    [['relu', '--format', 'Q3.4', '--plot', 'x.png'], /--plot: expected a file name ending in .svg/],
    [['relu', '--format', 'Q30.0'], /at most 24 bits/],
    [['relu', '--format', 'Q3.4', '--rounding', 'up'], /unknown rounding "up"/],
  ])('fails cleanly on %j', async (args, message) => {
    expect(await run(...args)).toBe(2);
    expect(err).toMatch(/^error: /);
    expect(err).toMatch(message);
    expect(err.trimEnd().split('\n')).toHaveLength(1);
  });

  it('fails cleanly on a missing LUT file', async () => {
    expect(await run('lut', '--lut', join(dir, 'missing.csv'), '--format', 'Q3.4')).toBe(2);
    expect(err).toMatch(/^error: ENOENT/);
  });
});
