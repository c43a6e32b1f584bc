import { download, h } from './dom.js';
import { layeredDrawing } from './layered-drawing.js';
import type { CertificateView, GadgetView } from './protocol.js';

/** A certificate gadget: the small network, its truth table and whether it does what it must. */
function gadgetCard(g: GadgetView, activation: string, beta: string): HTMLElement {
  const depth = g.layers.length;
  const drawing = g.tooLarge
    ? h('p', { class: 'too-large' }, g.tooLarge)
    : layeredDrawing({
        label: `${g.title}: a network of ${depth} layer${depth === 1 ? '' : 's'}`,
        inputNames: g.inputNames,
        layers: g.layers,
        activations: g.layers.map(() => activation),
        output:
          g.outputWeights && g.outputWeights.length > 0
            ? { weights: g.outputWeights, bias: beta }
            : undefined,
        labels: true,
      });
  const table = h(
    'table',
    { class: 'truth' },
    h('caption', {}, `Truth table (${g.checked} input${g.checked === 1 ? '' : 's'} checked)`),
    h(
      'thead',
      {},
      h('tr', {}, ...g.truth.columns.map((c) => h('th', { scope: 'col' }, c)), h('th', { scope: 'col' }, '')),
    ),
    h(
      'tbody',
      {},
      ...g.truth.rows.map((row, i) =>
        h(
          'tr',
          { class: g.truth.ok[i] ? 'ok' : 'bad' },
          ...row.map((c) => h('td', {}, c)),
          h('td', { 'aria-label': g.truth.ok[i] ? 'as required' : 'differs' }, g.truth.ok[i] ? '✓' : '✗'),
        ),
      ),
    ),
  );
  return h(
    'article',
    { class: 'gadget' },
    h('h4', {}, g.title),
    h(
      'p',
      { class: 'claim' },
      g.claim,
      ' ',
      h('strong', { class: g.holds ? 'good' : 'bad' }, g.holds ? '✓ holds' : '✗ fails'),
    ),
    drawing,
    h('div', { class: 'scroll-x' }, table),
  );
}

export interface GadgetPanelActions {
  /** Show the detector of z and the emitter of y instead (decimal text, validated by the library). */
  choose(z: string, y: string): void;
}

/** The certificate of a universal verdict: its gadgets drawn, with z and y to pick. */
export function certificatePanel(
  cert: CertificateView,
  activation: string,
  formatSpec: string,
  actions: GadgetPanelActions,
  error: string | null,
): HTMLElement {
  const zIn = h('input', { id: 'cert-z', value: cert.z, size: 8, 'aria-describedby': 'cert-error' });
  const yIn = h('input', { id: 'cert-y', value: cert.y, size: 8, 'aria-describedby': 'cert-error' });
  const form = h(
    'form',
    { class: 'inline-form' },
    h('label', { for: 'cert-z' }, 'detector for z ='),
    zIn,
    h('label', { for: 'cert-y' }, 'emitter for y ='),
    yIn,
    h('button', { type: 'submit' }, 'Show'),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    actions.choose(zIn.value.trim(), yIn.value.trim());
  });
  const json = cert.json;
  return h(
    'div',
    { class: 'certificate' },
    h(
      'p',
      {},
      `Certificate: active value a = ${cert.e}, idle set I = {${cert.idle.join(', ')}}, readout weight ω = ${cert.omega} (ω ⊗ i = 0 for every i ∈ I, so idle gadgets add exactly nothing), output bias β = ${cert.beta}. Largest gadgets: detector ${cert.sizes.detector}, AND ${cert.sizes.and}, delay ${cert.sizes.delay}, emitter ${cert.sizes.emitter} parameters. `,
      'Every gadget is checked on every input of its domain; by the composition lemma every f : 𝕀^d → 𝕀 is then computed.',
    ),
    form,
    h('p', { id: 'cert-error', class: 'error', role: 'alert' }, error ?? ''),
    h(
      'div',
      { class: 'gadgets' },
      gadgetCard(cert.detector, activation, cert.beta),
      gadgetCard(cert.and, activation, cert.beta),
      gadgetCard(cert.delay, activation, cert.beta),
      gadgetCard(cert.emitter, activation, cert.beta),
    ),
    json
      ? h(
          'button',
          {
            type: 'button',
            onclick: () => download(`certificate-${activation}-${formatSpec}.json`, json),
          },
          'Download the whole certificate (JSON)',
        )
      : null,
  );
}
