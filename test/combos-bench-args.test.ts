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

describe('bench/combos.bench.ts --random', () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'bench/combos.bench.ts', ...args], {
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('refuses a --random or --seed that is not a whole number with one line, exit 2', () => {
    for (const [flag, bad, least] of [
      ['random', '0', 1],
      ['random', 'ten', 1],
      ['seed', '-3', 0],
      ['seed', '1.5', 0],
    ] as const) {
      const p = run(
        `--random=${flag === 'random' ? bad : '3'}`,
        ...(flag === 'seed' ? [`--seed=${bad}`] : []),
        '--list',
      );
      expect(p.status).toBe(2);
      expect(p.stderr.trim()).toBe(`error: --${flag} must be a whole number ≥ ${least}, not ${bad}`);
      expect(p.stdout).toBe('');
    }
  });

  it('an unknown option or a missing value: one line, exit 2', () => {
    for (const args of [['--randm', '3'], ['--random']]) {
      const p = run(...args);
      expect(p.status).toBe(2);
      expect(p.stderr.trim().split('\n')).toHaveLength(1);
      expect(p.stderr).toMatch(/^error: /);
    }
  });

  it('--list prints the drawn cells as commands, the same for the same seed', () => {
    const p = run('--random', '5', '--seed', '3', '--list');
    expect(p.status).toBe(0);
    const lines = p.stdout.trim().split('\n');
    expect(lines).toHaveLength(5);
    for (const line of lines)
      expect(line).toMatch(/^node bin\/fxnn\.js check --activation \S+ --format "[^"]+" /);
    expect(run('--random', '5', '--seed', '3', '--list').stdout).toBe(p.stdout);
  });
});
