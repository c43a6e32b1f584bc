/**
 * Test helper (not a test file): mutants of a chain certificate (docs/theory.md §9.2) — every step of every
 * threshold chain with its weight or its bias moved by one code — and the check each must pass: rejected by
 * `verifyChainCertificate`, or, written out, correct on every input of every gadget (`verifyCertificate`).
 */
import { expect } from 'vitest';
import { verifyCertificate } from '../src/engine/certificate.js';
import {
  type ChainCertificate,
  materializeChainCertificate,
  verifyChainCertificate,
} from '../src/engine/chain-certificate.js';
import type { Step } from '../src/engine/chain-solver.js';
import type { Setting } from '../src/engine/setting.js';

/** Every one-code move of one step of one chain. */
export function chainMutants(s: Setting, cert: ChainCertificate): ChainCertificate[] {
  const out: ChainCertificate[] = [];
  for (let t = s.min; t <= s.max; t++)
    for (const dir of ['ge', 'le'] as const) {
      const ch = cert[dir][t - s.min];
      if (!ch) continue;
      for (let i = 0; i < ch.length; i++)
        for (const j of [0, 1])
          for (const d of [-1, 1]) {
            const table = [...cert[dir]];
            table[t - s.min] = ch.map(
              (st, k) => (k === i ? (j === 0 ? [st[0] + d, st[1]] : [st[0], st[1] + d]) : st) as Step,
            );
            out.push({ ...cert, [dir]: table });
          }
    }
  return out;
}

/** Checks every mutant (rejected, or exhaustively correct); returns how many were rejected and how many in all. */
export function checkChainMutants(s: Setting, cert: ChainCertificate): { rejected: number; total: number } {
  const mutants = chainMutants(s, cert);
  let rejected = 0;
  for (const m of mutants) {
    if (verifyChainCertificate(s, m) !== null) rejected++;
    else expect(verifyCertificate(s, materializeChainCertificate(s, m))).toBeNull();
  }
  return { rejected, total: mutants.length };
}
