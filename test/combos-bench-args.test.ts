import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// bench/combos.bench.ts refuses a bad --redo-slow with one line before it runs any cell
describe('bench/combos.bench.ts arguments', () => {
  it('--redo-slow that is not a number of seconds: one error line naming it, exit 2', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'combos-')), 'cells.jsonl');
    for (const bad of ['fast', '-1']) {
      const p = spawnSync(
        process.execPath,
        ['--import', 'tsx', 'bench/combos.bench.ts', '--out', out, `--redo-slow=${bad}`],
        { encoding: 'utf8', timeout: 60_000 },
      );
      expect(p.status).toBe(2);
      expect(p.stderr.trim()).toBe(`error: --redo-slow must be a number of seconds ≥ 0, not ${bad}`);
      expect(p.stdout).toBe('');
    }
  });

  it('--formats other than 16 or wide: one error line naming it, exit 2', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'combos-')), 'cells.jsonl');
    const p = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'bench/combos.bench.ts', '--out', out, '--formats=32'],
      {
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(p.status).toBe(2);
    expect(p.stderr.trim()).toBe('error: --formats must be 16 or wide, not 32');
    expect(p.stdout).toBe('');
  });
});
