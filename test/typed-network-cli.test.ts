/**
 * The CLI on version 2 networks (through bin/fxnn.js, built by `npm test`): eval --inputs (CSV with and
 * without a header, .npy, --round-inputs, errors naming the row, no file left behind), info, verify,
 * export-c; outputs checked against the reference evaluator.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roundValue } from '../src/fixed.js';
import { outputType } from '../src/network/typed-network.js';
import { parseTypedNetworkJson } from '../src/network/typed-network-json.js';
import { evaluateTypedReference } from '../src/network/typed-reference.js';
import { codeToDecimal } from '../src/value.js';
import { spawnFxnn } from './spawn-cli.js';

const _ROOT = join(import.meta.dirname, '..');
let tmp = '';
const file = (name: string) => join(tmp, name);

function fxnn(...argv: string[]) {
  const { status, stdout, stderr } = spawnFxnn(argv);
  return { status, stdout, stderr };
}

const NET = {
  fxnn: 2,
  inputs: 2,
  input: 'ap_fixed<8,3>',
  layers: [
    {
      kind: 'dense',
      name: 'Gemm_0',
      types: {
        weight: 'ap_fixed<8,2,AP_RND,AP_SAT>',
        bias: 'ap_fixed<8,3>',
        accum: 'ap_fixed<12,5,AP_RND_INF,AP_SAT_SYM>',
        result: 'ap_fixed<8,3>',
      },
      neurons: [
        {
          bias: '0.5',
          edges: [
            [0, '1.25'],
            [1, '-0.75'],
          ],
        },
        {
          bias: '-0.25',
          edges: [
            [0, '0.5'],
            [1, '1.5'],
          ],
        },
      ],
    },
    { kind: 'activation', name: 'Relu_1', activation: 'relu', types: { result: 'ap_ufixed<8,3>' } },
    {
      kind: 'dense',
      name: 'Gemm_2',
      types: {
        weight: 'ap_fixed<8,2>',
        bias: 'ap_fixed<8,2>',
        accum: 'ap_fixed<16,6>',
        result: 'ap_fixed<16,6>',
      },
      neurons: [
        {
          bias: '0.125',
          edges: [
            [0, '1'],
            [1, '-1.5'],
          ],
        },
      ],
    },
    {
      kind: 'activation',
      name: 'Sigmoid_3',
      activation: 'sigmoid',
      types: { result: 'ap_fixed<16,6>' },
      table: { size: 1024 },
    },
  ],
};

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'fxnn-v2-cli-'));
  writeFileSync(file('net.json'), JSON.stringify(NET));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function reference(rows: string[][]): string[] {
  const net = parseTypedNetworkJson(NET);
  const fmt = outputType(net).format;
  return rows.map((r) =>
    evaluateTypedReference(
      net,
      r.map((v) => roundValue('ap_fixed<8,3>', v).code),
    )
      .map((c) => codeToDecimal(c, fmt))
      .join(','),
  );
}

describe('eval --inputs on a version 2 network', () => {
  it('CSV with a header, --round-inputs, --out: one exact row per input, equal to the reference', () => {
    const rows = [
      ['1.5', '-0.25'],
      ['0.3', '2'],
      ['-1', '1'],
      ['3.99', '3.99'],
      ['-4', '-4.5'],
    ];
    writeFileSync(file('X.csv'), `x1,x2\n${rows.map((r) => r.join(',')).join('\n')}\n`);
    const r = fxnn(
      'eval',
      file('net.json'),
      '--inputs',
      file('X.csv'),
      '--round-inputs',
      '--out',
      file('Y.csv'),
    );
    expect(r).toMatchObject({ status: 0, stderr: '' });
    expect(readFileSync(file('Y.csv'), 'utf8')).toBe(`y1\n${reference(rows).join('\n')}\n`);
  });

  it('CSV without a header to standard output; a .npy float32 array gives the same rows', () => {
    writeFileSync(file('A.csv'), '1.5,-0.25\n0.5,2\n');
    const csv = fxnn('eval', file('net.json'), '--inputs', file('A.csv'));
    expect(csv.status).toBe(0);
    expect(csv.stdout).toBe(
      `y1\n${reference([
        ['1.5', '-0.25'],
        ['0.5', '2'],
      ]).join('\n')}\n`,
    );
    const header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }";
    const padded = `${header}${' '.repeat(128 - 10 - header.length - 1)}\n`;
    const data = Buffer.alloc(16);
    for (const [i, v] of [1.5, -0.25, 0.5, 2].entries()) data.writeFloatLE(v, 4 * i);
    const pre = Buffer.from([0x93, ...Buffer.from('NUMPY'), 1, 0, padded.length, 0]); // header length < 256
    writeFileSync(file('A.npy'), Buffer.concat([pre, Buffer.from(padded, 'latin1'), data]));
    expect(fxnn('eval', file('net.json'), '--inputs', file('A.npy')).stdout).toBe(csv.stdout);
  });

  it('a row with the wrong number of columns, or a value not of the input type: one error naming the row; no file', () => {
    writeFileSync(file('bad.csv'), 'x1,x2\n1,2\n3\n');
    const r = fxnn('eval', file('net.json'), '--inputs', file('bad.csv'), '--out', file('Z.csv'));
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `error: --inputs ${file('bad.csv')}: row 2 (line 3) has 1 value; the network has 2 inputs\n`,
    );
    expect(existsSync(file('Z.csv'))).toBe(false);
    writeFileSync(file('bad2.csv'), '0.3,1\n');
    expect(fxnn('eval', file('net.json'), '--inputs', file('bad2.csv')).stderr).toBe(
      `error: --inputs ${file('bad2.csv')}: row 1 (line 1), x1: "0.3" is not a value of Q2.5 (nearest are 0.28125 and 0.3125)\n`,
    );
    writeFileSync(file('bad3.csv'), 'a,b,c\n1,2,3\n');
    expect(fxnn('eval', file('net.json'), '--inputs', file('bad3.csv')).stderr).toMatch(
      /the header has 3 columns; the network has 2 inputs/,
    );
  });
});

describe('eval --inputs on worker threads', () => {
  it('gives the same bytes as one thread, and the same error naming the row', () => {
    const rows = Array.from(
      { length: 20000 },
      (_, i) => `${((i * 37) % 255) / 32 - 4},${((i * 91) % 255) / 32 - 4}`,
    );
    writeFileSync(file('big.csv'), `x1,x2\n${rows.join('\n')}\n`);
    const one = fxnn('eval', file('net.json'), '--inputs', file('big.csv'), '--workers', '1');
    const two = fxnn('eval', file('net.json'), '--inputs', file('big.csv'), '--workers', '2');
    expect(one.status).toBe(0);
    expect(two).toEqual(one);
    expect(one.stdout.split('\n').length).toBe(20002);
    rows[15000] = '1,2,3';
    writeFileSync(file('big-bad.csv'), `x1,x2\n${rows.join('\n')}\n`);
    const bad = fxnn(
      'eval',
      file('net.json'),
      '--inputs',
      file('big-bad.csv'),
      '--workers',
      '2',
      '--out',
      file('never.csv'),
    );
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe(
      `error: --inputs ${file('big-bad.csv')}: row 15001 (line 15002) has 3 values; the network has 2 inputs\n`,
    );
    expect(existsSync(file('never.csv'))).toBe(false);
    expect(readdirSync(tmp).filter((f) => f.includes('never'))).toEqual([]);
    // to standard output: nothing at all before the error line, on one thread and on two
    for (const workers of ['1', '2']) {
      const out = fxnn('eval', file('net.json'), '--inputs', file('big-bad.csv'), '--workers', workers);
      expect(out.status).toBe(2);
      expect(out.stdout).toBe('');
      expect(out.stderr.split('\n').length).toBe(2);
    }
  });
});

describe('info, verify, export-c on version 2', () => {
  it('info lists every type in HLS and fxnn spelling', () => {
    const r = fxnn('info', file('net.json'));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      'accum  ap_fixed<12,5,AP_RND_INF,AP_SAT_SYM> (Q4.7 nearest-away saturate-symmetric)',
    );
    expect(r.stdout).toContain('hls4ml table: 1024 entries of ap_fixed<18,8> (Q7.10 floor wrap)');
  });

  it('verify: saturating types compute relu(x1 + x2) exactly; wrapping ones do not (exit 1)', () => {
    const net = (t: string) => ({
      fxnn: 2,
      inputs: 2,
      input: t,
      layers: [
        {
          kind: 'dense',
          types: { weight: t, bias: t, accum: t, result: t },
          neurons: [
            {
              bias: '0',
              edges: [
                [0, '1'],
                [1, '1'],
              ],
            },
          ],
        },
        { kind: 'activation', activation: 'relu', types: { result: t } },
      ],
    });
    writeFileSync(file('sat.json'), JSON.stringify(net('ap_fixed<6,3,AP_TRN,AP_SAT>')));
    writeFileSync(file('wrap.json'), JSON.stringify(net('ap_fixed<6,3>')));
    expect(fxnn('verify', file('sat.json'), '--fn', 'max(x1 + x2, 0)')).toMatchObject({
      status: 0,
      stdout: 'verified: the network equals the target on all 4096 inputs\n',
    });
    const w = fxnn('verify', file('wrap.json'), '--fn', 'max(x1 + x2, 0)', '--show', '1');
    expect(w.status).toBe(1);
    // (−4) + (−3.875) = −7.875 wraps to 0.125 before the relu
    expect(w.stdout).toBe(
      '1023 mismatches out of 4096 inputs\nfirst 1:\n  x = (-4, -3.875): network 0.125, target 0\n',
    );
  });

  it('export-c writes C99 that compiles', () => {
    const r = fxnn('export-c', file('net.json'), '--name', 'mlp', '--out', file('mlp.c'));
    expect(r.status).toBe(0);
    const c = spawnSync('cc', ['-std=c99', '-Wall', '-Werror', '-c', '-o', file('mlp.o'), file('mlp.c')], {
      encoding: 'utf8',
    });
    expect(c.stderr).toBe('');
    expect(c.status).toBe(0);
  });
});

describe('eval --all on a version 2 network', () => {
  it('lists every input of the input type with the outputs, equal to the reference', () => {
    const t = 'ap_fixed<4,2,AP_RND,AP_SAT>';
    const net = {
      fxnn: 2,
      inputs: 2,
      input: t,
      layers: [
        {
          kind: 'dense',
          types: { weight: t, bias: t, accum: 'ap_fixed<6,3>', result: t },
          neurons: [
            {
              bias: '0.25',
              edges: [
                [0, '0.75'],
                [1, '-1.5'],
              ],
            },
          ],
        },
        { kind: 'activation', activation: 'tanh', types: { result: t }, table: { size: 64 } },
      ],
    };
    writeFileSync(file('all.json'), JSON.stringify(net));
    const r = fxnn('eval', file('all.json'), '--all');
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('x1,x2,y1');
    expect(lines.length).toBe(1 + 16 * 16);
    const typed = parseTypedNetworkJson(net);
    for (const line of lines.slice(1)) {
      const [x1, x2, y] = line.split(',');
      const codes = [x1, x2].map((v) => roundValue(t, v).code);
      expect(codeToDecimal(evaluateTypedReference(typed, codes)[0], outputType(typed).format)).toBe(y);
    }
  });
});
