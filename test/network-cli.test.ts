/**
 * The network commands `eval`, `verify`, `info` and `export-c`, run in-process through main(argv)
 * (plus one run of bin/fxnn.js), with their outputs, exit statuses and one-line errors.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.js';
import { allInputs } from '../src/network/input-space.js';
import { parseNetworkJson } from '../src/network/network-json.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';
import { codeToDecimal } from '../src/value.js';

const ROOT = join(import.meta.dirname, '..');
let tmp = '';
const file = (name: string) => join(tmp, name);

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

async function fxnn(...argv: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => {
    stderr += String(chunk);
    return true;
  });
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

/** THEORY §4's example: relu(x1 − x2/4 + 0.5), then ×1.5. */
const NET = {
  fxnn: 1,
  format: 'Q3.4',
  rounding: 'nearest-even',
  overflow: 'saturate',
  accumulation: 'sequential',
  bias: 'last',
  weights: 'all',
  inputs: 2,
  layers: [
    {
      activation: 'relu',
      neurons: [
        {
          bias: '0.5',
          edges: [
            [0, '1'],
            [1, '-0.25'],
          ],
        },
      ],
    },
    { activation: 'identity', neurons: [{ bias: '0', edges: [[0, '1.5']] }] },
  ],
};
/** max(x1, 0) over Q1.2 (16 values), one input. */
const RELU = {
  fxnn: 1,
  format: 'Q1.2',
  inputs: 1,
  layers: [{ activation: 'relu', neurons: [{ bias: '0', edges: [[0, '1']] }] }],
};

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'fxnn-net-cli-'));
  writeFileSync(file('net.json'), JSON.stringify(NET));
  writeFileSync(file('relu.json'), JSON.stringify(RELU));
  writeFileSync(file('v3.json'), JSON.stringify({ ...NET, fxnn: 3 }));
  writeFileSync(file('broken.json'), '{ "fxnn": 1, ');
  writeFileSync(file('small.json'), JSON.stringify({ ...NET, format: 'Q2.2' }));
  writeFileSync(file('big.json'), JSON.stringify({ ...NET, format: 'Q7.8', inputs: 3 }));
});

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('fxnn eval', () => {
  it('one input: relu(1 − (−2)/4 + 0.5) = 2, ×1.5 = 3', async () => {
    expect(await fxnn('eval', file('net.json'), '--input', '1,-2')).toEqual({
      status: 0,
      stdout: '3\n',
      stderr: '',
    });
    const r = await fxnn('eval', file('net.json'), '--input', '-0.5,0.25', '--json');
    // relu(−0.5 − 0.0625 + 0.5) = relu(−0.0625) = 0
    expect(JSON.parse(r.stdout)).toEqual({ x: ['-0.5', '0.25'], y: ['0'], codes: [0] });
  });

  it('inputs off the grid are an error, or rounded by the network policy with --round-inputs', async () => {
    expect(await fxnn('eval', file('net.json'), '--input', '0.3,1')).toEqual({
      status: 2,
      stdout: '',
      stderr: 'error: --input x1: "0.3" is not a value of Q3.4 (nearest are 0.25 and 0.3125)\n',
    });
    const r = await fxnn('eval', file('net.json'), '--input', '0.3,1', '--round-inputs', '--json');
    expect(JSON.parse(r.stdout).x).toEqual(['0.3125', '1']);
    expect((await fxnn('eval', file('net.json'), '--input', '9,0')).stderr).toBe(
      'error: --input x1: "9" is outside Q3.4 [-8, 7.9375]\n',
    );
  });

  it('wrong numbers of inputs, bad files and missing options are one-line errors', async () => {
    const cases: Array<[string[], string]> = [
      [['eval', file('net.json'), '--input', '1'], 'error: --input: the network has 2 inputs, got 1 value\n'],
      [
        ['eval', file('net.json'), '--input', '1,2,3'],
        'error: --input: the network has 2 inputs, got 3 values\n',
      ],
      [['eval', file('net.json')], 'error: eval: give one of --input x1,…,xd, --inputs <file> or --all\n'],
      [
        ['eval', file('net.json'), '--input', '1,2', '--all'],
        'error: eval: give one of --input x1,…,xd, --inputs <file> or --all\n',
      ],
      [
        ['eval', file('v3.json'), '--input', '1,2'],
        `error: ${file('v3.json')}: fxnn: unknown version 3 (this fxnn reads versions 1 and 2)\n`,
      ],
    ];
    for (const [argv, stderr] of cases)
      expect(await fxnn(...argv)).toEqual({ status: 2, stdout: '', stderr });
    const broken = await fxnn('eval', file('broken.json'), '--input', '1,2');
    expect(broken.status).toBe(2);
    expect(broken.stderr).toMatch(/^error: .*broken\.json: network JSON is malformed: .*\n$/);
    const missing = await fxnn('eval', file('nope.json'), '--input', '1,2');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^error: .*nope\.json: cannot read the network \(ENOENT\)\n$/);
  });

  it('--all writes the CSV x1,x2,y1 with exact decimals, one row per input in lexicographic order', async () => {
    const r = await fxnn('eval', file('net.json'), '--all', '--out', file('all.csv'));
    expect(r).toEqual({ status: 0, stdout: '', stderr: '' });
    const lines = readFileSync(file('all.csv'), 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('x1,x2,y1');
    expect(lines).toHaveLength(65537);
    const net = parseNetworkJson(NET);
    const inputs = [...allInputs(net.format, 2)];
    for (const i of [0, 1, 255, 256, 32768, 40000, 65535]) {
      const x = inputs[i];
      expect(lines[i + 1]).toBe(
        [...x, ...evaluateReference(net, x)].map((c) => codeToDecimal(c, net.format)).join(','),
      );
    }
    const stdout = await fxnn('eval', file('relu.json'), '--all');
    expect(stdout.stdout).toBe(
      'x1,y1\n-2,0\n-1.75,0\n-1.5,0\n-1.25,0\n-1,0\n-0.75,0\n-0.5,0\n-0.25,0\n0,0\n0.25,0.25\n0.5,0.5\n0.75,0.75\n1,1\n1.25,1.25\n1.5,1.5\n1.75,1.75\n',
    );
  });

  it('refuses a run estimated beyond ten minutes without --force', async () => {
    const r = await fxnn('eval', file('big.json'), '--all', '--out', file('big.csv'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /^error: eval --all: Q7\.8\^3 has 281474976710656 inputs; the run would take about .* on \d threads?, more than 10 minutes \(add --force to run it anyway\)\n$/,
    );
  });
});

describe('fxnn verify', () => {
  it('--table: the network’s own CSV verifies (exit 0); a changed row is a mismatch (exit 1)', async () => {
    // the example network in Q2.2 (1024 inputs)
    await fxnn('eval', file('small.json'), '--all', '--out', file('table.csv'));
    expect(await fxnn('verify', file('small.json'), '--table', file('table.csv'))).toEqual({
      status: 0,
      stdout: 'verified: the network equals the target on all 1024 inputs\n',
      stderr: '',
    });
    const lines = readFileSync(file('table.csv'), 'utf8').trimEnd().split('\n');
    // rows in any order, header y; change the output of input (1, -2) from 3 to 2.5
    const changed = lines
      .slice(1)
      .map((l) => (l === '1,-2,3' ? '1,-2,2.5' : l))
      .reverse();
    writeFileSync(file('changed.csv'), `x1,x2,y\n${changed.join('\n')}\n`);
    expect(await fxnn('verify', file('small.json'), '--table', file('changed.csv'))).toEqual({
      status: 1,
      stdout: '1 mismatch out of 1024 inputs\nfirst 1:\n  x = (1, -2): network 3, target 2.5\n',
      stderr: '',
    });
  });

  it('--table: incomplete, duplicated and off-grid tables are errors naming the row (exit 2)', async () => {
    const lines = readFileSync(file('table.csv'), 'utf8').trimEnd().split('\n');
    writeFileSync(file('short.csv'), `${lines.slice(0, -1).join('\n')}\n`);
    writeFileSync(file('dup.csv'), `${lines.join('\n')}\n${lines[5]}\n`);
    writeFileSync(file('grid.csv'), `x1,x2,y\n0.3,0,0\n`);
    expect((await fxnn('verify', file('small.json'), '--table', file('short.csv'))).stderr).toBe(
      `error: ${file('short.csv')}: no row for input (3.75, 3.75); 1 of 1024 inputs are missing\n`,
    );
    expect((await fxnn('verify', file('small.json'), '--table', file('dup.csv'))).stderr).toBe(
      `error: ${file('dup.csv')} line 1026: input (-4, -3) is already given on line 6\n`,
    );
    const grid = await fxnn('verify', file('small.json'), '--table', file('grid.csv'));
    expect(grid).toEqual({
      status: 2,
      stdout: '',
      stderr: `error: ${file('grid.csv')} line 2: x1: "0.3" is not a value of Q2.2 (nearest are 0.25 and 0.5)\n`,
    });
  });

  it('--fn: an exact match exits 0; mismatches are counted and listed (exit 1)', async () => {
    expect(await fxnn('verify', file('relu.json'), '--fn', 'max(x1, 0)')).toEqual({
      status: 0,
      stdout: 'verified: the network equals the target on all 16 inputs\n',
      stderr: '',
    });
    const r = await fxnn('verify', file('relu.json'), '--fn', 'x1 >= 1 ? 1 : relu(x)', '--show', '2');
    expect(r).toEqual({
      status: 1,
      stdout:
        '3 mismatches out of 16 inputs\nfirst 2:\n  x = (1.25): network 1.25, target 1\n  x = (1.5): network 1.5, target 1\n',
      stderr: '',
    });
    const json = await fxnn('verify', file('relu.json'), '--fn', 'tanh(x1)', '--json', '--show', '1');
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({
      inputs: 16,
      mismatches: 12,
      examples: [{ x: ['-2'], network: '0', target: '-1' }],
    });
  });

  it('bad targets are one-line errors', async () => {
    const cases: Array<[string[], string]> = [
      [
        ['verify', file('relu.json')],
        'error: verify: give the target either as --table FILE or as --fn EXPR\n',
      ],
      [
        ['verify', file('relu.json'), '--fn', 'x2'],
        'error: expression "x2": unknown symbol "x2" (the input is x or x1; constants pi and e)\n',
      ],
      [
        ['verify', file('relu.json'), '--fn', '1/x1'],
        'error: expression "1/x1" at x = (0): division by zero\n',
      ],
      [
        ['verify', file('relu.json'), '--fn', 'x1', '--show', '-1'],
        'error: --show: expected a whole number ≥ 0, got "-1"\n',
      ],
    ];
    for (const [argv, stderr] of cases)
      expect(await fxnn(...argv)).toEqual({ status: 2, stdout: '', stderr });
  });
});

describe('fxnn info', () => {
  it('prints format, modes, semantics, sizes and layers', async () => {
    const r = await fxnn('info', file('net.json'));
    expect(r.stdout).toBe(
      [
        'format        Q3.4 (twos-complement, 8 bits)',
        'rounding      nearest-even',
        'overflow      saturate',
        'semantics     sequential accumulation, bias last',
        'weights       all',
        'inputs        2',
        'outputs       1',
        'layers        2',
        'neurons       2',
        'parameters    5 (3 edges + 2 biases)',
        'depth         2',
        'width         1',
        '  layers[0]   relu: 1 neuron, 2 edges',
        '  layers[1]   identity: 1 neuron, 1 edge',
        '',
      ].join('\n'),
    );
    const json = JSON.parse((await fxnn('info', file('net.json'), '--json')).stdout);
    expect(json).toMatchObject({
      format: 'Q3.4',
      parameters: 5,
      neurons: 2,
      depth: 2,
      width: 1,
      inputs: 2,
      outputs: 1,
    });
  });
});

describe('fxnn export-c', () => {
  it('writes C99 that compiles and computes the same outputs', async () => {
    const r = await fxnn('export-c', file('net.json'), '--name', 'theory');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('int theory(const int32_t x[THEORY_INPUTS], int32_t y[THEORY_OUTPUTS])');
    writeFileSync(file('theory.c'), r.stdout);
    writeFileSync(
      file('main.c'),
      '#include <stdio.h>\n#include <stdint.h>\nint theory(const int32_t x[], int32_t y[]);\n' +
        'int main(void) { int32_t x[2] = { 16, -32 }, y[1] = { 0 }; int s = theory(x, y); printf("%d %d\\n", s, (int)y[0]); ' +
        'x[0] = 200; printf("%d\\n", theory(x, y)); return 0; }\n',
    );
    const exe = file('theory');
    execFileSync('cc', ['-std=c99', '-O2', '-Wall', '-Werror', '-o', exe, file('theory.c'), file('main.c')]);
    // (1, −2) → 3 = code 48; an input code outside Q3.4 → −1
    expect(execFileSync(exe).toString()).toBe('0 48\n-1\n');
  });

  it('--out writes a file; a bad name is an error', async () => {
    expect((await fxnn('export-c', file('net.json'), '--out', file('net.c'))).status).toBe(0);
    expect(readFileSync(file('net.c'), 'utf8')).toContain('int network(const int32_t x[NETWORK_INPUTS]');
    expect(await fxnn('export-c', file('net.json'), '--name', '2fast')).toEqual({
      status: 2,
      stdout: '',
      stderr: 'error: name: "2fast" is not a valid C identifier\n',
    });
  });
});

describe('bin/fxnn.js', () => {
  it('runs verify as a user does: exit status 1 on mismatches', () => {
    if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
      execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
    }
    const run = spawnSync(
      process.execPath,
      [join(ROOT, 'bin', 'fxnn.js'), 'verify', file('relu.json'), '--fn', 'x1'],
      {
        encoding: 'utf8',
      },
    );
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^8 mismatches out of 16 inputs\n/);
  });
});
