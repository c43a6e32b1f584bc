// The Q0.n / Q1.n map cells of 11–16 bits (issue 12, item 1): verdict and time per cell.
// Usage: npx tsx bench/small-int-cells.ts [activations,…] [bits lo-hi]
import { BUILTIN_ACTIVATIONS } from '../src/activations/activation.js';
import { mapCell } from '../src/expressivity/map.js';

const acts = process.argv[2] ? process.argv[2].split(',') : BUILTIN_ACTIVATIONS;
const [lo, hi] = (process.argv[3] ?? '11-16').split('-').map(Number);
const counts: Record<string, number> = {};
for (let bits = lo; bits <= hi; bits++)
  for (const m of [0, 1])
    for (const a of acts) {
      const f = `Q${m}.${bits - 1 - m}`;
      const t = performance.now();
      const c = mapCell(a, f, 'all');
      const ms = performance.now() - t;
      counts[c.verdict] = (counts[c.verdict] ?? 0) + 1;
      console.log(
        `${f}\t${a}\t${c.verdict}\t${(ms / 1000).toFixed(1)}s\t${c.verdict === 'undetermined' ? c.reason : ''}`,
      );
    }
console.log(JSON.stringify(counts));
