/**
 * `fxnn reproduce --max-bits 16` through the compiled CLI, its worker threads and its cache: every cell
 * of 3–16 bits is planted in the cache except a few 16-bit ones, which the run decides (on worker
 * threads) exactly as `mapCell` does in this process; a second run decides nothing. The whole 16-bit
 * map (1,862 cells) is measured in docs/construction.md, "The 16-bit map".
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_ACTIVATIONS } from '../src/activations/activation.js';
import { cacheable } from '../src/cli/reproduce-command.js';
import { type MapCell, mapCell, mapFormats } from '../src/expressivity/map.js';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'fxnn.js');
let tmp = '';

/**
 * The cells the run decides: a linear-unit certificate, a chain certificate, a DIST witness, an idle-set
 * chain certificate (softplus on Q2.13, a `?` before the plateau-edge families of docs/theory.md §9.7).
 */
const DECIDED: ReadonlyArray<[string, string]> = [
  ['leaky-relu', 'Q9.6'],
  ['step', 'Q14.1'],
  ['relu', 'Q14.1'],
  ['softplus', 'Q2.13'],
];

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js')))
    spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  tmp = mkdtempSync(join(tmpdir(), 'fxnn-map16-'));
  // the compiled CLI keys its cache by the compiled engine's hash: plant with the compiled MapCache
  const { MapCache } = (await import(
    pathToFileURL(join(ROOT, 'dist', 'cli', 'map-cache.js')).href
  )) as typeof import('../src/cli/map-cache.js');
  const cache = new MapCache(join(tmp, 'cache'), 'Q-all-sequential');
  const skip = new Set(DECIDED.map(([a, f]) => `${a} ${f}`));
  for (const format of mapFormats(16))
    for (const activation of BUILTIN_ACTIVATIONS) {
      if (skip.has(`${activation} ${format}`)) continue;
      const planted: MapCell = {
        activation,
        format,
        weights: 'all',
        verdict: 'undetermined',
        dist: null,
        certificate: null,
        analytic: null,
        reason: 'planted',
      };
      cache.set(planted, 'sequential');
    }
  cache.save();
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function reproduce16() {
  const r = spawnSync(
    process.execPath,
    [BIN, 'reproduce', '--max-bits', '16', '--cache', join(tmp, 'cache'), '--json', '--workers', '2'],
    { cwd: tmp, encoding: 'utf8', env: { ...process.env, FXNN_PROGRESS: '0' }, maxBuffer: 1 << 28 },
  );
  expect(r.status, r.stderr).toBe(0);
  return { cells: (JSON.parse(r.stdout) as { cells: MapCell[] }).cells, stderr: r.stderr };
}

describe('fxnn reproduce --max-bits 16: worker threads and the cache', () => {
  it('decides only the uncached 16-bit cells, as mapCell does; a re-run decides none', () => {
    const first = reproduce16();
    // 14 activations × every Qm.n of 3 to 16 bits (3 + 4 + … + 16 formats)
    expect(first.cells).toHaveLength(14 * 133);
    expect(first.stderr).toMatch(/reproduce: 1862 cells in [\d.]+ s; 4 decided, 1858 from the cache/);
    const key = (c: MapCell) => `${c.activation} ${c.format}`;
    const byKey = new Map(first.cells.map((c) => [key(c), c]));
    const verdicts = new Set<string>();
    for (const [activation, format] of DECIDED) {
      const got = byKey.get(`${activation} ${format}`);
      expect(got, `${activation} ${format}`).toEqual(mapCell(activation, format, 'all'));
      verdicts.add(got?.verdict ?? '');
    }
    expect([...verdicts].sort()).toEqual(['not-universal', 'universal']);
    expect(first.cells.filter((c) => c.reason === 'planted')).toHaveLength(1858);
    // the same map, read from the cache
    const second = reproduce16();
    expect(second.stderr).toMatch(/reproduce: 1862 cells in [\d.]+ s; 0 decided, 1862 from the cache/);
    expect(second.cells).toEqual(first.cells);
    expect(readdirSync(join(tmp, 'cache'))).toHaveLength(1);
  }, 120_000);

  it('caches every verdict except one stopped by the wall-clock time budget', () => {
    const cell = mapCell('relu', 'Q1.1', 'all');
    expect(cacheable(cell)).toBe(true);
    const stopped = (reason: string): MapCell => ({ ...cell, verdict: 'undetermined', reason });
    expect(
      cacheable(
        stopped(
          'stopped: the threshold search exceeded the time budget 30 s (raise it with --budget, a multiple of the default 30 s)',
        ),
      ),
    ).toBe(false);
    // a work budget is the same on every machine
    expect(
      cacheable(
        stopped(
          'DIST holds; no certificate found: …; the output-range obstruction (docs/theory.md §6) would take about 2.1e+10 steps, over the work budget 4e+9 (raise it with --budget)',
        ),
      ),
    ).toBe(true);
  });
});
