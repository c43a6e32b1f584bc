import { codeText, count, h, s } from './dom.js';
import { layeredDrawing } from './layered-drawing.js';
import type { ConstructResult, NetworkView, NeuronView } from './protocol.js';

/** Networks up to this many neurons (and FULL_EDGES edges) are drawn neuron by neuron. */
const FULL_NEURONS = 120;
const FULL_EDGES = 600;
/** Edges listed in the neuron inspector. */
const LIST_EDGES = 64;

function neuronView(net: NetworkView, l: number, i: number): NeuronView {
  const layer = net.layers[l];
  const edges: Array<readonly [number, string]> = [];
  for (let k = layer.start[i]; k < layer.start[i + 1]; k++) {
    edges.push([layer.src[k], codeText(layer.weight[k], net.fracBits)]);
  }
  return { bias: codeText(layer.bias[i], net.fracBits), edges };
}

function inputNames(d: number): string[] {
  return Array.from({ length: d }, (_, i) => `x${i + 1}`);
}

/** Per layer: neurons, edges, the distinct weights and the range of the biases. */
function summaryTable(net: NetworkView): HTMLElement {
  const rows = net.layers.map((layer, l) => {
    const neurons = layer.bias.length;
    const edges = layer.src.length;
    const weights = new Map<number, number>();
    for (const w of layer.weight) weights.set(w, (weights.get(w) ?? 0) + 1);
    const common = [...weights.entries()].sort((a, b) => b[1] - a[1]).slice(0, 4);
    let bmin = Number.POSITIVE_INFINITY;
    let bmax = Number.NEGATIVE_INFINITY;
    for (const b of layer.bias) {
      bmin = Math.min(bmin, b);
      bmax = Math.max(bmax, b);
    }
    const f = (c: number) => codeText(c, net.fracBits);
    return h(
      'tr',
      {},
      h('th', { scope: 'row' }, String(l + 1)),
      h('td', {}, layer.activation),
      h('td', { class: 'num' }, count(neurons)),
      h('td', { class: 'num' }, count(edges)),
      h(
        'td',
        {},
        `${weights.size} distinct; most used ${common.map(([w, k]) => `${f(w)} (×${count(k)})`).join(', ')}`,
      ),
      h('td', {}, neurons === 0 ? '—' : bmin === bmax ? f(bmin) : `${f(bmin)} … ${f(bmax)}`),
    );
  });
  return h(
    'div',
    { class: 'scroll-x' },
    h(
      'table',
      { class: 'summary' },
      h('caption', {}, `Layers (input: ${net.inputs} value${net.inputs === 1 ? '' : 's'})`),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['layer', 'σ', 'neurons', 'edges', 'weights', 'biases'].map((c) => h('th', { scope: 'col' }, c)),
        ),
      ),
      h('tbody', {}, ...rows),
    ),
  );
}

/** Layer widths as bars (a shape of the whole network); hover a bar for its layer. */
function shapeChart(net: NetworkView): SVGSVGElement {
  const widths = [net.inputs, ...net.layers.map((l) => l.bias.length)];
  const W = 560;
  const H = 150;
  const col = W / widths.length;
  const top = Math.log2(Math.max(...widths) + 1);
  const svg = s('svg', {
    viewBox: `0 0 ${W} ${H + 34}`,
    class: 'shape',
    role: 'img',
    'aria-label': `layer widths ${widths.join(', ')}`,
  });
  widths.forEach((w, l) => {
    const bh = (Math.log2(w + 1) / top) * H;
    const bar = s('rect', {
      x: l * col + col * 0.2,
      y: H - bh + 4,
      width: col * 0.6,
      height: bh,
      class: l === 0 ? 'in' : 'layer',
    });
    bar.append(
      s('title', {}, l === 0 ? `inputs: ${w}` : `layer ${l}: ${w} neurons (${net.layers[l - 1].activation})`),
    );
    svg.append(bar);
    svg.append(
      s('text', { x: l * col + col / 2, y: H + 18, 'text-anchor': 'middle' }, l === 0 ? 'in' : String(l)),
    );
    svg.append(
      s('text', { x: l * col + col / 2, y: H + 31, 'text-anchor': 'middle', class: 'muted' }, count(w)),
    );
  });
  return svg;
}

