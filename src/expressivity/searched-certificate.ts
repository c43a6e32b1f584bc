import { type Budget, BudgetExceeded } from '../engine/budget.js';
import { type Certificate, verifyCertificate } from '../engine/certificate.js';
import type { Setting } from '../engine/setting.js';
import { type CertificateSummary, EXHAUSTIVE_SEARCH_VALUES } from './certificates.js';

/**
 * What a certificate search reports to `decide`: the certificate (verified by its own verifier inside the
 * search before it is returned) with its summary and the verdict's reason; `{ tried }` when none is found
 * or the kind does not apply; null when the budget ran out (the caller's later phases stop on it too).
 */
export type Searched<C> =
  | { certificate: C; summary: CertificateSummary; reason: string }
  | { tried: string[] }
  | null;

/**
 * Runs one certificate search under the budget and describes what it found. With `materialize`, up to 256
 * values the written-out certificate is also checked by the exhaustive `verifyCertificate` (every detector
 * on every input); the kind's proof says that cannot fail, so a failure is a bug and throws.
 */
export function searchCertificate<C>(
  s: Setting,
  budget: Budget,
  kind: string,
  find: (s: Setting, budget: Budget) => { certificate: C | null; tried: string[] },
  describe: (c: C) => { summary: CertificateSummary; reason: string },
  materialize?: (s: Setting, c: C) => Certificate,
): Searched<C> {
  let found: { certificate: C | null; tried: string[] };
  try {
    found = find(s, budget);
  } catch (e) {
    if (e instanceof BudgetExceeded) return null;
    throw e;
  }
  const c = found.certificate;
  if (!c) return { tried: found.tried };
  if (materialize && s.size <= EXHAUSTIVE_SEARCH_VALUES) {
    const failure = verifyCertificate(s, materialize(s, c));
    if (failure) throw new Error(`${kind} fails the exhaustive check on ${s.format.spec}: ${failure}`);
  }
  return { certificate: c, ...describe(c) };
}
