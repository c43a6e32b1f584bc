/**
 * The result cache of `fxnn reproduce` (docs/construction.md, "The map"): each cell's verdict stored by
 * its full configuration (`configurationKey`: activation key, format, rounding, overflow, accumulation,
 * bias, weights). The cache lives in a folder (default `.fxnn-cache/map/` in the current directory), one
 * JSON file per cache version and map semantics. The version is the package version, CACHE_VERSION and
 * a hash of the engine's code (every compiled .js, or .ts when run from sources, outside cli/): a new
 * release, a rebuilt engine or a change of verdict logic never reads old verdicts. A file that
 * cannot be read or parsed is ignored with one warning line (the cells are decided again, and the file
 * rewritten); a folder that cannot be written is one warning line too: the cache never fails a run.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configurationKey, makeConfiguration } from '../expressivity/configuration.js';
import type { MapCell } from '../expressivity/map.js';

/**
 * Bump whenever the meaning of a cached cell changes (its fields, the configuration key) or the verdict
 * logic changes in a way the engine hash cannot see: cached verdicts of an older CACHE_VERSION are then
 * never read.
 */
export const CACHE_VERSION = 1;

/** The default folder of the map cache, relative to the current directory. */
export const DEFAULT_MAP_CACHE_DIR = join('.fxnn-cache', 'map');

/** The version of fxnn in package.json (next to dist/ and src/). */
function packageVersion(): string {
  try {
    return String(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version);
  } catch {
    return 'unknown';
  }
}

/**
 * A SHA-256 (12 hex digits) of the code the verdicts depend on: every .js / .ts file (not .d.ts) of the
 * package's code folder (dist/ or src/) outside cli/, in path order. Computed once (milliseconds).
 */
let engineHashMemo: string | undefined;
export function engineHash(): string {
  if (engineHashMemo !== undefined) return engineHashMemo;
  const root = dirname(dirname(fileURLToPath(import.meta.url)));
  const hash = createHash('sha256');
  try {
    const files = (readdirSync(root, { recursive: true }) as string[])
      .filter((f) => /\.(js|ts)$/.test(f) && !f.endsWith('.d.ts') && !f.startsWith(`cli${sep}`))
      .sort();
    for (const f of files)
      hash.update(`${relative(root, join(root, f))}\0`).update(readFileSync(join(root, f)));
    engineHashMemo = hash.digest('hex').slice(0, 12);
  } catch {
    engineHashMemo = 'unhashed';
  }
  return engineHashMemo;
}

/** The version of the cache: package version, CACHE_VERSION, engine hash. */
export function mapCacheVersion(): string {
  return `${packageVersion()}+c${CACHE_VERSION}+${engineHash()}`;
}

/** The key of one map cell: its full configuration (the map's other settings are the defaults). */
export function mapCellKey(
  activation: string,
  format: string,
  weights: 'all' | 'binary',
  accumulation: 'sequential' | 'exact',
): string {
  return configurationKey(makeConfiguration({ activation, format, weights, accumulation }));
}

interface CacheFile {
  readonly version: string;
  readonly cells: Record<string, MapCell>;
}

/** One cache file: the cells of one map semantics (encoding, weights, accumulation) at one version. */
export class MapCache {
  private readonly cells = new Map<string, MapCell>();
  private dirty = false;
  /** Cells read from the cache during this run. */
  hits = 0;
  readonly file: string;
  readonly version: string;

  constructor(
    readonly dir: string,
    readonly name: string,
    private readonly warn: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
    version = mapCacheVersion(),
  ) {
    this.version = version;
    this.file = join(dir, `${name}.v${version.replace(/[^0-9A-Za-z.+-]/g, '_')}.json`);
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return; // no cache yet
    }
    try {
      const data = JSON.parse(text) as CacheFile;
      if (data?.version !== version || typeof data.cells !== 'object' || data.cells === null)
        throw new Error('not a map cache file of this version');
      for (const [key, cell] of Object.entries(data.cells)) {
        if (typeof cell?.verdict !== 'string' || typeof cell.reason !== 'string')
          throw new Error(`cell ${key} is malformed`);
        this.cells.set(key, cell);
      }
    } catch (e) {
      this.cells.clear();
      this.warn(
        `warning: ignoring the corrupted cache file ${this.file} (${oneLine(e)}); its cells are decided again`,
      );
    }
  }

  /** The cached cell of a configuration, or undefined. */
  get(activation: string, format: string, weights: 'all' | 'binary', accumulation: 'sequential' | 'exact') {
    const cell = this.cells.get(mapCellKey(activation, format, weights, accumulation));
    if (cell) this.hits++;
    return cell;
  }

  /** Whether a configuration is cached (not counted as a hit). */
  has(activation: string, format: string, weights: 'all' | 'binary', accumulation: 'sequential' | 'exact') {
    return this.cells.has(mapCellKey(activation, format, weights, accumulation));
  }

  set(cell: MapCell, accumulation: 'sequential' | 'exact'): void {
    const key = mapCellKey(cell.activation, cell.format, cell.weights as 'all' | 'binary', accumulation);
    if (this.cells.get(key) === cell) return; // read from this cache: nothing to write
    this.cells.set(key, cell);
    this.dirty = true;
  }

  /** Writes the file (temporary file, then rename) when cells were added; a failure is one warning. */
  save(): void {
    if (!this.dirty) return;
    const data: CacheFile = { version: this.version, cells: Object.fromEntries(this.cells) };
    const temp = `${this.file}.${process.pid}-${Math.random().toString(36).slice(2, 8)}.tmp`;
    try {
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(temp, JSON.stringify(data));
      renameSync(temp, this.file);
      this.dirty = false;
    } catch (e) {
      this.warn(
        `warning: cannot write the cache file ${this.file} (${oneLine(e)}); the results are not cached`,
      );
    }
  }
}

/** An error's message on one line. */
function oneLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ').trim();
}
