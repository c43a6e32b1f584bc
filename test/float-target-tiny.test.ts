/**
 * verify --fn targets that are tiny, or just below a grid point, through irrational operations
 * (docs/float.md §6, "verify --fn"): the gelu formula x/2·(1 + erf(x/√2)) is decided at every finite
 * x of E4M3, E5M2 and E3M4 in every rounding mode — gelu(−448) ≈ −10^−43590 is −0 under nearest-even
 * and −2^−9 under floor — and agrees with test/fixtures/float-activations (mpmath at 60/120 digits,
 * written independently of src/); exact zeros reached through irrational operations are zeros of
 * either sign in the modes where every tiny value rounds to a zero; undecidable points stop at the
 * time budget with one error naming the point and the budget.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { intervalArithmetic } from '../src/activations/decimal-interval.js';
import { normalTailInterval } from '../src/activations/normal-tail.js';
import { finiteCodesAscending, parseFloatFormat } from '../src/float/float-format.js';
import { FLOAT_ROUNDINGS, makeFloatPolicy } from '../src/float/float-rounding.js';
import { floatTarget, SIGNLESS_ZERO } from '../src/float/float-target.js';
import { fxnn } from './run-cli.js';

const GELU = 'x1/2*(1+erf(x1/sqrt(2)))';
const fixtures = join(import.meta.dirname, 'fixtures', 'float-activations');
const dir = mkdtempSync(join(tmpdir(), 'fxnn-float-tiny-'));

describe('the gelu formula as a float target', () => {
  for (const spec of ['E4M3', 'E5M2', 'E3M4']) {
    it(`${spec}: every finite x, every rounding, equals the mpmath table`, () => {
      const fixture = JSON.parse(readFileSync(join(fixtures, `${spec}.json`), 'utf8'));
      const f = parseFloatFormat(spec);
      const xs = Array.from(finiteCodesAscending(f));
      expect(fixture.x).toEqual(xs);
      const t0 = performance.now();
      for (const rounding of FLOAT_ROUNDINGS) {
        const target = floatTarget(GELU, 1, f, makeFloatPolicy({ rounding }));
        const got = xs.map((x) => target.codeAt([x]));
        expect(got, rounding).toEqual(fixture.tables.gelu[rounding]);
      }
      expect(performance.now() - t0).toBeLessThan(15_000);
    });
  }

  // open ends through quotients and strictly monotone maps: 1/(1 + e^−57344) is just below 1
  for (const [name, formula] of [
    ['sigmoid', '1/(1+exp(-x1))'],
    ['silu', 'x1/(1+exp(-x1))'],
    ['softplus', 'log(1+exp(x1))'],
  ])
    for (const spec of ['E4M3', 'E5M2']) {
      if (name === 'softplus' && spec === 'E5M2') continue; // log(1 + e^57344) > 57344: see docs, "Not done"
      it(`${name} as ${formula} on ${spec}: every finite x, every rounding, equals the mpmath table`, () => {
        const fixture = JSON.parse(readFileSync(join(fixtures, `${spec}.json`), 'utf8'));
        const f = parseFloatFormat(spec);
        const xs = Array.from(finiteCodesAscending(f));
        for (const rounding of FLOAT_ROUNDINGS) {
          const target = floatTarget(formula, 1, f, makeFloatPolicy({ rounding }));
          const got = xs.map((x) => target.codeAt([x]));
          expect(got, rounding).toEqual(fixture.tables[name][rounding]);
        }
      });
    }

  it('sigmoid and silu at 57344 in E5M2 under toward-zero: 0.875 and 49152, at 24 digits', () => {
    const f = parseFloatFormat('E5M2');
    const tz = makeFloatPolicy({ rounding: 'toward-zero' });
    const t0 = performance.now();
    expect(floatTarget('1/(1+exp(-x1))', 1, f, tz).codeAt([123])).toBe(59); // 0.875 = 1.75·2^-1
    expect(floatTarget('x1/(1+exp(-x1))', 1, f, tz).codeAt([123])).toBe(122); // 49152 = 1.5·2^15
    expect(performance.now() - t0).toBeLessThan(2_000);
  });

  it('gelu(−448) in E4M3: −0 under nearest-even, −2^−9 under floor, decided in milliseconds', () => {
    const f = parseFloatFormat('E4M3');
    const at = (rounding: string) => {
      const t0 = performance.now();
      const c = floatTarget(GELU, 1, f, makeFloatPolicy({ rounding })).codeAt([0xfe]);
      return { c, ms: performance.now() - t0 };
    };
    const ne = at('nearest-even');
    expect(ne.c).toBe(0x80);
    expect(ne.ms).toBeLessThan(2_000);
    expect(at('floor').c).toBe(0x81);
    expect(at('ceil').c).toBe(0x80);
  });

  it('verify --fn of a gelu network against the formula finishes and verifies', async () => {
    const path = join(dir, 'gelu.json');
    writeFileSync(
      path,
      JSON.stringify({
        fxnn: 1,
        format: 'E4M3',
        inputs: 1,
        layers: [{ activation: 'gelu', neurons: [{ bias: '0', edges: [[0, '1']] }] }],
      }),
    );
    const r = await fxnn('verify', path, '--fn', GELU);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('verified: the network equals the target on all 253 inputs\n');
  });
});

describe('the normal tail at a large argument and many digits', () => {
  it('Q(448) at 192 digits comes from the continued fraction, in well under a second', () => {
    // before: the continued fraction stopped at 4·start = 36 terms (converging like n!/x^(2n), too
    // few for 192 digits), and the series fallback needed 43,600 guard digits: minutes
    const t0 = performance.now();
    const q = normalTailInterval(new Decimal(448), intervalArithmetic(192));
    expect(performance.now() - t0).toBeLessThan(5_000);
    // Q(x) = φ(x)/x·(1 − 1/x² + …): log10 Q(448) = −x²/(2 ln 10) − log10(448·√(2π)) ≈ −43585.2
    expect(q.lo.gt(0)).toBe(true);
    expect(q.lo.log(10).toNumber()).toBeCloseTo(
      -100352 / Math.LN10 - Math.log10(448 * Math.sqrt(2 * Math.PI)),
      3,
    );
    expect(q.hi.minus(q.lo).div(q.lo).lt('1e-185')).toBe(true);
  });
});

describe('exact zeros through irrational operations, and the budget', () => {
  const f = parseFloatFormat('E4M3');
  const ZERO = '(sqrt(2)*sqrt(2) - 2)*x1';

  it('a zero of either sign where every tiny value rounds to a zero', () => {
    for (const rounding of ['nearest-even', 'nearest-away', 'toward-zero']) {
      const t = floatTarget(ZERO, 1, f, makeFloatPolicy({ rounding }));
      expect(t.codeAt([0x38])).toBe(SIGNLESS_ZERO); // x1 = 1
    }
  });

  it('verify compares it as a zero and prints it as ±0', async () => {
    const path = join(dir, 'zero.json');
    writeFileSync(
      path,
      JSON.stringify({
        fxnn: 1,
        format: 'E3M2',
        inputs: 1,
        layers: [{ activation: 'identity', neurons: [{ bias: '0', edges: [[0, '0']] }] }],
      }),
    );
    const ok = await fxnn('verify', path, '--fn', ZERO);
    expect(ok.stdout).toBe('verified: the network equals the target on all 55 inputs\n');
    // a tiny nonzero target of either sign rounds to a zero too
    const tiny = await fxnn('verify', path, '--fn', `${ZERO} + 2^-20*x1`);
    expect(tiny.stdout).toBe('verified: the network equals the target on all 55 inputs\n');
    writeFileSync(path, readFileSync(path, 'utf8').replace('[[0,"0"]]', '[[0,"1"]]'));
    const off = await fxnn('verify', path, '--fn', ZERO, '--show', '1');
    expect(off.status).toBe(1);
    expect(off.stdout).toBe(
      '54 mismatches out of 55 inputs\nfirst 1:\n  x = (-14): network -14, target ±0\n',
    );
  });

  it('under floor the sign matters: undecidable, stopped by the budget with the point named', () => {
    const t = floatTarget(ZERO, 1, f, makeFloatPolicy({ rounding: 'floor' }), { budgetMs: 0 });
    expect(() => t.codeAt([0x38])).toThrow(
      /^expression "\(sqrt\(2\)\*sqrt\(2\) - 2\)\*x1" at x = \(1\): undetermined within the time budget of 0\.0 s per point \(\d+\.\d s spent; (double|24-digit) enclosures did not decide the rounding into E4M3, and \d+ digits would take longer; --force lifts the budget\)$/,
    );
    // without a budget: every precision up to 1536 digits, then the digits are named
    const slow = floatTarget(ZERO, 1, f, makeFloatPolicy({ rounding: 'floor' }));
    expect(() => slow.codeAt([0x38])).toThrow(
      /at x = \(1\): cannot decide the rounding into E4M3 with 1536 digits/,
    );
  });
});
