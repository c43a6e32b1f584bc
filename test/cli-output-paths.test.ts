import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, expectOneLineError, spawnFxnn } from './spawn-cli.js';
import { theoryNetJson } from './theory-net.js';

let tmp = '';
const file = (name: string) => join(tmp, name);

function fxnn(args: string[]) {
  return spawnFxnn(args, { cwd: tmp });
}

const NET = theoryNetJson('Q2.2');

beforeAll(() => {
  ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'fxnn-paths-'));
  writeFileSync(file('net.json'), JSON.stringify(NET));
  writeFileSync(file('bad.json'), '{"fxnn": 1, "format": "Q2.2"');
  writeFileSync(file('fnet.json'), JSON.stringify({ ...NET, format: 'E3M2', rounding: 'nearest-even' }));
  mkdirSync(file('adir'));
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const tmpFiles = () => readdirSync(tmp).filter((f) => f.endsWith('.tmp'));

describe('export-c --out: the safe output file', () => {
  it('a directory is refused before the network is read', () => {
    // the network does not exist: the --out error comes first, so the path was checked before the work
    expectOneLineError(
      fxnn(['export-c', 'missing.json', '--out', 'adir']),
      'error: --out: "adir" is a directory, expected a file name',
    );
    expectOneLineError(
      fxnn(['export-c', 'missing.json', '--out', 'no/such/folder/f.c']),
      'error: --out: the folder of "no/such/folder/f.c" does not exist',
    );
  });

  it('a failing run leaves an existing file as it was, and no temporary file', () => {
    writeFileSync(file('keep.c'), 'precious\n');
    const r = fxnn(['export-c', 'bad.json', '--out', 'keep.c']);
    expect(r.status).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(readFileSync(file('keep.c'), 'utf8')).toBe('precious\n');
    expect(fxnn(['export-c', 'net.json', '--name', 'printf', '--out', 'keep.c']).status).toBe(2);
    expect(readFileSync(file('keep.c'), 'utf8')).toBe('precious\n');
    expect(tmpFiles()).toEqual([]);
  });

  it('a successful run replaces the file whole with what standard output gets', () => {
    writeFileSync(file('f.c'), 'old\n');
    const stdout = fxnn(['export-c', 'net.json', '--name', 'f']);
    expect(stdout.status).toBe(0);
    expect(stdout.stdout).toContain('int f(const int32_t x[F_INPUTS], int32_t y[F_OUTPUTS])');
    const r = fxnn(['export-c', 'net.json', '--name', 'f', '--out', 'f.c']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(readFileSync(file('f.c'), 'utf8')).toBe(stdout.stdout);
    expect(tmpFiles()).toEqual([]);
  });
});

describe('float networks: export-c --out and eval --all --out', () => {
  it('write the same text as standard output, and refuse a directory first', () => {
    for (const args of [
      ['export-c', 'fnet.json', '--name', 'g'],
      ['eval', 'fnet.json', '--all'],
    ]) {
      const stdout = fxnn(args);
      expect(stdout.status, stdout.stderr).toBe(0);
      writeFileSync(file('f.out'), 'old\n');
      expect(fxnn([...args, '--out', 'f.out']).status).toBe(0);
      expect(readFileSync(file('f.out'), 'utf8')).toBe(stdout.stdout);
      expectOneLineError(
        fxnn([...args.map((a) => (a === 'fnet.json' ? 'missing.json' : a)), '--out', 'adir']),
        'error: --out: "adir" is a directory, expected a file name',
      );
    }
    expect(tmpFiles()).toEqual([]);
  });
});

describe('import --out: the safe output file', () => {
  it('a directory is refused before the model is read', () => {
    expectOneLineError(
      fxnn(['import', 'missing.onnx', '--out', 'adir']),
      'error: --out: "adir" is a directory, expected a file name',
    );
  });
});

describe('op --batch names the file it cannot read', () => {
  it('a directory', () => {
    expectOneLineError(
      fxnn(['op', 'Q3.4', '--batch', 'adir']),
      'error: --batch: cannot read "adir" (EISDIR: it is a directory)',
    );
  });

  it('a missing file', () => {
    expectOneLineError(
      fxnn(['op', 'Q3.4', '--batch', 'nope.txt']),
      'error: --batch: cannot read "nope.txt" (ENOENT: no such file)',
    );
  });

  it('a readable file still runs', () => {
    writeFileSync(file('ops.txt'), 'add 7 1\nmul 0.5 0.0625\n');
    const r = fxnn(['op', 'Q3.4', '--batch', 'ops.txt']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(2);
  });
});
