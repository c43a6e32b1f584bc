/**
 * Compiles exported C with the system's `cc` and runs it on every input: one program for many
 * networks (one compiler run), printing each row's status and outputs.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportC } from '../src/network/c-export.js';
import type { Network } from '../src/network/network.js';
import type { Outcome } from './network-arbitrary.js';

/** A driver enumerating 𝕀^d in lexicographic order (x1 slowest), one line per row: status then outputs. */
function driver(name: string): string {
  const M = name.toUpperCase();
  return `
static void run_${name}(void) {
  int32_t x[${M}_INPUTS], y[${M}_OUTPUTS] = { 0 };
  int j;
  for (j = 0; j < ${M}_INPUTS; j++) x[j] = ${M}_MIN_CODE;
  printf("network ${name}\\n");
  for (;;) {
    int s = ${name}(x, y);
    printf("%d", s);
    if (s == 0) for (j = 0; j < ${M}_OUTPUTS; j++) printf(" %d", (int)y[j]);
    printf("\\n");
    for (j = ${M}_INPUTS - 1; j >= 0; j--) {
      if (x[j] < ${M}_MAX_CODE) { x[j]++; break; }
      x[j] = ${M}_MIN_CODE;
    }
    if (j < 0) break;
  }
}
`;
}

/** A driver running the given rows (codes) in order, one line per row. */
function rowsDriver(name: string, rows: readonly (readonly bigint[])[]): string {
  const M = name.toUpperCase();
  return `
static const int32_t rows_${name}[${Math.max(1, rows.length)}][${M}_INPUTS] = { ${rows.length > 0 ? rows.map((r) => `{ ${r.join(', ')} }`).join(', ') : '{ 0 }'} };
static void run_${name}(void) {
  int32_t y[${M}_OUTPUTS] = { 0 };
  int j, r;
  printf("network ${name}\\n");
  for (r = 0; r < ${rows.length}; r++) {
    int s = ${name}(rows_${name}[r], y);
    printf("%d", s);
    if (s == 0) for (j = 0; j < ${M}_OUTPUTS; j++) printf(" %d", (int)y[j]);
    printf("\\n");
  }
}
`;
}

/**
 * Runs each network's exported C on all of 𝕀^d (lexicographic order), or on the given rows of codes
 * when `rows[i]` is given; outcomes per network.
 */
export function runExportedC(
  nets: readonly Network[],
  rows: ReadonlyArray<readonly (readonly bigint[])[] | undefined> = [],
  flags: readonly string[] = ['-O1'],
): Outcome[][] {
  const dir = mkdtempSync(join(tmpdir(), 'fxnn-c-'));
  try {
    const names = nets.map((_, i) => `net${i}`);
    const source = [
      '#include <stdio.h>',
      ...nets.map((net, i) => exportC(net, { name: names[i] })),
      ...names.map((n, i) => (rows[i] ? rowsDriver(n, rows[i]!) : driver(n))),
      `int main(void) {\n${names.map((n) => `  run_${n}();`).join('\n')}\n  return 0;\n}`,
    ].join('\n');
    const file = join(dir, 'networks.c');
    writeFileSync(file, source);
    const exe = join(dir, 'networks');
    execFileSync('cc', ['-std=c99', '-Wall', '-Wextra', '-pedantic', '-Werror', ...flags, '-o', exe, file], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const text = execFileSync(exe, { maxBuffer: 1 << 30 }).toString();
    const result: Outcome[][] = [];
    for (const line of text.split('\n')) {
      if (line === '') continue;
      if (line.startsWith('network')) {
        result.push([]);
        continue;
      }
      const fields = line.split(' ').map(Number);
      const rows = result[result.length - 1];
      rows.push(fields[0] === 0 ? { outputs: fields.slice(1).map(BigInt) } : { overflow: fields[0] });
    }
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
