/**
 * The arithmetic CLI (`format`, `round`, `op`, `tour`) run as a user runs it: `node bin/fxnn.js …`
 * in a child process (`npm test` builds `dist/` first; a missing build is made here). The long list of
 * bad inputs also runs in-process through the same `main(argv)` that `bin/fxnn.js` calls, to keep the
 * number of child processes small; a sample of them goes through `bin/fxnn.js` as well.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.js';
import { dyadicToDecimal } from '../src/core/rational.js';
import { type Format, parseFormat } from '../src/format.js';
import type { Overflow, Rounding } from '../src/policy.js';
import { codeValue, exactOp, type RefOp, rndRef } from './exact-reference.js';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'fxnn.js');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with the given arguments (and standard input). */
function fxnn(args: string[], input?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/**
 * Runs `main(argv)` in this process, capturing what it writes. Standard input is given through a
 * temporary file that replaces the `-` argument.
 */
async function fxnnInProcess(args: string[], input?: string): Promise<Run> {
  let argv = args;
  if (input !== undefined) {
    const file = join(tmp, `stdin-${Math.random().toString(36).slice(2)}.txt`);
    writeFileSync(file, input);
    argv = args.map((a) => (a === '-' ? file : a));
  }
  let stdout = '';
  let stderr = '';
  const capture = (append: (text: string) => void) => (chunk: unknown) => {
    append(String(chunk));
    return true;
  };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture((t) => (stdout += t)));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture((t) => (stderr += t)));
  const log = vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => {
    stdout += `${parts.join(' ')}\n`;
  });
  try {
    return { status: await main(argv), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    log.mockRestore();
  }
}

/** The JSON Lines of a run, each checked to have exactly the result shape. */
function jsonLines(out: string): { value: string; code: number; overflowed: boolean; exact: boolean }[] {
  const lines = out.trimEnd().split('\n');
  return lines.map((line) => {
    const r = JSON.parse(line);
    expect(Object.keys(r)).toEqual(['value', 'code', 'overflowed', 'exact']);
    expect(typeof r.value).toBe('string');
    expect(Number.isInteger(r.code)).toBe(true);
    expect(typeof r.overflowed).toBe('boolean');
    expect(typeof r.exact).toBe('boolean');
    return r;
  });
}

let tmp: string;

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  }
  tmp = mkdtempSync(join(tmpdir(), 'fxnn-cli-'));
});

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe.concurrent('fxnn format', () => {
  it('prints the facts of a format', async () => {
    const r = await fxnn(['format', 'Q3.4']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      [
        'format    Q3.4 (twos-complement)',
        'bits      8 total: 3 integer, 4 fractional, sign',
        'step ε    0.0625',
        'range     [-8, 7.9375]  (codes -128 … 127)',
        'values    256',
        '1 ∈ 𝕀     yes',
        '',
      ].join('\n'),
    );
  });

  it('--json, ap_fixed aliases', async () => {
    const r = await fxnnInProcess(['format', 'ap_fixed<16,6>', '--json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      spec: 'Q5.10',
      encoding: 'twos-complement',
      bits: 16,
      intBits: 5,
      fracBits: 10,
      step: '0.0009765625',
      min: '-32',
      max: '31.9990234375',
      minCode: '-32768',
      maxCode: '32767',
      count: '65536',
      hasOne: true,
    });
    const u = await fxnnInProcess(['format', 'ap_ufixed<8,0>', '--json']);
    expect(JSON.parse(u.stdout)).toMatchObject({ spec: 'UQ0.8', max: '0.99609375', hasOne: false });
  });
});

