import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { errorLine, main } from '../src/cli/main.js';
import { formatDuration, startProgress } from '../src/cli/progress.js';
import { mapEstimateSeconds } from '../src/cli/reproduce-command.js';
import { parseFormat } from '../src/format.js';
import { decimalsOf } from '../src/network/exhaustive-tasks.js';
import { codeToDecimal } from '../src/value.js';
import { ensureBuilt, expectOneLineError, ROOT, type SpawnRun, spawnFxnn } from './spawn-cli.js';
import { theoryNetJson } from './theory-net.js';

let tmp = '';
const file = (name: string) => join(tmp, name);

type Run = SpawnRun;

function fxnn(args: string[], input = ''): Run {
  return spawnFxnn(args, { cwd: tmp, input });
}

/** relu(x1 − x2/4 + 0.5), then ×1.5 (THEORY §4), on Q2.2: 1024 inputs keep the runs short. */
const NET = theoryNetJson('Q2.2');

beforeAll(() => {
  ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'fxnn-hostile-'));
  writeFileSync(file('net.json'), JSON.stringify(NET));
  mkdirSync(file('plots.svg'));
  writeFileSync(
    file('big.json'),
    JSON.stringify({ ...NET, format: 'Q7.8', inputs: 3, layers: [NET.layers[1]] }),
  );
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('exit statuses', () => {
  it('--version prints the version of package.json, status 0', () => {
    const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
    const r = fxnn(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${version}\n`);
  });

  it('verify: 0 when equal, 1 only for mismatches, 2 for errors (also a bad expression)', () => {
    expect(fxnn(['verify', 'net.json', '--fn', 'x1']).status).toBe(1);
    const all = fxnn(['eval', 'net.json', '--all', '--out', 'table.csv']);
    expect(all.status, all.stderr).toBe(0);
    expect(fxnn(['verify', 'net.json', '--table', 'table.csv']).status).toBe(0);
    expectOneLineError(fxnn(['verify', 'missing.json', '--fn', 'x1']), /^error: missing\.json: /);
    expectOneLineError(fxnn(['verify', 'net.json', '--fn', 'x1 +']), /^error: /);
    expectOneLineError(fxnn(['verify', 'net.json']), /^error: verify: give the target/);
    expectOneLineError(fxnn(['verify', 'net.json', '--fn', 'x1', '--bogus']), /^error: unknown option/);
  });

  it('an unexpected exception is one line "error: internal: …", status 2; its stack only under --debug', async () => {
    const run = async (argv: string[]) => {
      let stderr = '';
      const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => {
        throw new TypeError('boom');
      });
      const log = vi.spyOn(console, 'log').mockImplementation(() => {
        throw new TypeError('boom');
      });
      const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => {
        stderr += String(chunk);
        return true;
      });
      try {
        return { status: await main(argv), stderr };
      } finally {
        out.mockRestore();
        log.mockRestore();
        err.mockRestore();
      }
    };
    const plain = await run(['format', 'Q3.4']);
    expect(plain.status).toBe(2);
    expect(plain.stderr).toBe('error: internal: TypeError: boom (run with --debug for the stack)\n');
    const debug = await run(['format', 'Q3.4', '--debug']);
    expect(debug.status).toBe(2);
    expect(debug.stderr).toMatch(/^error: internal: TypeError: boom\nTypeError: boom\n\s+at /);
    expect(errorLine(new RangeError('Maximum call stack size exceeded'), false)).toBe(
      'error: internal: RangeError: Maximum call stack size exceeded (run with --debug for the stack)',
    );
  });
});

describe('refusing destroys nothing; output paths are checked before the work', () => {
  it('eval --all --out keep.csv refused by its estimate leaves keep.csv as it was, and no temporary file', () => {
    writeFileSync(file('keep.csv'), 'precious\n');
    const r = fxnn(['eval', 'big.json', '--all', '--out', 'keep.csv']);
    expectOneLineError(
      r,
      /^error: eval --all: Q7\.8\^3 has 281474976710656 inputs; the run would take about [^\n]* on \d threads?, more than 10 minutes \(add --force to run it anyway\)\n$/,
    );
    expect(readFileSync(file('keep.csv'), 'utf8')).toBe('precious\n');
    expect(readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('construct --out <a directory> (or a missing folder) fails at once, before the certificate search', () => {
    const args = ['construct', '--activation', 'relu', '--format', 'Q3.4', '--fn', 'x1', '--dims', '1'];
    expectOneLineError(
      fxnn([...args, '--out', tmp]),
      `error: --out: "${tmp}" is a directory, expected a file name`,
    );
    expectOneLineError(
      fxnn([...args, '--plot', 'no/such/folder/p.svg']),
      'error: --plot: the folder of "no/such/folder/p.svg" does not exist',
    );
  });

  it('construct beyond 2^20 inputs is refused before any work', () => {
    const r = fxnn(['construct', '--activation', 'relu', '--format', 'Q7.8', '--fn', 'x1+x2', '--dims', '2']);
    expectOneLineError(
      r,
      /^error: \|𝕀\|\^d = 65536\^2 = 4294967296 inputs; construct handles up to 1048576\n$/,
    );
    expect(r.ms).toBeLessThan(10_000);
  });

  it('activation --plot into a directory fails before the table', () => {
    expectOneLineError(
      fxnn(['activation', 'relu', '--format', 'Q3.4', '--plot', 'plots.svg']),
      /^error: --plot: .* is a directory, expected a file name\n$/,
    );
  });

  it('a successful --out replaces the file whole', () => {
    writeFileSync(file('t2.csv'), 'old\n');
    expect(fxnn(['eval', 'net.json', '--all', '--out', 't2.csv']).status).toBe(0);
    const lines = readFileSync(file('t2.csv'), 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('x1,x2,y1');
    expect(lines).toHaveLength(1025);
  });
});

describe('long work: estimates, refusals, progress', () => {
  it('reproduce --claims --max-bits 16 (four 16-bit maps) is refused at once with its estimate', () => {
    const r = fxnn(['reproduce', '--claims', '--max-bits', '16', '--workers', '2', '--no-cache']);
    expectOneLineError(
      r,
      /^error: reproduce: --max-bits 16 is 7448 cells \(4 maps of 14 activations × every format of 3 to 16 bits\); the run would take about \d+ min \d+ s on 2 threads, more than 10 minutes \(add --force to run it anyway\)\n$/,
    );
    expect(r.ms).toBeLessThan(10_000);
  });

  it('the estimate grows with the bits and falls with the threads', () => {
    for (let b = 3; b < 16; b++)
      expect(mapEstimateSeconds(b + 1, 2)).toBeGreaterThan(mapEstimateSeconds(b, 2));
    expect(mapEstimateSeconds(8, 1)).toBeCloseTo(2 * mapEstimateSeconds(8, 2));
  });

  it('on a pipe, progress is a line per tenth after the first two seconds, then a final line', () => {
    let now = 0;
    const clock = vi.spyOn(performance, 'now').mockImplementation(() => now);
    const lines: string[] = [];
    const stream = { isTTY: false, write: (t: string) => lines.push(t) } as unknown as NodeJS.WriteStream;
    try {
      const p = startProgress('verify', 1000, 'inputs', { stream });
      now = 1000;
      p.update(500); // under 2 s: quiet
      for (let done = 510; done < 1000; done += 10) {
        now += 100;
        p.update(done);
      }
      p.stop();
    } finally {
      clock.mockRestore();
    }
    expect(lines[0]).toBe('verify: 60% (600/1000 inputs), 2 s, about 1 s left\n');
    expect(lines.slice(0, -1).map((l) => l.split(':')[1].trim().split('%')[0])).toEqual([
      '60',
      '70',
      '80',
      '90',
    ]);
    expect(lines.at(-1)).toBe('verify: done, 1000 inputs in 6 s\n');
  });

  it('durations read as a person would say them, never in exponent form', () => {
    expect(formatDuration(0.25)).toBe('250 ms');
    expect(formatDuration(42)).toBe('42 s');
    expect(formatDuration(200)).toBe('3 min 20 s');
    expect(formatDuration(7500)).toBe('2 h 5 min');
    expect(formatDuration(3 * 86400 + 4 * 3600)).toBe('3 days 4 h');
    expect(formatDuration(1.3 * 365.25 * 86400)).toBe('1.3 years');
    expect(formatDuration(2500 * 365.25 * 86400)).toBe('2,500 years');
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e30, noNaN: true }), (s) => {
        const text = formatDuration(s);
        expect(text).toMatch(
          /^(\d+ ms|\d+ s|\d+ min \d+ s|\d+ h \d+ min|\d+ days \d+ h|\d+\.\d years|[\d,]+ years|more than a billion years)$/,
        );
      }),
    );
  });
});

describe('streaming', () => {
  it('op --batch: an error on line N keeps the results of lines 1 … N−1', () => {
    const r = fxnn(['op', 'Q3.4', '--batch', '-'], 'add 1 2\n# c\nmul 0.5 0.5\ndiv 1 0\nadd 1 1\n');
    expect(r.stdout).toBe('3\n0.25\n');
    expectOneLineError(r, 'error: batch line 4: division by zero: b is 0');
  });

  it('activation tables stream as the same text and JSON as before', () => {
    const text = fxnn(['activation', 'tanh', '--format', 'Q1.1', '--csv']);
    expect(text.stdout).toBe('x,y\n-2,-1\n-1.5,-1\n-1,-1\n-0.5,-0.5\n0,0\n0.5,0.5\n1,1\n1.5,1\n');
    const json = fxnn(['activation', 'leaky-relu', '--alpha', '0.25', '--format', 'Q1.1', '--json']);
    expect(json.stdout).toBe(
      '{"format":"Q1.1","activation":{"name":"leaky-relu","alpha":"0.25"},"rounding":"nearest-even","overflow":"saturate","x0":-4,"codes":[-1,-1,0,0,0,1,2,3],"values":["-0.5","-0.5","0","0","0","0.5","1","1.5"]}\n',
    );
    const big = fxnn(['activation', 'relu', '--format', 'Q9.8', '--json']);
    const parsed = JSON.parse(big.stdout);
    expect(parsed.codes).toHaveLength(1 << 18);
    expect(parsed.values[0]).toBe('0');
    expect(parsed.values.at(-1)).toBe('511.99609375');
  });

  it('decimalsOf equals codeToDecimal on formats beyond 2^16 values (property)', () => {
    for (const spec of ['Q11.12', 'UQ8.16', 'SQ3.16', 'Q20.3', 'Q23.0']) {
      const f = parseFormat(spec);
      const decimal = decimalsOf(f);
      fc.assert(
        fc.property(fc.integer({ min: Number(f.minCode), max: Number(f.maxCode) }), (c) => {
          expect(decimal(c)).toBe(codeToDecimal(BigInt(c), f));
        }),
        { numRuns: 300 },
      );
      for (const c of [f.minCode, f.maxCode, 0n, -1n, 1n].filter((c) => c >= f.minCode))
        expect(decimal(Number(c))).toBe(codeToDecimal(c, f));
    }
  });

  it('eval --all under overflow error reports the overflowing rows and keeps the table', () => {
    const net = { ...NET, format: 'Q1.1', overflow: 'error', inputs: 1, layers: [NET.layers[1]] };
    writeFileSync(file('ov.json'), JSON.stringify(net));
    const r = fxnn(['eval', 'ov.json', '--all']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('x1,y1\n-2,overflow\n-1.5,-2\n-1,-1.5\n-0.5,-1\n0,0\n0.5,1\n1,1.5\n1.5,overflow\n');
    expect(r.stderr).toBe(
      'eval --all: 2 of 8 inputs overflow under overflow mode error (their outputs read "overflow"); the first: overflow in layers[0].neurons[0] (the product w ⊗ h of edges[0]) at input (-2): -3 is outside Q1.1 [-2, 1.5]\n',
    );
  });
});

describe('messages', () => {
  it('a one-value format is trivially universal', () => {
    const r = fxnn(['check', '--activation', 'relu', '--format', 'SQ0.0', '--json']);
    expect(r.status).toBe(0);
    const v = JSON.parse(r.stdout);
    expect(v.verdict).toBe('universal');
    expect(v.reason).toContain('SQ0.0 has one value, 0: every f : 𝕀^d → 𝕀 is the constant 0');
  });

  it('check --help lists exactly the keys of check --json', () => {
    const help = fxnn(['check', '--help']).stdout.replace(/\s+/g, ' ');
    const listed = /print (\{[^}]*\})/.exec(help)?.[1];
    const keys = Object.keys(
      JSON.parse(fxnn(['check', '--activation', 'relu', '--format', 'Q1.1', '--json']).stdout),
    );
    expect(JSON.parse(`[${listed!.slice(1, -1)}]`)).toEqual(keys);
  });

  it('a bad construct table header names the expected form', () => {
    writeFileSync(file('bad.csv'), 'a,b\n1,2\n');
    expectOneLineError(
      fxnn(['construct', '--activation', 'relu', '--format', 'Q1.1', '--table', 'bad.csv']),
      'error: bad.csv line 1: the header must be x1,…,xd,y with d ≥ 1 (e.g. x1,x2,y), got "a,b"',
    );
  });

  it('the construct suggestion is a check command the CLI accepts', () => {
    const r = fxnn([
      'construct',
      '--activation',
      'leaky-relu:alpha=0.1',
      '--format',
      'Q1.1',
      '--fn',
      'x1',
      '--overflow',
      'error',
    ]);
    // not universal under `error` (under wrap construct builds the network from the certificate that decides)
    const command = /run: fxnn (check .*)\n$/.exec(r.stderr)?.[1];
    expect(command).toBe('check --activation leaky-relu:alpha=0.1 --format Q1.1 --overflow error');
    expect(fxnn(command!.split(' ')).status).toBe(0);
  });

  it('a JSON number beyond the double range is named as such; huge bit counts are not "Infinity"', () => {
    writeFileSync(file('w.json'), JSON.stringify(NET).replace('"0.5"', '1e400'));
    expectOneLineError(
      fxnn(['info', 'w.json']),
      /^error: .*layers\[0\]\.neurons\[0\]\.bias: expected a decimal string or a number, got a number beyond the double range/,
    );
    expectOneLineError(
      fxnn(['format', `Q${'9'.repeat(400)}.0`]),
      /has more than 9007199254740991 total bits; fxnn supports 1 to 64\n$/,
    );
  });

  it('export-c --name printf is refused', () => {
    expectOneLineError(
      fxnn(['export-c', 'net.json', '--name', 'printf']),
      'error: name: "printf" clashes with a C keyword or a name of the C library or <stdint.h>',
    );
  });
});
