import { readFileSync } from 'node:fs';
import { FxnnError } from '../errors.js';
import type { Network } from './network.js';
import { parseNetworkJson } from './network-json.js';

/** Reads a network JSON file; errors are prefixed with the file name. */
export function readNetworkFile(path: string): Network {
  const text = readFileSync(path, 'utf8');
  try {
    return parseNetworkJson(text);
  } catch (e) {
    if (e instanceof FxnnError) throw new FxnnError(`${path}: ${e.message}`, e.parameter);
    throw e;
  }
}
