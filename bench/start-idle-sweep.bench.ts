/**
 * Start-term idle certificates (docs/theory.md §8.10) on small formats under overflow `error`, sequential
 * accumulation: softplus, sigmoid, hard-sigmoid × ceil, floor, nearest-even, nearest-up, toward-zero × 13
 * formats of 4–6 bits × both bias orders. Every certificate found is verified, counted when its threshold
 * tables needed the reach-limited families of §9.7 (the full-sides pass finds none for its levels and σ_F
 * is invalid somewhere), and its network N_f for a random table is run on every input by the BigInt
 * reference evaluator (every cell of at most 32 values, and every cell of the reach-limited path).
 * Prints the counts; any failure is printed and makes the exit status 1. About 30 s.
 *   npx tsx bench/start-idle-sweep.bench.ts
 */
import { candidateWeights } from '../src/engine/chain-solver.js';
import { idleThresholdFamilies } from '../src/engine/idle-chain-certificate.js';
import { sigmaRanges } from '../src/engine/interval-chain.js';
import {
  findStartIdleCertificate,
  verifyStartIdleCertificate,
} from '../src/engine/start-idle-certificate.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { evaluateReference } from '../src/network/reference-evaluator.js';
import { randomTable } from '../src/prng.js';
import { compileStart } from '../test/start-network.js';

const formats = [
  'Q1.3',
  'Q2.2',
  'Q0.4',
  'Q1.4',
  'Q2.3',
  'Q3.2',
  'SQ1.4',
  'SQ2.3',
  'Q0.5',
  'UQ2.3',
  'Q1.5',
  'Q2.4',
  'SQ2.4',
];
let cells = 0;
let certs = 0;
let reach = 0;
let failures = 0;
const t0 = Date.now();
for (const activation of ['softplus', 'sigmoid', 'hard-sigmoid'])
  for (const rounding of ['ceil', 'floor', 'nearest-even', 'nearest-up', 'toward-zero'])
    for (const format of formats)
      for (const bias of ['first', 'last'] as const) {
        const c = makeConfiguration({ format, activation, rounding, overflow: 'error', bias });
        const s = settingOf(c);
        cells++;
        const cert = findStartIdleCertificate(s).certificate;
        if (!cert) continue;
        const label = `${activation} ${format} ${rounding} bias ${bias}`;
        const refused = verifyStartIdleCertificate(s, cert);
        if (refused !== null) {
          console.log(`refused: ${label}: ${refused}`);
          failures++;
          continue;
        }
        certs++;
        const one = s.one;
        const heads = candidateWeights(s)
          .sort((x, y) => Math.abs(Math.abs(x) - one) - Math.abs(Math.abs(y) - one) || y - x)
          .slice(0, 4);
        for (const w of [one / 2, -one / 2, one / 2 + 1, -(one / 2 + 1), one / 2 - 1, -(one / 2 - 1)])
          if (s.weights.includes(w) && !heads.includes(w)) heads.unshift(w);
        const r = sigmaRanges(s);
        const viaReach =
          !r.valid(s.min, s.max) &&
          typeof idleThresholdFamilies(s, r, cert.a, cert.idle, heads, null) === 'string';
        if (viaReach) reach++;
        if (s.size > 32 && !viaReach) continue;
        const f = randomTable(s.size, s.min, s.max, cells);
        const net = compileStart(c, cert, f);
        for (let x = s.min; x <= s.max; x++) {
          let v: number;
          try {
            v = Number(evaluateReference(net, [BigInt(x)])[0]);
          } catch {
            v = Number.NaN;
          }
          if (v !== f[x - s.min]) {
            console.log(`wrong: ${label} at x = ${x}`);
            failures++;
            break;
          }
        }
      }
console.log(
  `${cells} cells, ${certs} certificates (${reach} through reach-limited families), ${failures} failures, ${((Date.now() - t0) / 1000).toFixed(1)} s`,
);
process.exitCode = failures === 0 ? 0 : 1;
