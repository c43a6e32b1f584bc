import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseNetworkJson } from '../src/network/network-json.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';
import { fxnn } from './run-cli.js';

/** `fxnn check|construct` with --expr, --lut and --alpha, run in-process (stdout and stderr captured). */

const dir = mkdtempSync(join(tmpdir(), 'fxnn-check-user-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const verdictOf = async (...args: string[]) => {
  const r = await fxnn('check', ...args, '--json');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as { verdict: string; reason: string; dist: { holds: boolean } };
};

describe('check and construct take user activations like `fxnn activation`', () => {
  it('--expr, --lut (the table `activation --csv` prints) and the built-in give the same verdict', async () => {
    const builtin = await verdictOf('--activation', 'silu', '--format', 'Q2.3');
    const expr = await verdictOf('--activation', 'expr', '--expr', 'x*sigmoid(x)', '--format', 'Q2.3');
    const csv = await fxnn('activation', 'silu', '--format', 'Q2.3', '--csv');
    expect(csv.status).toBe(0);
    const lut = join(dir, 'silu.csv');
    writeFileSync(lut, csv.stdout);
    const fromLut = await verdictOf('--activation', 'lut', '--lut', lut, '--format', 'Q2.3');
    expect(builtin.verdict).toBe('universal');
    expect(expr.verdict).toBe('universal');
    expect(fromLut.verdict).toBe('universal');
  });

  it('--alpha: leaky-relu with α = 1 is the identity (same verdict and reason as identity)', async () => {
    const leaky = await verdictOf('--activation', 'leaky-relu', '--alpha', '1', '--format', 'Q1.1');
    const id = await verdictOf('--activation', 'identity', '--format', 'Q1.1');
    expect(leaky.verdict).toBe(id.verdict);
    expect(leaky.reason).toBe(id.reason);
  });

  it('the wrap counterexample of issue 11 from the command line is not not-universal', async () => {
    const v = await verdictOf(
      ...['--activation', 'expr', '--expr', 'x >= 0 ? 1.5 : 0', '--format', 'Q1.1'],
      ...['--accumulation', 'exact', '--overflow', 'wrap', '--weights', 'binary'],
    );
    // universal since the modular idle certificates of docs/theory.md §8.9 (exact accumulation with binary
    // weights under wrap: the output neuron sums modulo N); test/modular-idle.test.ts checks such N_f
    expect(v.verdict).not.toBe('not-universal');
    expect(v.verdict).toBe('universal');
  });

  it('construct --expr builds a network that the reference evaluator confirms', async () => {
    const file = join(dir, 'net.json');
    const args = ['construct', '--activation', 'expr', '--expr', 'x >= 0 ? x : x/4', '--format', 'Q1.2'];
    expect((await fxnn(...args, '--fn', '-x1', '--dims', '1', '--out', file)).status).toBe(0);
    const net = parseNetworkJson(readFileSync(file, 'utf8'));
    for (let x = -8n; x <= 7n; x++) {
      const want = x === -8n ? 7n : -x; // −x rounded into Q1.2: −(−2) saturates to 1.75
      expect(evaluateReference(net, [x])[0]).toBe(want);
    }
  });

  it.each([
    [
      ['--activation', 'relu', '--expr', 'x'],
      /^error: --expr is only for the activation "expr" \(got "relu"\)\n$/,
    ],
    [['--activation', 'expr'], /^error: activation expr: give the expression with --expr E/],
    [['--activation', 'lut'], /^error: activation lut: give the table with --lut FILE/],
  ])('bad input %j is one line, exit 2', async (args, message) => {
    const r = await fxnn('check', ...args, '--format', 'Q2.3');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
