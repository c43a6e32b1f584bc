import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// bench/small-cells.bench.ts: bad arguments are one line naming the value (exit 2) before any cell runs
const run = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'bench/small-cells.bench.ts', ...args], {
    encoding: 'utf8',
    timeout: 120_000,
  });

describe('bench/small-cells.bench.ts arguments', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'small-cells-')), 'cells.jsonl');
  it.each([
    [['--bits', '9'], 'error: --bits takes widths from 2 to 8 (comma-separated), not 9'],
    [['--bits', '3,x'], 'error: --bits takes widths from 2 to 8 (comma-separated), not 3,x'],
    [['--sample', '0'], 'error: --sample takes a number of cells from 1 to 1000000, not 0'],
    [['--sample', '5', '--seed', 'one'], 'error: --seed takes an integer, not one'],
    [
      ['--bits', '17', '--sample', '5'],
      'error: --bits takes widths from 2 to 16 with --sample (comma-separated), not 17',
    ],
    [['--bits', '12,16'], 'error: --bits takes widths from 2 to 8 (comma-separated), not 12,16'],
    [
      ['--sample', '5', '--formats', 'Q('],
      'error: --formats takes a regular expression over format names, not Q(',
    ],
  ])('%j: one error line, exit 2', (args, message) => {
    const p = run('--out', out, ...args);
    expect(p.status).toBe(2);
    expect(p.stderr.trim()).toBe(message);
    expect(p.stdout).toBe('');
  });

  it('--sample on 2 bits: the cells drawn are decided, written once each, and counted by the summary', () => {
    const p = run('--bits', '2', '--sample', '6', '--seed', '3', '--out', out);
    expect(p.status).toBe(0);
    const rows = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThanOrEqual(6);
    for (const r of rows) {
      expect(r.bits).toBe(2);
      expect(['universal', 'not-universal', 'undetermined', 'not-applicable']).toContain(r.verdict);
    }
    expect(p.stdout).toContain(`all: ${rows.length} cells`);
    // resumed: the same draws are skipped, nothing is appended
    run('--bits', '2', '--sample', '6', '--seed', '3', '--out', out);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(rows.length);
  });

  it('--sample above 8 bits with --formats: only matching formats are drawn; CPU time and memory are recorded', () => {
    const wide = join(mkdtempSync(join(tmpdir(), 'small-cells-')), 'wide.jsonl');
    const p = run('--bits', '10', '--sample', '3', '--seed', '5', '--formats', 'UQ10\\.0', '--out', wide);
    expect(p.status).toBe(0);
    const rows = readFileSync(wide, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.bits).toBe(10);
      expect(r.format).toBe('UQ10.0');
      expect(Number.isInteger(r.cpuMs) && r.cpuMs >= 0).toBe(true);
      expect(r.heapMB).toBeGreaterThan(0);
      expect(r.maxRssMB).toBeGreaterThanOrEqual(r.heapMB);
    }
    expect(p.stdout).toContain(`CPU time per cell (${rows.length} timed)`);
  });
});
