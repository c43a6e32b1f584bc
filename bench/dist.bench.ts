/**
 * DIST on 16-bit formats (Q7.8 and a few more) for several activations: the time of `checkDist`
 * (bias rows, KMR ranks and the refinement passes), beside a baseline loop in the same process doing
 * the same number of σ_F lookups as DIST does (one per symbol of the bias rows: σ_F(ovf(t)) for every
 * t, or σ_F(rnd(t + r/2^n)) under exact accumulation) and nothing else. The last column extrapolates
 * the naive scan of every (w, b, x) — |𝕀|³ lookups — from the baseline's rate.
 *
 * Each result is checked: a holding DIST must leave |𝕀| classes and 200 random pairs must each get a
 * separating unary neuron that really separates them (on `unary`); a witness must be inseparable by
 * every weight and bias on `unary` (scanned in full for ±1, and for 64 random weights). A mismatch
 * fails the run.
 *
 * Each configuration runs in its own child process (as in arith.bench.ts), so that V8's type feedback
 * from one setting's closures cannot slow down the next.
 *
 *   npx tsx bench/dist.bench.ts
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseActivation } from '../src/activations/activation.js';
import { activationTable } from '../src/activations/rounded.js';
import { biasRows } from '../src/engine/bias-rows.js';
import { checkDist, separatingNeuron } from '../src/engine/dist.js';
import { type Accumulation, makeSetting, type Setting, unary } from '../src/engine/setting.js';
import { parseFormat } from '../src/format.js';
import { makePolicy } from '../src/policy.js';

interface Config {
  activation: string;
  format: string;
  overflow?: string;
  accumulation?: Accumulation;
}

const CONFIGS: Config[] = [
  { activation: 'gelu', format: 'Q7.8' },
  { activation: 'relu', format: 'Q7.8' },
  { activation: 'sigmoid', format: 'Q7.8' },
  { activation: 'tanh', format: 'Q7.8' },
  { activation: 'silu', format: 'Q7.8' },
  { activation: 'softplus', format: 'Q7.8' },
  { activation: 'step', format: 'Q7.8' },
  { activation: 'identity', format: 'Q7.8', overflow: 'wrap' },
  { activation: 'gelu', format: 'Q7.8', accumulation: 'exact' },
  { activation: 'gelu', format: 'Q7.8', overflow: 'error' },
  { activation: 'relu', format: 'Q15.0' },
  { activation: 'sigmoid', format: 'Q0.15' },
];

function settingOf(c: Config): { s: Setting; tableMs: number } {
  const f = parseFormat(c.format);
  const policy = makePolicy(f, { overflow: c.overflow });
  const t0 = performance.now();
  const table = activationTable(parseActivation(c.activation), f, policy);
  const tableMs = performance.now() - t0;
  return { s: makeSetting(f, policy, c.accumulation ?? 'sequential', 'last', 'all', table), tableMs };
}

/**
 * Milliseconds for as many σ_F lookups as the bias rows hold, through the setting's own kernels: the
 * best of 8 timings of 16 repetitions (above the timer's resolution), divided by 16.
 */
function baseline(s: Setting, lookups: number): number {
  let best = Number.POSITIVE_INFINITY;
  let acc = 0;
  for (let round = 0; round < 8; round++) {
    const t0 = performance.now();
    for (let rep = 0; rep < 16; rep++) {
      if (s.accumulation === 'sequential') {
        for (let i = 0; i < lookups; i++)
          acc += s.sigma[s.add(2 * s.min + (i % (2 * s.size - 1)), 0) - s.min];
      } else {
        for (let i = 0; i < lookups; i++)
          acc += s.sigma[s.roundWide((i - lookups / 2) * s.one + (i & 3)) - s.min];
      }
    }
    best = Math.min(best, (performance.now() - t0) / 16);
  }
  if (Number.isNaN(acc) && s.policy.overflow !== 'error') throw new Error('baseline: invalid σ lookup');
  return best;
}

function rng(seed: number): (k: number) => number {
  let x = seed;
  return (k) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % k;
  };
}

function verify(c: Config, s: Setting, r: ReturnType<typeof checkDist>): void {
  const name = `${c.activation} ${c.format}`;
  const rnd = rng(0x9e3779b9);
  if (r.holds) {
    if (r.stats.classes !== s.size) throw new Error(`${name}: DIST holds with ${r.stats.classes} classes`);
    for (let t = 0; t < 200; t++) {
      const x = s.min + rnd(s.size);
      const y = s.min + rnd(s.size);
      if (x === y) continue;
      const n = separatingNeuron(s, x, y);
      if (n === null || unary(s, n.w, x, n.b) === unary(s, n.w, y, n.b)) {
        throw new Error(`${name}: no true separating neuron for (${x}, ${y})`);
      }
    }
    return;
  }
  const [x, y] = r.witness!;
  const weights = [s.one, -s.one, ...Array.from({ length: 64 }, () => s.weights[rnd(s.weights.length)])];
  for (const w of weights) {
    for (let b = s.min; b <= s.max; b++) {
      const u = unary(s, w, x, b);
      const v = unary(s, w, y, b);
      if (u === v || !(u >= s.min && v >= s.min)) continue;
      let valid = true;
      for (let z = s.min; z <= s.max && valid; z++) valid = unary(s, w, z, b) >= s.min;
      if (valid) throw new Error(`${name}: witness (${x}, ${y}) separated by w = ${w}, b = ${b}`);
    }
  }
}

const pad = (v: string, n: number) => v.padStart(n);

/** One configuration, measured and checked in this process; prints one table row. */
function runChild(c: Config): void {
  const { s, tableMs } = settingOf(c);
  const first = checkDist(s);
  let best = first.stats.millis;
  for (let i = 0; i < 3; i++) best = Math.min(best, checkDist(s).stats.millis);
  verify(c, s, first);
  const lookups = biasRows(s).symbols.length;
  const base = baseline(s, lookups);
  const naiveHours = ((base / lookups) * s.size ** 3) / 3.6e6;
  const sem = `${c.accumulation ?? 'sequential'}/${c.overflow ?? 'saturate'}`;
  const result = first.holds ? 'holds' : `fails (${first.witness!.join(', ')})`;
  console.log(
    `${c.activation.padEnd(9)} ${c.format.padEnd(7)} ${sem.padEnd(19)} ${pad(tableMs.toFixed(0), 9)} ${pad(first.stats.millis.toFixed(0), 8)} ${pad(best.toFixed(0), 8)} ${pad(String(lookups), 8)} ${pad(base.toFixed(2), 8)} ${pad((best / base).toFixed(0), 6)} ${pad(String(first.stats.passes), 6)}  ${result.padEnd(8)} ≈ ${naiveHours.toFixed(0)} h`,
  );
}

const child = process.argv[2];
if (child !== undefined) runChild(CONFIGS[Number(child)]);
else {
  console.log(
    `${'activation'.padEnd(9)} ${'format'.padEnd(7)} ${'semantics'.padEnd(19)} ${pad('table ms', 9)} ${pad('DIST ms', 8)} ${pad('best ms', 8)} ${pad('lookups', 8)} ${pad('base ms', 8)} ${pad('ratio', 6)} ${pad('passes', 6)}  result   naive |𝕀|³ scan`,
  );
  // each configuration in a fresh process: the setting's closures would otherwise share call sites
  for (let i = 0; i < CONFIGS.length; i++) {
    const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), String(i)], {
      stdio: ['ignore', 'pipe', 'inherit'],
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`configuration ${i} failed`);
    process.stdout.write(r.stdout);
  }
}
