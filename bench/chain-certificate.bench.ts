/**
 * Chain certificates (docs/theory.md §9) against the exhaustive paths on every map cell up to `--max-bits`
 * (built-in activations × Qm.n × both weight sets, default semantics): wherever a chain certificate is
 * found, its materialized form must pass the exhaustive `verifyCertificate` (every detector on every
 * input), and the exhaustive verdict must not be `not-universal`. Exits 1 on any disagreement. Usage:
 *   npx tsx bench/chain-certificate.bench.ts [--max-bits 6]
 */
import { parseArgs } from 'node:util';
import { BUILTIN_ACTIVATIONS } from '../src/activations/activation.js';
import { verifyCertificate } from '../src/engine/certificate.js';
import { findChainCertificate, materializeChainCertificate } from '../src/engine/chain-certificate.js';
import { binaryApplicable, makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { mapFormats } from '../src/expressivity/map.js';
import { decide } from '../src/expressivity/verdict.js';

const { values } = parseArgs({ options: { 'max-bits': { type: 'string', default: '6' } } });
const maxBits = Number(values['max-bits']);
let cells = 0;
let found = 0;
let bad = 0;
let exhaustiveUniversal = 0;
let missed = 0;
const t0 = performance.now();
for (const format of mapFormats(maxBits)) {
  for (const activation of BUILTIN_ACTIVATIONS) {
    for (const weights of ['all', 'binary'] as const) {
      const c = makeConfiguration({ format, activation, weights });
      if (weights === 'binary' && !binaryApplicable(c.format)) continue;
      cells++;
      const s = settingOf(c);
      const chain = findChainCertificate(s).certificate;
      const v = decide(c);
      if (v.verdict === 'universal') exhaustiveUniversal++;
      if (!chain) {
        if (v.verdict === 'universal') missed++;
        continue;
      }
      found++;
      const failure = verifyCertificate(s, materializeChainCertificate(s, chain));
      if (failure || v.verdict === 'not-universal') {
        bad++;
        console.log(`DISAGREE ${activation} ${format} ${weights}: ${failure ?? v.reason}`);
      }
    }
  }
}
console.log(
  `${cells} cells up to ${maxBits} bits: chain certificates on ${found} (all pass the exhaustive verifier: ${bad === 0}), ` +
    `exhaustive universal ${exhaustiveUniversal}, universal cells without a chain certificate ${missed}; ` +
    `${((performance.now() - t0) / 1000).toFixed(0)} s`,
);
process.exit(bad === 0 ? 0 : 1);
