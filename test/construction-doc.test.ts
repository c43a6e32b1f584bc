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

describe('construct with a table given directly (bad input)', () => {
  const config = makeConfiguration({ format: 'Q2.2', activation: 'gelu' });
  it('names the table when its length is not |𝕀|^d', () => {
    // 256 entries for d = 2 on a 32-value format (1024 are needed): once a TypeError deep in the compiler
    expect(() => construct(config, new Int32Array(256), 2)).toThrow(
      /table has 256 entries; \|𝕀\|\^d = 32\^2 = 1024 are needed/,
    );
  });
  it('names the first entry outside the format', () => {
    const table = new Int32Array(32);
    table[5] = 16;
    expect(() => construct(config, table, 1)).toThrow(
      /table entry 5 is the code 16, outside Q2.2's codes -16 … 15/,
    );
  });
});
