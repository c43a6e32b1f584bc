import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BUILTIN_ACTIVATIONS } from '../src/activations/activation.js';
import { main } from '../src/cli/main.js';
import { MapCache, mapCellKey } from '../src/cli/map-cache.js';
import { type MapCell, mapCell, mapFormats } from '../src/expressivity/map.js';

let out = '';
let err = '';
let dir = '';
beforeEach(() => {
  out = '';
  err = '';
  dir = mkdtempSync(join(tmpdir(), 'fxnn-map-cache-'));
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => {
    out += `${a.join(' ')}\n`;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    err += String(s);
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

describe('MapCache', () => {
  it('stores a cell by its full configuration and reads it back after a restart', () => {
    const warn = vi.fn();
    const cell = mapCell('relu', 'Q1.2', 'all');
    const a = new MapCache(dir, 'Q-all-sequential', warn, 'test-1');
    expect(a.has('relu', 'Q1.2', 'all', 'sequential')).toBe(false);
    a.set(cell, 'sequential');
    a.save();
    const b = new MapCache(dir, 'Q-all-sequential', warn, 'test-1');
    expect(b.get('relu', 'Q1.2', 'all', 'sequential')).toEqual(cell);
    expect(b.hits).toBe(1);
    // another accumulation, weights or activation is another configuration
    expect(b.get('relu', 'Q1.2', 'all', 'exact')).toBeUndefined();
    expect(b.get('relu', 'Q1.2', 'binary', 'sequential')).toBeUndefined();
    expect(b.get('sigmoid', 'Q1.2', 'all', 'sequential')).toBeUndefined();
    expect(b.hits).toBe(1);
    expect(warn).not.toHaveBeenCalled();
    // the key names every part of the configuration, with the defaults the map uses
    expect(mapCellKey('relu', 'Q1.2', 'all', 'exact').split(' ')).toEqual(
      expect.arrayContaining(['relu', 'Q1.2', 'exact', 'all', 'last']),
    );
    // another version reads nothing: its own file
    expect(
      new MapCache(dir, 'Q-all-sequential', warn, 'test-2').has('relu', 'Q1.2', 'all', 'sequential'),
    ).toBe(false);
  });

  it('a corrupted cache file is ignored with one warning line, then rewritten', () => {
    for (const text of ['{not json', '{"version":"test-1","cells":{"k":{"verdict":1}}}', '[]', '']) {
      const warn = vi.fn();
      const file = new MapCache(dir, 'n', warn, 'test-1').file;
      writeFileSync(file, text);
      const c = new MapCache(dir, 'n', warn, 'test-1');
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0][0]).toMatch(/^warning: ignoring the corrupted cache file .*\n?$/);
      expect(warn.mock.calls[0][0]).not.toContain('\n');
      expect(c.has('relu', 'Q1.2', 'all', 'sequential')).toBe(false);
      c.set(mapCell('relu', 'Q1.2', 'all'), 'sequential');
      c.save();
      expect(new MapCache(dir, 'n', warn, 'test-1').has('relu', 'Q1.2', 'all', 'sequential')).toBe(true);
      expect(warn).toHaveBeenCalledTimes(1);
    }
  });
});

describe('fxnn reproduce: cache and --svg', () => {
  it('a re-run decides 0 cells and prints the same map; --no-cache decides all again', async () => {
    const cache = join(dir, 'c');
    expect(await main(['reproduce', '--max-bits', '4', '--cache', cache])).toBe(0);
    const first = out;
    expect(first).toMatch(/\(98 cells in [\d.]+ s; 98 decided, 0 from the cache .*\)\n$/);
    out = '';
    expect(await main(['reproduce', '--max-bits', '4', '--cache', cache])).toBe(0);
    expect(out).toMatch(/\(98 cells in [\d.]+ s; 0 decided, 98 from the cache .*\)\n$/);
    const table = (s: string) => s.slice(0, s.lastIndexOf('\n('));
    expect(table(out)).toBe(table(first));
    // a larger map decides only its new cells (the 4-bit ones are cached)
    out = '';
    expect(
      await main(['reproduce', '--max-bits', '4', '--weights', 'binary', '--cache', cache, '--json']),
    ).toBe(0);
    expect(err).toMatch(/98 cells in [\d.]+ s; 98 decided, 0 from the cache/);
    const files = readdirSync(cache);
    expect(files).toHaveLength(2);
    // --no-cache: every cell decided, no summary of the cache
    out = '';
    expect(await main(['reproduce', '--max-bits', '3', '--cache', join(dir, 'none'), '--no-cache'])).toBe(0);
    expect(out).toMatch(/\(42 cells in [\d.]+ s\)\n$/);
    expect(readdirSync(dir).sort()).toEqual(['c']);
  }, 60_000);

  it('a corrupted cache file: one warning, the map still right', async () => {
    const cache = join(dir, 'c');
    expect(await main(['reproduce', '--max-bits', '3', '--cache', cache, '--json'])).toBe(0);
    const good = out;
    for (const f of readdirSync(cache)) writeFileSync(join(cache, f), '{"version": tru');
    out = '';
    err = '';
    expect(await main(['reproduce', '--max-bits', '3', '--cache', cache, '--json'])).toBe(0);
    expect(out).toBe(good);
    expect(err.split('\n').filter((l) => l.startsWith('warning:'))).toHaveLength(1);
  }, 60_000);

  it('cached cells are read, not decided: a fully cached --max-bits 12 map is not refused and runs at once', async () => {
    const cache = join(dir, 'c');
    const c = new MapCache(cache, 'Q-all-sequential');
    // planted cells (a reason no decision gives) show that the map reads them instead of deciding
    for (const format of mapFormats(12))
      for (const activation of BUILTIN_ACTIVATIONS)
        c.set(
          {
            activation,
            format,
            weights: 'all',
            verdict: 'undetermined',
            dist: null,
            certificate: null,
            analytic: null,
            reason: 'planted',
          },
          'sequential',
        );
    c.save();
    const t0 = performance.now();
    expect(await main(['reproduce', '--max-bits', '12', '--cache', cache, '--csv'])).toBe(0);
    expect(performance.now() - t0).toBeLessThan(20_000);
    const rows = out.trim().split('\n').slice(1);
    expect(rows).toHaveLength(1050);
    expect(rows.every((r) => r.endsWith(',"planted"'))).toBe(true);
    expect(err).toMatch(/1050 cells in [\d.]+ s; 0 decided, 1050 from the cache/);
    expect(err).not.toMatch(/estimate/);
  }, 60_000);

  it('--svg draws one rect per cell in the colour of its verdict, with a legend', async () => {
    const svg = join(dir, 'map.svg');
    expect(
      await main([
        'reproduce',
        '--max-bits',
        '4',
        '--weights',
        'binary',
        '--no-cache',
        '--json',
        '--svg',
        svg,
      ]),
    ).toBe(0);
    const { cells } = JSON.parse(out) as { cells: MapCell[] };
    const text = readFileSync(svg, 'utf8');
    expect(XMLValidator.validate(text)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(text);
    const rects = (doc.svg.rect as Record<string, string>[]).filter((r) => r.class === 'cell');
    expect(rects).toHaveLength(cells.length);
    // the colours, written out independently of the module's table
    const colour = {
      universal: '#1f77b4',
      'not-universal': '#e8702a',
      undetermined: '#f2c80f',
      'not-applicable': '#c8c8c8',
    } as const;
    const verdicts = new Set<string>();
    for (const c of cells) {
      const r = rects.filter((x) => x['data-activation'] === c.activation && x['data-format'] === c.format);
      expect(r).toHaveLength(1);
      expect(r[0].fill).toBe(colour[c.verdict]);
      verdicts.add(c.verdict);
    }
    // binary weights at 3-4 bits show at least ✓, ✗ and n/a; the legend has all four colours
    expect(verdicts.size).toBeGreaterThanOrEqual(3);
    const legend = (doc.svg.rect as Record<string, string>[]).filter((r) => r.class === 'legend');
    expect(legend.map((r) => r.fill).sort()).toEqual(Object.values(colour).sort());
    // cells on a grid: a distinct (x, y) per cell, rows = formats, columns = activations
    expect(new Set(rects.map((r) => `${r.x},${r.y}`)).size).toBe(cells.length);
    expect(new Set(rects.map((r) => r.x)).size).toBe(14);
    expect(new Set(rects.map((r) => r.y)).size).toBe(new Set(cells.map((c) => c.format)).size);
  }, 60_000);

  it('--svg into a missing folder, or with --claims, is refused before any work', async () => {
    expect(await main(['reproduce', '--max-bits', '3', '--svg', join(dir, 'no', 'map.svg')])).toBe(2);
    expect(err).toMatch(/error: --svg: the folder of .* does not exist/);
    err = '';
    expect(await main(['reproduce', '--max-bits', '3', '--claims', '--svg', join(dir, 'm.svg')])).toBe(2);
    expect(err).toMatch(/error: --svg draws one map, not --claims/);
  });
});
