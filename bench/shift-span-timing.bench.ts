/**
 * Times the shift span search (docs/theory.md §10.10) and its readout-sum evaluation on two 16-bit unsigned
 * wrap cells, against DIST on the same setting in the same process (the baseline):
 *   npx tsx bench/shift-span-timing.bench.ts
 */
import { checkDist } from '../src/engine/dist.js';
import { generatorRaw } from '../src/engine/shift-generator.js';
import { findShiftSpanCertificate } from '../src/engine/shift-span-certificate.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';

const cells = [
  ['hard-swish', 'UQ12.4', 'nearest-up', 'sequential', 'first'],
  ['leaky-relu', 'UQ13.3', 'nearest-down', 'sequential', 'first'],
] as const;
for (const [activation, format, rounding, accumulation, bias] of cells) {
  const s = settingOf(
    makeConfiguration({ activation, format, rounding, overflow: 'wrap', accumulation, bias, weights: 'all' }),
  );
  let t = performance.now();
  checkDist(s);
  const dist = performance.now() - t;
  t = performance.now();
  const found = findShiftSpanCertificate(s).certificate;
  const search = performance.now() - t;
  let raw = Number.NaN;
  if (found) {
    t = performance.now();
    generatorRaw(s, found.generator);
    raw = performance.now() - t;
  }
  console.log(
    `${activation} ${format}: DIST ${dist.toFixed(0)} ms; shift span search ${search.toFixed(0)} ms (${(search / dist).toFixed(1)}× DIST), ${found ? `found, depth ${1 + found.generator.rest.layers.length}` : 'none'}; one readout-sum evaluation ${raw.toFixed(0)} ms`,
  );
}
