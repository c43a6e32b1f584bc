import { describe, expect, it } from 'vitest';
import { construct, decide, makeConfiguration } from '../src/index.js';

describe('docs/construction.md library example', () => {
  it('runs as written: a universal verdict and a verified network', () => {
    const config = makeConfiguration({ format: 'Q2.3', activation: 'relu' });
    expect(decide(config).verdict).toBe('universal');
    const table = new Int32Array(64).map((_, i) => ((i * 7) % 64) - 32);
    const report = construct(config, table, 1);
    expect(report.verifiedInputs).toBe(64);
    expect(report.ratio).toBe(report.size.parameters / 64);
    expect(['boxes', 'rows', 'steps']).toContain(report.method);
  });
});
