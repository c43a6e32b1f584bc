/**
 * Names of the exported C function (`export-c --name`): keywords, reserved identifiers and names of
 * the C/POSIX library and <stdint.h> are refused; every accepted name compiles with -Werror beside the
 * standard headers and links against libc and libm (issue 16: `--name printf` was accepted).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exportC } from '../src/network/c-export.js';
import { cNameProblem } from '../src/network/c-names.js';
import { parseNetworkJson } from '../src/network/network-json.js';
import { theoryNetJson } from './theory-net.js';

const NET = parseNetworkJson(theoryNetJson());

const HEADERS = ['stdio', 'stdlib', 'string', 'math', 'ctype', 'stdint', 'signal', 'time', 'unistd'];

/** Compiles the networks' C beside the standard headers with -Werror and runs f(1, -2) of each. */
function compileAndRun(source: string, names: readonly string[]): { ok: boolean; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'fxnn-cnames-'));
  try {
    const file = join(dir, 'names.c');
    const calls = names
      .map(
        (n) =>
          `  { const int32_t in_[2] = {16, -32}; int32_t out_[1]; int r_ = ${n}(in_, out_); printf("%d %d\\n", r_, (int)out_[0]); }`,
      )
      .join('\n');
    writeFileSync(
      file,
      `${HEADERS.map((h) => `#include <${h}.h>`).join('\n')}\n${source}\nint main(void) {\n${calls}\n  return 0;\n}\n`,
    );
    const exe = join(dir, 'names');
    try {
      execFileSync(
        'cc',
        [
          '-std=c99',
          '-D_POSIX_C_SOURCE=200809L',
          '-Wall',
          '-Wextra',
          '-pedantic',
          '-Werror',
          '-o',
          exe,
          file,
          '-lm',
        ],
        {
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
    } catch (e) {
      return { ok: false, out: String((e as { stderr?: Buffer }).stderr ?? e) };
    }
    return { ok: true, out: execFileSync(exe).toString() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('export-c names', () => {
  it('refuses keywords, reserved identifiers and library names, naming the reason', () => {
    for (const name of [
      'printf',
      'read',
      'exit',
      'y1',
      'sqrt',
      'int32_t',
      'INT32_MAX',
      'int',
      '_x',
      '__net',
      'size_t',
      'main',
      'my_t',
      '2fast',
      'a-b',
      '',
    ]) {
      expect(() => exportC(NET, { name }), name).toThrow(/^name: /);
      expect(cNameProblem(name), name).not.toBeNull();
    }
    expect(() => exportC(NET, { name: 'printf' })).toThrow(
      'name: "printf" clashes with a C keyword or a name of the C library or <stdint.h>',
    );
  });

  it('a name of a libc built-in breaks a -Werror build: the check is needed', () => {
    const source = exportC(NET, { name: 'netzz' }).replaceAll('netzz', 'printf');
    expect(compileAndRun(source, []).ok).toBe(false);
  });

  it('accepted names, random ones included, compile with -Werror beside libc and compute the network', () => {
    const fixed = [
      'network',
      'x',
      'y',
      'h',
      'g',
      't',
      'acc',
      'total',
      'isolate',
      'net_t1',
      'INT32',
      'Network',
      'relu',
    ];
    const random = fc.sample(
      fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,12}$/).filter((n) => cNameProblem(n) === null),
      { numRuns: 20, seed: 16 },
    );
    const names = [...new Set([...fixed, ...random])];
    for (const n of names) expect(cNameProblem(n), n).toBeNull();
    const { ok, out } = compileAndRun(names.map((name) => exportC(NET, { name })).join('\n'), names);
    expect(ok, out).toBe(true);
    // relu(1 − (−2)/4 + 0.5) = 2, ×1.5 = 3 = code 48 of Q3.4
    expect(out.trimEnd().split('\n')).toEqual(names.map(() => '0 48'));
  });
});
