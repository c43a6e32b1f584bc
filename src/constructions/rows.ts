/**
 * Row classes (docs/construction.md, "The compiler", item 2): for d ≥ 2, one AND-gadget neuron per (row,
 * value) reading its row detector and every column detector of that value (at most one active), so each
 * point costs about one edge; `columns` is the same on the transposed d = 2 table.
 */
import type { Certificate } from '../engine/certificate.js';
import { kills } from '../engine/levels.js';
import type { Setting } from '../engine/setting.js';
import type { Compilation } from './compilation.js';
import { DetectorKit } from './detector-kit.js';

/**
 * Row classes (d ≥ 2): for each row (x1 … x_{d−1}) and each value y ≠ β in it, ONE neuron — the AND
 * gadget's first neuron with its second edge repeated for every column detector C_b(x_d) with
 * f(row, b) = y (at most one C_b is non-zero, and zero terms leave the accumulator unchanged, so the
 * neuron sees exactly what the AND gadget sees) — then the rest of the AND gadget, the emitter of y
 * and the output edge. Column detectors are shared by all rows; row detectors are AND trees of point
 * detectors. Needs an AND gadget whose first layer is one neuron over (u, v).
 */
export function compileRows(
  s: Setting,
  cert: Certificate,
  table: Int32Array,
  d: number,
  transpose = false,
): Compilation | null {
  const and = cert.and;
  if (d < 2 || (transpose && d !== 2) || and.layers[0].length !== 1) return null;
  const first = and.layers[0][0];
  const wu = first.edges.find(([src]) => src === 0)?.[1];
  const wv = first.edges.find(([src]) => src === 1)?.[1];
  if (wu === undefined || wv === undefined || first.edges.length !== 2 || first.edges[0][0] !== 0)
    return null;
  // the column edges of a class neuron are many, at most one active: the idle ones must add exactly
  // nothing (wv ⊗ i = 0 for i ∈ I; always so for I = {0}); rows are merged only if wu kills I too
  if (!kills(s, wv, cert.idle)) return null;
  const mergeRows = kills(s, wu, cert.idle);
  const rest = { inputs: 1, layers: and.layers.slice(1) };
  const c = new DetectorKit(s, cert, table, d);
  const N = s.size;
  const rows = table.length / N;
  // the column coordinate and the table read along it (transposed for d = 2 when asked)
  const colCoord = transpose ? 0 : d - 1;
  const at = (r: number, b: number) => (transpose ? table[b * N + r] : table[r * N + b]);
  const points: Array<[number, number]> = [];
  for (let v = s.min; v <= s.max; v++) points.push([v, v]);
  c.plan(points);
  const rowLevel = c.detDepth + Math.ceil(Math.log2(Math.max(1, d - 1))) * c.andDepth;
  const classEnd = rowLevel + and.layers.length;
  const outLayer = classEnd + c.emitterDepth + 1;
  // rows with identical contents share their class neurons (their detectors are OR-ed in: one is active)
  const groups = new Map<string, number[]>();
  for (let r = 0; r < rows; r++) {
    let key = mergeRows ? '' : `${r}:`;
    for (let b = 0; b < N; b++) key += `${at(r, b)},`;
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  }
  const rowSignal = (r: number): number => {
    if (transpose) return c.nb.at(c.detector(1, s.min + r, s.min + r), rowLevel);
    const prefix: number[] = [];
    let q = r;
    for (let i = d - 2; i >= 0; i--) {
      prefix.unshift(s.min + (q % N));
      q = Math.floor(q / N);
    }
    const [root, level] = c.andTree(
      prefix.map((x, i) => c.detector(i, x, x)),
      c.detDepth,
    );
    return c.nb.at(root, Math.max(level, rowLevel));
  };
  let classes = 0;
  for (const members of groups.values()) {
    const r0 = members[0];
    const byValue = new Map<number, number[]>();
    for (let b = 0; b < N; b++) {
      const y = at(r0, b);
      if (y === c.beta || c.emitters[y - s.min].weights.length === 0) continue;
      let list = byValue.get(y);
      if (!list) byValue.set(y, (list = []));
      list.push(s.min + b);
    }
    if (byValue.size === 0) continue;
    const rowIds = members.map(rowSignal);
    for (const [y, cols] of byValue) {
      const edges: Array<[number, number]> = rowIds.map((id) => [id, wu]);
      for (const b of cols) edges.push([c.nb.at(c.detector(colCoord, b, b), rowLevel), wv]);
      let sig = c.nb.add(rowLevel + 1, first.bias, edges);
      if (rest.layers.length > 0) sig = c.nb.gadget(rest, [sig], rowLevel + 2)[0];
      c.emit(sig, y, outLayer);
      classes++;
    }
  }
  return c.finish(d, outLayer, classes, 'rows');
}
