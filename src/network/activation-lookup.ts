import type { Activation } from '../activations/activation.js';
import { roundedActivation } from '../activations/rounded.js';
import { OverflowError } from '../core/overflow.js';
import type { Format } from '../format.js';
import type { Policy } from '../policy.js';
import { TABLE_MISS, TABLE_OVERFLOW } from './fast-kernel.js';

/** σ_F for the fast evaluator: a lazily filled table over the format's codes (or none for identity). */
export interface ActivationLookup {
  /** Entries are codes, `TABLE_MISS` (not yet computed) or `TABLE_OVERFLOW` (overflows under `error`). */
  readonly table: Int32Array | null;
  /** σ_F(code) as a number, or `TABLE_OVERFLOW`; fills the table. Null for the identity. */
  readonly lookup: ((code: number) => number) | null;
}

/** Formats up to this many bits get a table (4 MiB at most); larger ones compute every lookup. */
const TABLE_BITS = 20;

const cache = new Map<string, ActivationLookup>();

const IDENTITY: ActivationLookup = Object.freeze({ table: null, lookup: null });

/**
 * The lookup of σ_F for one activation, format and policy, shared by every compiled network in the
 * process. Values are computed on first use by the correctly rounded `roundedActivation`, so a
 * network that only reaches a few codes never pays for the whole format.
 */
export function activationLookup(activation: Activation, format: Format, policy: Policy): ActivationLookup {
  // σ(x) = x is already a value of the format: rnd leaves it unchanged in every mode.
  if (activation.name === 'identity') return IDENTITY;
  const id = `${activation.key}|${format.spec}|${policy.rounding}|${policy.overflow}`;
  const cached = cache.get(id);
  if (cached) return cached;
  const sigma = roundedActivation(activation, format, policy);
  const min = Number(format.minCode);
  const max = Number(format.maxCode);
  const compute = (code: number): number => {
    // Kernels look up out-of-range accumulators only after an overflow under `error` (reported anyway).
    if (!(code >= min && code <= max)) return TABLE_OVERFLOW;
    try {
      return Number(sigma.apply(BigInt(code)));
    } catch (e) {
      if (e instanceof OverflowError) return TABLE_OVERFLOW;
      throw e;
    }
  };
  let result: ActivationLookup;
  if (format.bits <= TABLE_BITS) {
    const table = new Int32Array(Number(format.size)).fill(TABLE_MISS);
    result = {
      table,
      lookup: (code) => {
        const v = compute(code);
        table[code - min] = v;
        return v;
      },
    };
  } else {
    const memo = new Map<number, number>();
    result = {
      table: null,
      lookup: (code) => {
        let v = memo.get(code);
        if (v === undefined) {
          v = compute(code);
          memo.set(code, v);
        }
        return v;
      },
    };
  }
  cache.set(id, result);
  return result;
}
