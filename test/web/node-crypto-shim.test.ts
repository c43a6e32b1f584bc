import { createHash as nodeCreateHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHash } from '../../web/src/shims/node-crypto.js';

describe('the browser stand-in for node:crypto (web bundle)', () => {
  it('gives the same SHA-256 hex digests as node:crypto, also over several updates', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' }), { maxLength: 4 }), (parts) => {
        const a = createHash('sha256');
        const b = nodeCreateHash('sha256');
        for (const p of parts) {
          a.update(p);
          b.update(p);
        }
        expect(a.digest('hex')).toBe(b.digest('hex'));
      }),
    );
    expect(createHash('sha256').update('').digest('hex')).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  it('refuses other algorithms and encodings instead of hashing differently', () => {
    expect(() => createHash('md5')).toThrow(/only sha256/);
    expect(() =>
      createHash('sha256')
        .update('x')
        .digest('base64' as 'hex'),
    ).toThrow(/only hex/);
  });
});
