/**
 * Boxes (docs/construction.md, "The compiler", item 1): a table over 𝕀^d cut into boxes on which it is
 * constant is computed by one AND tree of interval detectors per box, the emitter of its value and an
 * output neuron with bias β; at any input exactly one tree (or none, for β) is active.
 */
import type { Certificate } from '../engine/certificate.js';
import type { Setting } from '../engine/setting.js';
import { boxesOf } from './boxes-of.js';
import type { Compilation } from './compilation.js';
import { DetectorKit } from './detector-kit.js';

/**
 * The composition lemma (THEORY §5.2) with compression: interval detectors per coordinate (threshold
 * chains shared between intervals, joined by the AND gadget), one AND tree per box, the emitter of the
 * box's value, and one output neuron with bias β (the most frequent value: its points need no tree).
 */
export function compileBoxes(
  s: Setting,
  cert: Certificate,
  table: Int32Array,
  d: number,
  compress: boolean,
): Compilation {
  const c = new DetectorKit(s, cert, table, d);
  const boxes = boxesOf(table, d, s.min, s.size, c.beta, compress).filter(
    (b) => c.emitters[b.value - s.min].weights.length > 0,
  );
  const full = (lo: number, hi: number) => lo === s.min && hi === s.max;
  const intervals: Array<[number, number]> = [];
  for (const b of boxes)
    for (let i = 0; i < d; i++) if (!full(b.lo[i], b.hi[i])) intervals.push([b.lo[i], b.hi[i]]);
  c.plan(intervals);
  // a loop, not Math.max(...boxes): a 2^20-point table has hundreds of thousands of boxes
  let maxCoords = 1;
  for (const b of boxes) {
    let k = 0;
    for (let i = 0; i < d; i++) if (!full(b.lo[i], b.hi[i])) k++;
    if (k > maxCoords) maxCoords = k;
  }
  const treeEnd = c.detDepth + Math.ceil(Math.log2(maxCoords)) * c.andDepth;
  const outLayer = treeEnd + c.emitterDepth + 1;
  for (const b of boxes) {
    const parts: number[] = [];
    for (let i = 0; i < d; i++) if (!full(b.lo[i], b.hi[i])) parts.push(c.detector(i, b.lo[i], b.hi[i]));
    if (parts.length === 0)
      throw new Error('a box covering all of 𝕀^d means f is constant; β alone computes it');
    const [root, level] = c.andTree(parts, c.detDepth);
    c.emit(c.nb.at(root, Math.max(level, treeEnd)), b.value, outLayer);
  }
  return c.finish(d, outLayer, boxes.length, 'boxes');
}
