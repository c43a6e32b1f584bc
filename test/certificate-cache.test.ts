import { describe, expect, it } from 'vitest';
import {
  CERTIFICATE_CACHE_ENTRIES,
  certificateCacheSize,
  certificateFor,
} from '../src/expressivity/certificates.js';
import { makeConfiguration } from '../src/expressivity/configuration.js';

// The certificate cache is bounded: a process that decides many configurations (the map, the scans, the web
// explorer) kept every setting and certificate it built, about 45 KB per cell (a 3-5-bit scan ran out of a 4 GB
// heap after 84,000 cells).

describe('the certificate cache', () => {
  it('holds at most CERTIFICATE_CACHE_ENTRIES results, and a repeated configuration is a hit (same object)', () => {
    const configs = [];
    for (const format of ['Q1.1', 'Q0.2', 'Q2.0', 'UQ1.2', 'UQ2.1'])
      for (const activation of ['relu', 'identity', 'tanh', 'sigmoid'])
        for (const rounding of ['floor', 'ceil', 'nearest-even', 'toward-zero'])
          configs.push(makeConfiguration({ format, activation, rounding, overflow: 'wrap' }));
    expect(configs.length).toBeGreaterThan(CERTIFICATE_CACHE_ENTRIES);
    for (const c of configs) certificateFor(c);
    expect(certificateCacheSize()).toBe(CERTIFICATE_CACHE_ENTRIES);
    const last = configs[configs.length - 1]!;
    expect(certificateFor(last)).toBe(certificateFor(last));
    // the first ones were dropped: asking again builds a new result
    const first = configs[0]!;
    const again = certificateFor(first);
    expect(certificateFor(first)).toBe(again);
    expect(certificateCacheSize()).toBe(CERTIFICATE_CACHE_ENTRIES);
  });
});
