import { h, s } from './dom.js';
import type { NeuronView } from './protocol.js';

export interface LayeredDrawingSpec {
  readonly label: string;
  readonly inputNames: readonly string[];
  readonly layers: ReadonlyArray<ReadonlyArray<NeuronView>>;
  /** Activation of each layer (shown in the neuron's details). */
  readonly activations: readonly string[];
  /** An emitter's output weights into the output neuron, drawn as a last Σ node with bias β. */
  readonly output?: { readonly weights: readonly string[]; readonly bias: string };
  /** Write weights on the edges and biases on the neurons (small networks). */
  readonly labels: boolean;
}

const COL = 132;
/** Height the drawing aims at when a layer is tall: rows then shrink down to MIN_ROW. */
const TALL = 520;
const MIN_ROW = 8;

/**
 * A layered network drawn as columns of neurons with their edges (blue positive, red negative weights).
 * Hover a neuron, or focus the drawing and move with the arrow keys, to read its bias and weights.
 */
export function layeredDrawing(spec: LayeredDrawingSpec): HTMLElement {
  const cols: Array<Array<{ name: string; neuron: NeuronView | null; activation: string }>> = [
    spec.inputNames.map((name) => ({ name, neuron: null, activation: 'input' })),
    ...spec.layers.map((layer, l) =>
      layer.map((neuron, i) => ({ name: `n${l + 1}.${i}`, neuron, activation: spec.activations[l] ?? '' })),
    ),
  ];
  if (spec.output) {
    cols.push([
      {
        name: 'Σ',
        neuron: { bias: spec.output.bias, edges: spec.output.weights.map((w, j) => [j, w] as const) },
        activation: 'output neuron (identity)',
      },
    ]);
  }
  const tallest = Math.max(1, ...cols.map((c) => c.length));
  const ROW = Math.max(MIN_ROW, Math.min(46, TALL / tallest));
  const R = Math.min(13, ROW * 0.38);
  const labels = spec.labels && ROW >= 30;
  const W = 40 + (cols.length - 1) * COL + 40;
  const Hh = 24 + tallest * ROW + 10;
  const pos = (l: number, i: number) => {
    const n = cols[l].length;
    return { x: 40 + l * COL, y: 24 + (tallest - n) * (ROW / 2) + i * ROW + ROW / 2 };
  };
  const svg = s('svg', {
    viewBox: `0 0 ${W} ${Hh}`,
    class: 'layered',
    role: 'group',
    'aria-label': spec.label,
    tabindex: 0,
    style: `max-width:${W}px`,
  });
  const edges = s('g', { class: 'edges' });
  const nodes = s('g', { class: 'nodes' });
  const edgeEls: SVGElement[][][] = cols.map((c) => c.map(() => []));
  cols.forEach((col, l) => {
    col.forEach((cell, i) => {
      const p = pos(l, i);
      if (cell.neuron && l > 0) {
        for (const [src, w] of cell.neuron.edges) {
          const q = pos(l - 1, src);
          const line = s('line', {
            x1: q.x + R,
            y1: q.y,
            x2: p.x - R,
            y2: p.y,
            class: w.startsWith('-') ? 'neg' : 'pos',
          });
          line.append(s('title', {}, `${cols[l - 1][src].name} → ${cell.name}: weight ${w}`));
          edges.append(line);
          edgeEls[l][i].push(line);
          if (labels) {
            const t = 0.62;
            edges.append(
              s(
                'text',
                { x: q.x + R + (p.x - q.x - 2 * R) * t, y: q.y + (p.y - q.y) * t - 3, class: 'wlabel' },
                w,
              ),
            );
          }
        }
      }
      const g = s('g', { class: l === 0 ? 'node input' : 'node', transform: `translate(${p.x},${p.y})` });
      g.append(s('circle', { r: R }));
      g.append(
        s('text', { y: 4, 'text-anchor': 'middle' }, l === 0 ? cell.name : cell.name === 'Σ' ? 'Σ' : ''),
      );
      if (labels && cell.neuron)
        g.append(s('text', { y: R + 11, 'text-anchor': 'middle', class: 'blabel' }, `b ${cell.neuron.bias}`));
      g.addEventListener('pointerenter', () => select(l, i));
      nodes.append(g);
    });
  });
  svg.append(edges, nodes);

  const caption = h(
    'p',
    { class: 'neuron-info', 'aria-live': 'polite' },
    'Hover a neuron (or focus the drawing and use the arrow keys) for its bias and weights.',
  );
  let sel: [number, number] = [Math.min(1, cols.length - 1), 0];
  const select = (l: number, i: number) => {
    for (const el of svg.querySelectorAll('.hl')) el.classList.remove('hl');
    sel = [l, i];
    const cell = cols[l][i];
    nodes.children[cols.slice(0, l).reduce((a, c) => a + c.length, 0) + i]?.classList.add('hl');
    for (const e of edgeEls[l][i]) e.classList.add('hl');
    if (!cell.neuron) {
      caption.textContent = `input ${cell.name}`;
      return;
    }
    const ins = cell.neuron.edges.map(([src, w]) => `${cols[l - 1][src].name} × ${w}`).join(', ');
    caption.textContent = `${cell.name} (${cell.activation}): bias ${cell.neuron.bias}; ${ins === '' ? 'no edges' : `edges ${ins}`}`;
  };
  svg.addEventListener('keydown', (ev) => {
    let [l, i] = sel;
    if (ev.key === 'ArrowRight') l = Math.min(cols.length - 1, l + 1);
    else if (ev.key === 'ArrowLeft') l = Math.max(0, l - 1);
    else if (ev.key === 'ArrowDown') i += 1;
    else if (ev.key === 'ArrowUp') i -= 1;
    else return;
    ev.preventDefault();
    select(l, Math.max(0, Math.min(cols[l].length - 1, i)));
  });
  svg.addEventListener('focus', () => select(sel[0], sel[1]));
  return h('div', { class: 'layered-wrap' }, h('div', { class: 'scroll-x' }, svg), caption);
}
