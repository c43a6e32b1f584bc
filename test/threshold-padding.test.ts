import { describe, expect, it } from 'vitest';
import {
  chainDetector,
  findChainCertificate,
  verifyChainCertificate,
} from '../src/engine/chain-certificate.js';
import { findCutThresholds } from '../src/engine/cut-thresholds.js';
import { sigmaRanges, solveIntervalChain } from '../src/engine/interval-chain.js';
import { padThresholdTables } from '../src/engine/threshold-padding.js';
import { pads } from '../src/engine/threshold-tables.js';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { decide } from '../src/expressivity/verdict.js';
import { mulberry32 } from '../src/prng.js';
import { gadgetNet, ref } from './reference-gadget.js';

// relu on Q0.n with floor rounding (docs/theory.md §11.5): no one-step delay exists (w⊗ε ≤ 0 for every
// weight w < 1), the shortest delay has two steps, and the cut families give threshold chains of lengths
// 2 and 3, so half of them could not be padded to one depth and the search found no certificate. The
// padding gives those chains another rest of the other parity.

describe('threshold chains of one depth class', () => {
  const c = makeConfiguration({ format: 'Q0.11', activation: 'relu', rounding: 'floor' });
  const s = settingOf(c);
  const r = sigmaRanges(s);

  it('relu on Q0.11 with floor: no one-step delay, and the cut chains have lengths of both parities', () => {
    expect(solveIntervalChain(s, [0, 0], [1, 1], 0, 1, { minDepth: 1, maxDepth: 1 })).toBeNull();
    const delay = solveIntervalChain(s, [0, 0], [1, 1], 0, 1, { minDepth: 1, maxDepth: 3 });
    expect(delay?.length).toBe(2);
    const cut = findCutThresholds(s, r, 1);
    if (typeof cut === 'string') throw new Error(cut);
    const lengths = new Set([...cut.ge, ...cut.le].flatMap((ch) => (ch ? [ch.length] : [])));
    expect(lengths.size).toBeGreaterThan(1);
    const pair = Math.max(...lengths);
    // so some chain does not pad with the two-step delay, and a certificate built on them is rejected
    expect([...lengths].some((l) => !pads(l, 2, pair))).toBe(true);
    const padded = padThresholdTables(s, r, 1, cut, 2, 2);
    if (typeof padded === 'string') throw new Error(padded);
    const after = new Set([...padded.ge, ...padded.le].flatMap((ch) => (ch ? [ch.length % 2] : [])));
    expect(after.size).toBe(1);
  });

  it('the certificate is found, verified, and its detectors pass the BigInt reference evaluator on every input', () => {
    const { certificate, tried } = findChainCertificate(s);
    expect(certificate, tried.join('; ')).not.toBeNull();
    if (!certificate) return;
    expect(certificate.delay.length).toBe(2);
    expect(verifyChainCertificate(s, certificate)).toBeNull();
    const rand = mulberry32(12);
    const zs = [s.min, s.min + 1, -1, 0, 1, s.max - 1, s.max];
    for (let i = 0; i < 9; i++) zs.push(s.min + Math.floor(rand() * s.size));
    for (const z of zs) {
      const net = gadgetNet(c, chainDetector(s, certificate, z));
      for (let x = s.min; x <= s.max; x++) {
        const got = ref(net, [x])[0];
        if (got !== (x === z ? certificate.e : 0))
          expect(got, `D_${z}(${x})`).toBe(x === z ? certificate.e : 0);
      }
    }
    // a chain left unpadded (another rest of the wrong parity) is rejected by the verifier
    const le = certificate.le.slice();
    const i = le.findIndex((ch, k) => ch !== null && k > 0);
    const ch = le[i] as Array<readonly [number, number]>;
    le[i] = [...ch, ...certificate.delay.slice(0, 1)];
    expect(verifyChainCertificate(s, { ...certificate, le })).not.toBeNull();
  });

  it('decide says universal', () => {
    expect(decide(c).verdict).toBe('universal');
  });

  it('exact accumulation: the end chain x ≤ min gets a whole chain of a fitting length, no longer than the pair depth', () => {
    const cx = makeConfiguration({
      format: 'Q0.11',
      activation: 'relu',
      rounding: 'floor',
      accumulation: 'exact',
    });
    const sx = settingOf(cx);
    const { certificate, tried } = findChainCertificate(sx);
    expect(certificate, tried.join('; ')).not.toBeNull();
    if (!certificate) return;
    expect(verifyChainCertificate(sx, certificate)).toBeNull();
    // the end detectors (padded chains) and two inner ones, on every input, by the BigInt reference evaluator
    for (const z of [sx.min, sx.max, -1, 7]) {
      const net = gadgetNet(cx, chainDetector(sx, certificate, z));
      for (let x = sx.min; x <= sx.max; x++) {
        const got = ref(net, [x])[0];
        if (got !== (x === z ? certificate.e : 0))
          expect(got, `D_${z}(${x})`).toBe(x === z ? certificate.e : 0);
      }
    }
  });
});
