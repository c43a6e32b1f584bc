import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/**
 * The part of `node:crypto` the library uses (`createHash('sha256')…digest('hex')`, for LUT
 * activation keys), for the browser bundle: Vite aliases `node:crypto` to this file.
 */
export function createHash(algorithm: string) {
  if (algorithm !== 'sha256')
    throw new Error(`createHash: only sha256 is available in the browser, got ${algorithm}`);
  const h = sha256.create();
  const hash = {
    update(data: string) {
      h.update(utf8ToBytes(data));
      return hash;
    },
    digest(encoding: 'hex') {
      if (encoding !== 'hex')
        throw new Error(`digest: only hex is available in the browser, got ${encoding}`);
      return bytesToHex(h.digest());
    },
  };
  return hash;
}
