/**
 * The expression classes of issue 16 at the CLI: huge values on the table and --at paths, deep and
 * long expressions in verify --fn, hostile text as one line with exit 2, no "≈ NaN".
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.js';
import { MAX_EXPRESSION_DEPTH } from '../src/expression/expression.js';

let out = '';
let err = '';
beforeEach(() => {
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => {
    out += `${a.join(' ')}\n`;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
});

const dir = mkdtempSync(join(tmpdir(), 'fxnn-expression-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** y = x1 in Q3.4 (relu(x) − relu(−x)). */
const identityNet = join(dir, 'id.json');
writeFileSync(
  identityNet,
  JSON.stringify({
    fxnn: 1,
    format: 'Q3.4',
    inputs: 1,
    layers: [
      {
        activation: 'relu',
        neurons: [
          { bias: '0', edges: [[0, '1']] },
          { bias: '0', edges: [[0, '-1']] },
        ],
      },
      {
        activation: 'identity',
        neurons: [
          {
            bias: '0',
            edges: [
              [0, '1'],
              [1, '-1'],
            ],
          },
        ],
      },
    ],
  }),
);

describe('huge values at the CLI', () => {
  it('tables saturate (null under error) instead of crashing; --at prints no NaN', async () => {
    expect(await main(['activation', 'expr', '--expr', 'exp(x)', '--format', 'Q10.0', '--json'])).toBe(0);
    const codes = JSON.parse(out).codes as Array<number | null>;
    expect(codes.slice(-3)).toEqual([1023, 1023, 1023]);
    out = '';
    expect(
      await main([
        'activation',
        'expr',
        '--expr',
        'x^200',
        '--format',
        'Q6.0',
        '--overflow',
        'error',
        '--json',
      ]),
    ).toBe(0);
    const e = JSON.parse(out).codes as Array<number | null>;
    expect(e[64]).toBe(0); // 0^200
    expect(e[65]).toBe(1); // 1^200
    expect(e[66]).toBeNull(); // 2^200
    out = '';
    for (const [name, alpha] of [
      ['leaky-relu', '1e400'],
      ['elu', '1e400'],
    ]) {
      expect(await main(['activation', name, '--alpha', alpha, '--format', 'Q3.4', '--json'])).toBe(0);
      expect((JSON.parse(out).codes as number[])[0]).toBe(-128);
      out = '';
    }
    expect(await main(['activation', 'expr', '--expr', '1e400', '--format', 'Q3.4', '--at', '0'])).toBe(0);
    expect(out).toBe('σ_F(0) = 7.9375  (code 127; σ(x) ≈ 1e+400)\n');
    out = '';
    expect(
      await main(['activation', 'expr', '--expr', 'x^(2^1000)', '--format', 'Q3.4', '--at', '-8', '0.5']),
    ).toBe(0);
    expect(out).not.toContain('NaN');
  });
});

describe('deep, long and hostile expressions', () => {
  it('verify --fn with a 3,000-term sum works; beyond the depth limit it is exit 2 with one line', async () => {
    const sum = Array.from({ length: 3000 }, () => 'x1').join(' + ');
    // the net saturates relu(8) to 7.9375, hence the max
    expect(await main(['verify', identityNet, '--fn', `max((${sum}) / 3000, -7.9375)`])).toBe(0);
    expect(out).toContain('verified');
    const deep = `${'sin('.repeat(MAX_EXPRESSION_DEPTH + 5)}x1${')'.repeat(MAX_EXPRESSION_DEPTH + 5)}`;
    expect(await main(['verify', identityNet, '--fn', deep])).toBe(2);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toContain(`nested more than ${MAX_EXPRESSION_DEPTH} levels deep`);
  });

  it('x.toString() and friends are clean one-line errors', async () => {
    for (const text of ['x.toString()', 'x.constructor', 'constructor(x)', '__proto__', 'x[0]', 'f(x) = x']) {
      err = '';
      expect(await main(['activation', 'expr', '--expr', text, '--format', 'Q3.4']), text).toBe(2);
      expect(err.trim().split('\n'), text).toHaveLength(1);
      expect(err).toMatch(/^error: expr /);
      expect(err).not.toContain('native code');
    }
  });

  it('random deep nestings up to the limit evaluate without exhausting the stack', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom('tanh(', 'atan(', 'sigmoid(', '-(', 'abs(', '(x+', 'max(x,', 'erf('), {
          minLength: MAX_EXPRESSION_DEPTH - 20,
          maxLength: MAX_EXPRESSION_DEPTH - 1,
        }),
        (opens) => {
          const text = `${opens.join('')}x${')'.repeat(opens.length)}`;
          return main(['activation', 'expr', '--expr', text, '--format', 'Q1.2', '--json']).then((code) => {
            expect(code, `${text}: ${err}`).toBe(0);
            out = '';
          });
        },
      ),
      { numRuns: 8 },
    );
  });
});
