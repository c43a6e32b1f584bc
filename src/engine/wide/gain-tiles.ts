/**
 * Tiled splits for the gain families of Lemmas G and G′ (docs/theory.md §9.5, "Tiled splits"). The lemmas
 * hold for every split s with proved rest chains: nothing in their proofs ties s to 0. With few fraction
 * bits the gains ±(½ ± ε) are far from ½ (n = 2: ¼ and ¾), and the window of a gain w₀ with split s is
 * about {t : |g(t) − s| ≤ (1 − |w₀|)·max} (the first step's pre-activations g(x) + b_t stay in range at
 * min and max), a band of about 2(1 − |w₀|)·max/|w₀| thresholds centred near s/w₀; the splits near 0
 * and about ±2^(m+2) codes away that `gainFamilies` tries first leave the thresholds near the ends of 𝕀
 * whose residue only ±(½ + ε) serves (n = 2, nearest-zero: t ≡ 1, 5 mod 8 for t ≥ 1, t ≡ 0, 4 mod 8 for
 * t ≤ 0) outside every window. This module proposes more splits, spread over 𝕀, so that the windows tile
 * it. It proves nothing: each family is still checked by `verifyWideCertificate` (window ends valid by
 * strict evaluation, rest chains by strict interval images, every threshold served or given a single).
 */
import { recordSplitDown, recordSplitUp } from './wide-dist.js';
import type { WideSigma } from './wide-sigma.js';

/** How many tiles 𝕀 is cut into on each side of 0 (splits near j·max/TILES and j·min/TILES). */
export const GAIN_TILES = 8n;

/**
 * Record splits near j·max/GAIN_TILES (j = 1 … GAIN_TILES − 1, the first record at or above) and near
 * j·min/GAIN_TILES (the first record at or below), in that order, without those in `known`.
 */
export function gainTileSplits(r: WideSigma, known: readonly bigint[]): bigint[] {
  const s = r.setting;
  const out: bigint[] = [];
  const add = (v: bigint | null) => {
    if (v !== null && !known.includes(v) && !out.includes(v)) out.push(v);
  };
  for (let j = 1n; j < GAIN_TILES; j++) {
    add(recordSplitUp(r, (j * s.max) / GAIN_TILES, s.max));
    add(recordSplitDown(r, (j * s.min) / GAIN_TILES, s.min + 1n));
  }
  return out;
}
