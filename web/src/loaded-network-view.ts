import { count, h } from './dom.js';
import { layeredDrawing } from './layered-drawing.js';
import type { LoadedNetworkView, NetworkEvalResult } from './protocol.js';

/** Loaded networks up to this many neurons (and FULL_EDGES edges) are drawn neuron by neuron. */
const FULL_NEURONS = 120;
const FULL_EDGES = 600;

/** A network loaded from JSON (version 1 or 2): its layers with their types, its drawing, `fxnn info`. */
export function loadedNetworkPanel(v: LoadedNetworkView): HTMLElement {
  const rows = v.layers.map((l, i) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row' }, String(i + 1)),
      h('td', {}, h('code', {}, l.name)),
      h('td', {}, l.what),
      h(
        'td',
        { class: 'types' },
        ...l.types.map(([role, type]) => h('div', {}, h('span', { class: 'muted' }, `${role} `), type)),
      ),
    ),
  );
  const table = h(
    'div',
    { class: 'scroll-x' },
    h(
      'table',
      { class: 'summary', 'data-testid': 'net-layers' },
      h(
        'caption',
        {},
        `Layers, in order (input: ${v.inputs} value${v.inputs === 1 ? '' : 's'} of ${v.inputType})`,
      ),
      h(
        'thead',
        {},
        h('tr', {}, ...['#', 'name', 'layer', 'types'].map((c) => h('th', { scope: 'col' }, c))),
      ),
      h('tbody', {}, ...rows),
    ),
  );
  const drawable = v.dense.length > 0 && v.neurons <= FULL_NEURONS && v.edges <= FULL_EDGES;
  const drawing = drawable
    ? layeredDrawing({
        label: `the loaded network: ${v.neurons} neurons in ${v.dense.length} dense layers`,
        inputNames: Array.from({ length: v.inputs }, (_, i) => `x${i + 1}`),
        layers: v.dense.map((d) => d.neurons),
        activations: v.dense.map((d) => d.label),
        labels: v.neurons <= 24,
      })
    : h(
        'p',
        { class: 'muted' },
        v.dense.length === 0
          ? 'No dense layer to draw.'
          : `${count(v.neurons)} neurons and ${count(v.edges)} edges: too many to draw one by one (the table lists the layers).`,
      );
  return h(
    'div',
    { class: 'network' },
    h(
      'p',
      { 'data-testid': 'net-summary' },
      `Network JSON version ${v.version}: ${v.inputs} input${v.inputs === 1 ? '' : 's'} of ${v.inputType}, ${v.outputs} output${v.outputs === 1 ? '' : 's'} of ${v.outputType}; ${count(v.neurons)} neurons, ${count(v.edges)} edges.`,
    ),
    table,
    drawing,
    h('details', {}, h('summary', {}, 'fxnn info'), h('pre', { class: 'info' }, v.info)),
  );
}

/** The outputs at one input, with the casts that overflowed on the way. */
export function evalResultView(r: NetworkEvalResult): HTMLElement {
  return h(
    'div',
    { class: 'net-eval' },
    h('p', { 'data-testid': 'net-output' }, `x = (${r.x.join(', ')}) → y = (${r.y.join(', ')})`),
    r.overflowCount === 0
      ? h('p', { class: 'muted' }, 'No cast overflowed.')
      : h(
          'div',
          {},
          h(
            'p',
            { class: 'bad' },
            `${r.overflowCount} cast${r.overflowCount === 1 ? '' : 's'} overflowed (wrapped or saturated)${r.overflowCount > r.overflows.length ? `; the first ${r.overflows.length}` : ''}:`,
          ),
          h('ul', {}, ...r.overflows.map((o) => h('li', {}, o))),
        ),
  );
}
