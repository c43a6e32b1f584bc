import { readFileSync } from 'node:fs';
import { FxnnError } from './errors.js';

/**
 * Reads a file the user named; a missing or unreadable file is one clear error naming the parameter
 * and the path (`--config: cannot read "x.yml" (ENOENT: no such file)`), never a raw ENOENT.
 */
export function readInputFile(path: string, what: string): Buffer;
export function readInputFile(path: string, what: string, encoding: 'utf8'): string;
export function readInputFile(path: string, what: string, encoding?: 'utf8'): Buffer | string {
  try {
    return encoding ? readFileSync(path, encoding) : readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'ENOENT: no such file'
        : code === 'EISDIR'
          ? 'EISDIR: it is a directory'
          : (code ?? (e as Error).message);
    throw new FxnnError(`${what}: cannot read ${JSON.stringify(path)} (${why})`, what.replace(/^-+/, ''));
  }
}