/** Any neuron of a large network: pick its layer and index to read its bias and weights. */
function inspector(net: NetworkView): HTMLElement {
  const layerSel = h(
    'select',
    { id: 'inspect-layer' },
    ...net.layers.map((l, i) => h('option', { value: i }, `layer ${i + 1} (${count(l.bias.length)})`)),
  );
  const index = h('input', { id: 'inspect-neuron', type: 'number', min: 0, value: 0, step: 1 });
  const out = h('p', { class: 'neuron-info', 'aria-live': 'polite' });
  const show = () => {
    const l = Number(layerSel.value);
    const size = net.layers[l].bias.length;
    index.max = String(size - 1);
    const i = Math.max(0, Math.min(size - 1, Math.floor(Number(index.value) || 0)));
    const n = neuronView(net, l, i);
    const edges = n.edges
      .slice(0, LIST_EDGES)
      .map(([src, w]) => `${l === 0 ? `x${src + 1}` : `n${l}.${src}`} × ${w}`);
    const more = n.edges.length > LIST_EDGES ? `, … (${count(n.edges.length)} edges)` : '';
    out.textContent = `n${l + 1}.${i} (${net.layers[l].activation}): bias ${n.bias}; edges ${edges.join(', ') || 'none'}${more}`;
  };
  layerSel.addEventListener('change', show);
  index.addEventListener('input', show);
  show();
  return h(
    'div',
    { class: 'inspector' },
    h('label', { for: 'inspect-layer' }, 'Inspect'),
    layerSel,
    h('label', { for: 'inspect-neuron' }, 'neuron'),
    index,
    out,
  );
}

/** The constructed network: drawn neuron by neuron when small, else summarised; any neuron inspectable. */
export function networkPanel(r: ConstructResult): HTMLElement {
  const net = r.network;
  const neurons = net.layers.reduce((a, l) => a + l.bias.length, 0);
  const edges = net.layers.reduce((a, l) => a + l.src.length, 0);
  const full = neurons <= FULL_NEURONS && edges <= FULL_EDGES;
  const drawing = full
    ? layeredDrawing({
        label: `the constructed network: ${neurons} neurons in ${net.layers.length} layers`,
        inputNames: inputNames(net.inputs),
        layers: net.layers.map((l, li) =>
          Array.from({ length: l.bias.length }, (_, i) => neuronView(net, li, i)),
        ),
        activations: net.layers.map((l) => l.activation),
        labels: neurons <= 24,
      })
    : h(
        'div',
        {},
        h(
          'p',
          { class: 'muted' },
          `${count(neurons)} neurons and ${count(edges)} edges: too many to draw one by one, so here is its shape.`,
        ),
        shapeChart(net),
      );
  return h('div', { class: 'network' }, drawing, summaryTable(net), inspector(net));
}

/** Parameters against the lower bound |𝕀|^d (THEORY §5.3), and the construction without compression. */
export function sizePanel(r: ConstructResult): HTMLElement {
  const bars: Array<[string, number, string]> = [
    ['lower bound |𝕀|^d', r.lowerBound, 'bound'],
    ['this network', r.size.parameters, 'net'],
  ];
  if (r.plainParameters !== null) bars.push(['without box compression', r.plainParameters, 'plain']);
  const top = Math.max(...bars.map((b) => b[1]));
  const W = 520;
  const svg = s('svg', {
    viewBox: `0 0 ${W} ${bars.length * 30 + 6}`,
    class: 'bars',
    role: 'img',
    'aria-label': bars.map((b) => `${b[0]} ${b[1]}`).join('; '),
  });
  bars.forEach(([label, v, cls], i) => {
    const w = Math.max(2, (v / top) * (W - 270));
    svg.append(s('text', { x: 0, y: i * 30 + 19 }, label));
    svg.append(s('rect', { x: 190, y: i * 30 + 6, width: w, height: 18, class: cls }));
    svg.append(s('text', { x: 196 + w, y: i * 30 + 19 }, count(v)));
  });
  return h(
    'div',
    { class: 'size' },
    h(
      'p',
      {},
      `${count(r.size.parameters)} parameters (${count(r.size.neurons)} neurons, depth ${r.size.depth}, width ${count(r.size.width)}, ${count(r.boxes)} boxes) against the lower bound |𝕀|^d = ${count(r.lowerBound)}: ratio ${r.ratio.toFixed(3)}.`,
    ),
    svg,
  );
}
