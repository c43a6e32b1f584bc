/**
 * Runs the CLI as a user runs it: `node bin/fxnn.js …` in a child process (built first when dist/ is
 * missing), with FXNN_DEBUG unset so that errors print as users see them.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';

export const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'fxnn.js');

export interface SpawnRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Wall time of the child, in milliseconds. */
  ms: number;
}

/** Builds dist/ when it is missing (bin/fxnn.js runs from there). */
export function ensureBuilt(): void {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js')))
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
}

/** `node bin/fxnn.js ...args` in `cwd` with `input` on stdin (60 s at most). */
export function spawnFxnn(args: string[], options: { cwd?: string; input?: string } = {}): SpawnRun {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    input: options.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, FXNN_DEBUG: '' },
    timeout: 60_000,
    maxBuffer: 1 << 28,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: performance.now() - t0 };
}

/** One line `error: …` on stderr, status 2, no stack trace; the line is `message` or matches it. */
export function expectOneLineError(r: SpawnRun, message: string | RegExp): void {
  expect(r.status, r.stderr).toBe(2);
  expect(r.stderr.endsWith('\n')).toBe(true);
  expect(r.stderr.trimEnd().split('\n'), r.stderr).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  if (typeof message === 'string') expect(r.stderr).toBe(`${message}\n`);
  else expect(r.stderr).toMatch(message);
}
