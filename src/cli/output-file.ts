import { closeSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { FxnnError, quote } from '../errors.js';

/** Temporary files not yet renamed: removed if the process exits first (an error, Ctrl-C). */
const pending = new Set<string>();
let cleanupInstalled = false;

function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  const cleanup = () => {
    for (const path of pending) {
      try {
        unlinkSync(path);
      } catch {
        // already gone
      }
    }
    pending.clear();
  };
  process.on('exit', cleanup);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      cleanup();
      process.kill(process.pid, signal);
    });
  }
}

/**
 * An output file of a command (`--out`, `--plot`, `--certificate-out`), safe against refusals and
 * failures: `planOutputFile` checks the path before any work (a directory, a missing folder is an error
 * then, not after minutes of work); the text goes to a temporary file beside it, opened only when the
 * work starts, and renamed over the path only when the work has succeeded. A refused or failed run
 * leaves an existing file untouched.
 */
export class OutputFile {
  private fd: number | undefined;
  private temp: string | undefined;
  private done = false;

  private constructor(
    /** The path as the user gave it. */
    readonly path: string,
    /** The option that named it, for messages (`--out`). */
    readonly option: string,
  ) {}

  /** Checks that `path` can be written (its folder exists, it is not a directory); writes nothing. */
  static plan(path: string, option: string): OutputFile {
    if (path.trim() === '') throw new FxnnError(`${option}: expected a file name, got ""`, option);
    const full = resolve(path);
    const where = statOrNull(full);
    if (where?.isDirectory())
      throw new FxnnError(`${option}: ${quote(path)} is a directory, expected a file name`, option);
    if (where && !where.isFile())
      throw new FxnnError(`${option}: ${quote(path)} is not a regular file`, option);
    const dir = statOrNull(dirname(full));
    if (!dir?.isDirectory())
      throw new FxnnError(`${option}: the folder of ${quote(path)} does not exist`, option);
    return new OutputFile(path, option);
  }

  /** Opens the temporary file (idempotent): call when the work starts. */
  open(): void {
    if (this.fd !== undefined) return;
    const full = resolve(this.path);
    const temp = join(
      dirname(full),
      `.${basename(full)}.${process.pid}-${Math.random().toString(36).slice(2, 8)}.tmp`,
    );
    try {
      this.fd = openSync(temp, 'wx');
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      throw new FxnnError(`${this.option}: cannot write beside ${quote(this.path)}: ${reason}`, this.option);
    }
    this.temp = temp;
    installCleanup();
    pending.add(temp);
  }

  write(text: string): void {
    this.open();
    writeSync(this.fd!, text);
  }

  /** Closes the temporary file and renames it over the path: the file appears complete or not at all. */
  commit(): void {
    this.open();
    closeSync(this.fd!);
    renameSync(this.temp!, resolve(this.path));
    pending.delete(this.temp!);
    this.done = true;
  }

  /** Drops the temporary file (the path keeps whatever it held). Safe to call after commit. */
  abort(): void {
    if (this.done || this.fd === undefined) return;
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
    try {
      unlinkSync(this.temp!);
    } catch {
      // already gone
    }
    pending.delete(this.temp!);
    this.done = true;
  }
}

function statOrNull(path: string) {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/** Plans an optional output file (undefined when the option is absent). */
export function planOutputFile(path: string | undefined, option: string): OutputFile | undefined {
  return path === undefined ? undefined : OutputFile.plan(path, option);
}

/** Writes a whole text to a planned output file at once (temporary file, then rename). */
export function writeOutputFile(file: OutputFile, text: string): void {
  try {
    file.write(text);
    file.commit();
  } finally {
    file.abort();
  }
}