describe.concurrent('fxnn round', () => {
  it('takes negative values as plain arguments', async () => {
    const r = await fxnn(['round', 'Q3.4', '-0.75', '-1e-3']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('-0.75 -> -0.75  (code -12; exact)\n-1e-3 -> 0  (code 0; rounded)\n');
  });

  it('--json: one JSON object per value, in every spelling of a value', async () => {
    const r = await fxnn(['round', 'Q3.4', '-1/3', '-2.5E+2', '-1.', '-.5', '+3', '.5', '1e-3', '--json']);
    expect(r.status).toBe(0);
    expect(jsonLines(r.stdout)).toEqual([
      { value: '-0.3125', code: -5, overflowed: false, exact: false }, // −5.33 steps
      { value: '-8', code: -128, overflowed: true, exact: false },
      { value: '-1', code: -16, overflowed: false, exact: true },
      { value: '-0.5', code: -8, overflowed: false, exact: true },
      { value: '3', code: 48, overflowed: false, exact: true },
      { value: '0.5', code: 8, overflowed: false, exact: true },
      { value: '0', code: 0, overflowed: false, exact: false },
    ]);
  });

  it('--rounding and --overflow, before or after the values', async () => {
    const a = await fxnnInProcess(['round', 'Q3.4', '--rounding', 'floor', '-0.03125', '0.03125', '--json']);
    expect(jsonLines(a.stdout).map((x) => x.value)).toEqual(['-0.0625', '0']);
    const b = await fxnnInProcess(['round', 'UQ4.0', '-1', '17', '--overflow', 'wrap', '--json']);
    expect(jsonLines(b.stdout)).toEqual([
      { value: '15', code: 15, overflowed: true, exact: false },
      { value: '1', code: 1, overflowed: true, exact: false },
    ]);
    const c = await fxnnInProcess(['round', 'Q3.0', '7.5', '--rounding=nearest-down', '--overflow=error']);
    expect(c.stdout).toBe('7.5 -> 7  (code 7; rounded)\n');
    const d = await fxnnInProcess(['round', 'SQ3.0', '-9']);
    expect(d.stdout).toBe('-9 -> -7  (code -7; overflowed)\n');
  });

  it('rounds long decimals exactly', async () => {
    const x = `-0.0312500000000000000000000000000000000000000000000000000000000000000000000000000000000001`;
    const r = await fxnnInProcess(['round', 'Q3.4', x, '--json']);
    expect(jsonLines(r.stdout)).toEqual([{ value: '-0.0625', code: -1, overflowed: false, exact: false }]);
    const tie = await fxnnInProcess(['round', 'Q3.4', x.replace(/1$/, '0'), '--json']);
    expect(jsonLines(tie.stdout)[0].value).toBe('0'); // −0.5 steps: tie to even code 0
  });
});

describe.concurrent('fxnn op', () => {
  it('add, sub, mul, div with negative operands', async () => {
    const cases: [string[], string][] = [
      [['add', '-1.5', '-0.25'], '-1.75  (code -28; exact)'],
      [['mul', '1.5', '-0.3125'], '-0.5  (code -8; rounded)'],
      [['sub', '-8', '0.0625'], '-8  (code -128; overflowed)'],
      [['div', '-1/2', '-0.25'], '2  (code 32; exact)'],
    ];
    for (const [i, [args, expected]] of cases.entries()) {
      const r = await (i === 0 ? fxnn : fxnnInProcess)(['op', 'Q3.4', ...args]); // the first through bin/
      expect(r.status, args.join(' ')).toBe(0);
      expect(r.stdout).toBe(`${expected}\n`);
    }
  });

  it('--json with modes', async () => {
    const r = await fxnnInProcess(['op', 'Q3.4', 'div', '1', '3', '--rounding', 'ceil', '--json']);
    expect(jsonLines(r.stdout)).toEqual([{ value: '0.375', code: 6, overflowed: false, exact: false }]);
    const w = await fxnnInProcess(['op', 'Q3.0', 'mul', '-8', '-1', '--overflow', 'wrap', '--json']);
    expect(jsonLines(w.stdout)).toEqual([{ value: '-8', code: -8, overflowed: true, exact: false }]);
    const big = await fxnnInProcess(['op', 'Q63.0', 'add', '9223372036854775807', '-1', '--json']);
    expect(big.stdout).toBe(
      '{"value":"9223372036854775806","code":9223372036854775806,"overflowed":false,"exact":true}\n',
    );
  });
});

/** Random batch lines over Q7.8 with the reference result of each (independent of fxnn's kernels). */
function batchCases(
  f: Format,
  rounding: Rounding,
  overflow: Overflow,
  n: number,
  seed: number,
): { lines: string[]; expected: { value: string; code: number; overflowed: boolean; exact: boolean }[] } {
  const op = fc.constantFrom<RefOp>('add', 'sub', 'mul', 'div');
  const code = fc.bigInt({ min: f.minCode, max: f.maxCode });
  const samples = fc.sample(fc.tuple(op, code, code), { numRuns: n, seed });
  const lines: string[] = [];
  const expected = [];
  for (const [o, a, b] of samples) {
    if (o === 'div' && b === 0n) continue;
    lines.push(`${o} ${dyadicToDecimal(a, f.fracBits)} ${dyadicToDecimal(b, f.fracBits)}`);
    const r = rndRef(exactOp(o, codeValue(a, f), codeValue(b, f)), f, rounding, overflow);
    if (r === 'overflow-error') throw new Error('batchCases: use saturate or wrap');
    expected.push({
      value: dyadicToDecimal(r.code, f.fracBits),
      code: Number(r.code),
      overflowed: r.overflowed,
      exact: r.exact,
    });
  }
  return { lines, expected };
}

describe.concurrent('fxnn op --batch', () => {
  const q78 = parseFormat('Q7.8');

  it('reads thousands of lines from a file in one process (JSON Lines, in order)', async () => {
    const { lines, expected } = batchCases(q78, 'nearest-even', 'saturate', 5000, 42);
    const file = join(tmp, 'cases.txt');
    writeFileSync(file, `# a comment\n\n${lines.join('\n')}\n\n`);
    const r = await fxnn(['op', 'Q7.8', '--batch', file, '--json']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(jsonLines(r.stdout)).toEqual(expected);
  });

  it('reads thousands of lines from standard input with - (text output, CRLF lines)', async () => {
    for (const [rounding, overflow, run] of [
      ['floor', 'wrap', fxnn],
      ['nearest-away', 'saturate', fxnnInProcess],
    ] as const) {
      const { lines, expected } = batchCases(q78, rounding, overflow, 3000, rounding.length);
      const args = ['op', 'Q7.8', '--batch', '-', '--rounding', rounding, '--overflow', overflow];
      const r = await run(args, lines.join('\r\n'));
      expect(r.status, rounding).toBe(0);
      expect(r.stdout).toBe(`${expected.map((e) => e.value).join('\n')}\n`);
    }
  });

  it('an empty batch prints nothing', async () => {
    const r = await fxnnInProcess(['op', 'Q3.4', '--batch', '-'], '# nothing\n\n');
    expect(r).toEqual({ status: 0, stdout: '', stderr: '' });
  });
});

describe('bad input: one line "error: …" naming the offending text, exit code 2', () => {
  const cases: [string, string[], string, string?, string?][] = [
    [
      'unknown spec',
      ['format', 'Q3'],
      'error: unknown format "Q3": expected Qm.n, SQm.n, UQm.n, ap_fixed<W,I[,Q,O,N]>, ap_ufixed<W,I[,Q,O,N]>, ap_int<W>, ap_uint<W>, or a float format (E4M3, E5M2, fp16, bf16, EeMm, EeMmFN)',
    ],
    ['unknown spec (round)', ['round', 'float16', '1'], 'error: unknown format "float16"'],
    ['unknown spec (op)', ['op', 'X7.8', 'add', '1', '2'], 'error: unknown format "X7.8"'],
    [
      'bits out of range',
      ['format', 'Q70.1'],
      'error: format "Q70.1" has 72 total bits; fxnn supports 1 to 64',
    ],
    ['zero bits', ['round', 'UQ0.0', '1'], 'error: format "UQ0.0" has 0 total bits; fxnn supports 1 to 64'],
    [
      'bits out of range (ap_fixed)',
      ['format', 'ap_fixed<65,2>'],
      'error: format "ap_fixed<65,2>" has 65 total bits',
    ],
    [
      'unknown rounding',
      ['round', 'Q3.4', '1', '--rounding', 'banker'],
      'error: unknown rounding "banker": expected one of nearest-even,',
    ],
    [
      'unknown overflow',
      ['op', 'Q3.4', 'add', '1', '2', '--overflow', 'clip'],
      'error: unknown overflow "clip": expected one of saturate, wrap, error',
    ],
    [
      'wrap on SQ',
      ['round', 'SQ3.0', '1', '--overflow', 'wrap'],
      'error: overflow "wrap" is not defined for the symmetric format SQ3.0',
    ],
    [
      'value not a number',
      ['round', 'Q3.4', '0.5', 'abc'],
      'error: value: "abc" is not a number (expected a decimal like -0.75 or 1e-3, or a fraction p/q)',
    ],
    ['NaN', ['round', 'Q3.4', 'NaN'], 'error: value: "NaN" is not a number'],
    ['Infinity', ['round', 'Q3.4', 'Infinity'], 'error: value: "Infinity" is not a number'],
    ['-Infinity', ['round', 'Q3.4', '-Infinity'], 'error: value: "-Infinity" is not a number'],
    ['empty value', ['round', 'Q3.4', ''], 'error: value: "" is not a number'],
    ['zero denominator', ['round', 'Q3.4', '-1/0'], 'error: value: "-1/0" has a zero denominator'],
    ['operand not a number', ['op', 'Q3.4', 'mul', '1', '1,5'], 'error: b: "1,5" is not a number'],
    [
      'operand not in the format',
      ['op', 'Q3.4', 'mul', '0.3', '1'],
      'error: a: "0.3" is not a value of Q3.4 (nearest are 0.25 and 0.3125)',
    ],
    ['operand out of range', ['op', 'Q3.4', 'add', '-9', '1'], 'error: a: "-9" is outside Q3.4 [-8, 7.9375]'],
    [
      'unknown operation',
      ['op', 'Q3.4', 'pow', '1', '2'],
      'error: unknown operation "pow": expected one of add, sub, mul, div',
    ],
    ['division by zero', ['op', 'Q3.4', 'div', '1', '-0'], 'error: division by zero: b is 0'],
    [
      'overflow error',
      ['op', 'Q3.4', 'mul', '4', '2', '--overflow', 'error'],
      'error: overflow: 8 is outside Q3.4 [-8, 7.9375]',
    ],
    ['missing operands', ['op', 'Q3.4', 'add', '1'], 'error: op: expected OP A B'],
    [
      'operands and --batch',
      ['op', 'Q3.4', 'add', '1', '2', '--batch', '-'],
      'error: op: give either OP A B or --batch, not both',
    ],
    [
      'missing batch file',
      ['op', 'Q3.4', '--batch', '/nonexistent/cases.txt'],
      'error: --batch: cannot read "/nonexistent/cases.txt" (ENOENT: no such file)',
    ],
    ['unknown option', ['round', 'Q3.4', '1', '--precise'], "error: unknown option '--precise'"],
    ['missing argument', ['round', 'Q3.4'], "error: missing required argument 'value'"],
    ['unknown command', ['frobnicate'], "error: unknown command 'frobnicate'"],
    [
      'malformed batch line',
      ['op', 'Q3.4', '--batch', '-'],
      'error: batch line 3: expected "OP A B", got "mul 0.5" (2 fields)',
      'add 1 2\n\nmul 0.5\nadd 1 1\n',
      '3\n', // the results of the lines before the error are kept (issue 16)
    ],
    [
      'batch: unknown operation',
      ['op', 'Q3.4', '--batch', '-'],
      'error: batch line 2: unknown operation "times"',
      '# ok\ntimes 1 2\n',
    ],
    [
      'batch: value not a number',
      ['op', 'Q3.4', '--batch', '-'],
      'error: batch line 4: a: "one" is not a number',
      'add 1 2\nsub 1 2\nmul 1 2\nadd one 2\n',
      '3\n-1\n2\n',
    ],
    [
      'batch: not a value',
      ['op', 'Q3.4', '--batch', '-'],
      'error: batch line 1: b: "0.01" is not a value of Q3.4',
      'mul 1 0.01\n',
    ],
    [
      'batch: division by zero',
      ['op', 'Q3.4', '--batch', '-'],
      'error: batch line 2: division by zero: b is 0',
      'div 1 2\ndiv 1 0\n',
      '0.5\n',
    ],
    [
      'batch: overflow error',
      ['op', 'Q3.4', '--batch', '-', '--overflow', 'error'],
      'error: batch line 1: overflow: 14 is outside Q3.4',
      'add 7 7\n',
    ],
  ];
  const expectOneLineError = (r: Run, message: string, stdout = '') => {
    expect(r.status).toBe(2);
    expect(r.stdout).toBe(stdout);
    expect(r.stderr.startsWith(message), r.stderr).toBe(true);
    expect(r.stderr.endsWith('\n')).toBe(true);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1); // one line, no stack trace
    expect(r.stderr).not.toMatch(/\bat .*\.js/);
  };

  it.each(cases)('%s', async (_name, args, message, input, stdout) => {
    expectOneLineError(await fxnnInProcess(args, input), message, stdout);
  });

  const throughBin = [
    'unknown spec',
    'bits out of range',
    'unknown rounding',
    '-Infinity',
    'division by zero',
    'malformed batch line',
    'unknown option',
  ];
  it.concurrent.each(cases.filter(([name]) => throughBin.includes(name)))(
    '%s, through bin/fxnn.js',
    async (_name, args, message, input, stdout) => {
      expectOneLineError(await fxnn(args, input), message, stdout);
    },
  );
});

describe('--help shows examples', () => {
  it.each(['format', 'round', 'op', 'tour'])('fxnn %s --help', async (command) => {
    const r = await fxnnInProcess([command, '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`Usage: fxnn ${command}`);
    expect(r.stdout).toMatch(new RegExp(`Examples:\\n {2}fxnn ${command}\\b`));
  });

  it('fxnn round --help, through bin/fxnn.js', async () => {
    const r = await fxnn(['round', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Examples:\n  fxnn round Q3.4 -0.75 -1e-3');
  });

  it('the top-level help lists the commands', async () => {
    const r = await fxnnInProcess(['--help']);
    expect(r.status).toBe(0);
    for (const command of ['format', 'round', 'op', 'tour']) expect(r.stdout).toContain(`  ${command} `);
  });

  it('the tour runs', async () => {
    const r = await fxnn(['tour']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Format Q3.4: 8 bits, step 0.0625, range [-8, 7.9375], 256 values.');
    expect(r.stdout).toContain('1.5 ⊗ -0.3125 = rnd(-0.46875) = -0.5 (code -8)');
  });
});

describe('the CLI under a closed pipe', () => {
  it('a reader that stops early (| head -1) ends the CLI quietly: no EPIPE stack trace on stderr', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fxnn-pipe-'));
    const err = join(dir, 'stderr.txt');
    const out = execFileSync(
      'sh',
      ['-c', 'node bin/fxnn.js activation relu --format Q7.8 --csv 2>"$1" | head -1', 'sh', err],
      { encoding: 'utf8' },
    );
    expect(out).toBe('x,y\n');
    expect(readFileSync(err, 'utf8')).toBe('');
    rmSync(dir, { recursive: true });
  });
});
