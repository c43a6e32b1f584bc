import type { Certificate } from '../engine/certificate.js';
import type { LayeredNet } from '../engine/layered-net.js';
import type { Levels } from '../engine/levels.js';
import type { Setting } from '../engine/setting.js';

/** The signal levels of a certificate: active e, idle I (docs/theory.md §8). */
export function levelsOf(cert: Certificate): Levels {
  return { a: cert.e, idle: cert.idle };
}

/** What the compiler reports besides the network. */
export interface Compilation {
  readonly net: LayeredNet;
  readonly beta: number;
  /** Boxes (box method) or row classes (row method) given a tree. */
  readonly boxes: number;
  readonly method: Method;
  /** The plan of the construction (set by the registry): a lower bound on the parameters, exact for two-level. */
  readonly plan?: number;
}

export type Method =
  | 'boxes'
  | 'rows'
  | 'steps'
  | 'two-level'
  | 'two-level-index'
  | 'two-level-gadgets'
  | 'two-level-affine'
  | 'two-level-ramps'
  | 'two-level-wrap'
  | 'two-level-periodic'
  | 'two-level-bits'
  | 'thresholds-wrap'
  | 'thresholds';

/** What a construction is asked to compute: a table over 𝕀^d (codes, x1 slowest) in a setting. */
export interface Target {
  readonly s: Setting;
  readonly cert: Certificate;
  readonly table: Int32Array;
  readonly d: number;
}

/**
 * One construction behind the registry (`src/constructions/registry.ts`): `plan` is cheap (about one
 * pass over the table) and gives a lower bound on the parameters `build` would use, or null when the
 * construction does not apply; `build` gives the network (or null when it turns out not to apply).
 * The registry builds in the order of the plans and skips a construction whose plan cannot beat the
 * best network already built.
 */
export interface Construction {
  readonly name: string;
  /** One line for `construct --help`. */
  readonly summary: string;
  plan(t: Target): number | null;
  build(t: Target): Compilation | null;
}
