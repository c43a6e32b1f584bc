import { DEFAULT_SECONDS as VERDICT_BUDGET_SECONDS } from '../../src/engine/budget.js';
import { type Format, parseFormat } from '../../src/format.js';
import { OVERFLOW_MODES, ROUNDING_MODES } from '../../src/policy.js';
import { codeText, count, download, fill, h } from './dom.js';
import { Cancelled, EngineClient, EngineError, type ProgressInfo } from './engine-client.js';
import { initFloatView } from './float-view.js';
import { certificatePanel } from './gadget-view.js';
import { heatmap } from './heatmap.js';
import { evalResultView, loadedNetworkPanel } from './loaded-network-view.js';
import { MARK, mapTable } from './map-view.js';
import { networkPanel, sizePanel } from './network-view.js';
import {
  type CertificateView,
  type ConfigInput,
  type ConstructResult,
  type FormatInfo,
  MAX_WEB_POINTS_2D,
  type MapCellView,
  type SigmaResult,
  type VerdictResult,
} from './protocol.js';
import { sigmaPlot } from './sigma-plot.js';
import { sketchEditor } from './sketch-editor.js';

/** Largest format (bits) the explorer works on: the expressivity engine's limit. */
const MAX_BITS = 16;
const CUSTOM = '__custom__';
/** A running analysis of an outdated configuration is stopped when it has run this long (ms). */
const LONG_MS = 400;

const $ = <T extends HTMLElement>(id: string) => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page lacks #${id}`);
  return el as T;
};

// ---- errors never leave a blank page --------------------------------------------------------------
const banner = $<HTMLDivElement>('banner');
function showBanner(message: string): void {
  banner.hidden = false;
  banner.textContent = `Something went wrong: ${message}`;
}
window.addEventListener('error', (ev) => {
  // a benign notice of the browser's layout loop, not an error of the page
  if (/^ResizeObserver loop/.test(ev.message)) return;
  showBanner(ev.message);
});
window.addEventListener('unhandledrejection', (ev) => {
  if (ev.reason instanceof Cancelled) return;
  showBanner(ev.reason instanceof Error ? ev.reason.message : String(ev.reason));
});

const createWorker = () => new Worker(new URL('./engine-worker.ts', import.meta.url), { type: 'module' });
const engine = new EngineClient(createWorker, (m) => showBanner(`engine worker: ${m}`));
let mapEngine: EngineClient | null = null;

function messageOf(e: unknown): string {
  if (e instanceof EngineError) return e.view.user ? e.message : `internal error: ${e.message}`;
  return e instanceof Error ? e.message : String(e);
}

// ---- state --------------------------------------------------------------------------------------
interface State {
  config: ConfigInput;
  format: Format | null;
  sigma: SigmaResult | null;
  verdict: VerdictResult | null;
  certificate: CertificateView | null;
  d: 1 | 2;
  /** d = 1: the sketch (one code per value of the format). */
  sketch: Int32Array;
  sketchFormat: Format | null;
  /** d = 2: the tabulated expression, for the format and text it was computed for. */
  table2: { key: string; table: Int32Array; description: string } | null;
  built: { result: ConstructResult; key: string; target: Int32Array } | null;
}

const DEFAULT: ConfigInput = {
  format: 'Q3.4',
  activation: 'relu',
  rounding: 'nearest-even',
  overflow: 'saturate',
  accumulation: 'sequential',
  bias: 'last',
  weights: 'all',
};

function configFromHash(): ConfigInput {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  const c: Record<string, string> = { ...DEFAULT };
  for (const k of Object.keys(DEFAULT)) {
    const v = params.get(k);
    if (v !== null && v !== '') c[k] = v;
  }
  return c as unknown as ConfigInput;
}

const state: State = {
  config: configFromHash(),
  format: null,
  sigma: null,
  verdict: null,
  certificate: null,
  d: 1,
  sketch: new Int32Array(0),
  sketchFormat: null,
  table2: null,
  built: null,
};

const configKey = (c: ConfigInput) => Object.values(c).join('|');

function formatInfo(f: Format): FormatInfo {
  return {
    spec: f.spec,
    bits: f.bits,
    fracBits: f.fracBits,
    minCode: Number(f.minCode),
    maxCode: Number(f.maxCode),
    size: Number(f.size),
  };
}

// ---- configuration controls ----------------------------------------------------------------------
const specIn = $<HTMLInputElement>('format-spec');
const kindSel = $<HTMLSelectElement>('format-kind');
const intIn = $<HTMLInputElement>('int-bits');
const fracIn = $<HTMLInputElement>('frac-bits');
const roundingSel = $<HTMLSelectElement>('rounding');
const overflowSel = $<HTMLSelectElement>('overflow');
const actSel = $<HTMLSelectElement>('activation');
const actCustom = $<HTMLInputElement>('activation-custom');
const accSel = $<HTMLSelectElement>('accumulation');
const biasSel = $<HTMLSelectElement>('bias');
const weightsSel = $<HTMLSelectElement>('weights');

function options(sel: HTMLSelectElement, values: readonly string[], current: string): void {
  fill(sel, ...values.map((v) => h('option', { value: v }, v)));
  sel.value = values.includes(current) ? current : values[0];
}
options(roundingSel, ROUNDING_MODES, state.config.rounding);
options(overflowSel, OVERFLOW_MODES, state.config.overflow);

function setActivationControl(activation: string): void {
  const known = [...actSel.options].some((o) => o.value === activation);
  if (!known && ![...actSel.options].some((o) => o.value === CUSTOM)) {
    actSel.append(h('option', { value: CUSTOM }, 'custom…'));
  }
  actSel.value = known ? activation : CUSTOM;
  actCustom.hidden = known;
  $('activation-custom-label').hidden = known;
  if (!known) actCustom.value = activation;
}

/** Shows a configuration in the controls (configChanged then reads it from them). */
function showConfig(c: ConfigInput): void {
  specIn.value = c.format;
  syncSliders();
  roundingSel.value = c.rounding;
  overflowSel.value = c.overflow;
  setActivationControl(c.activation);
  accSel.value = c.accumulation;
  biasSel.value = c.bias;
  weightsSel.value = c.weights;
}

/** Parses the spec: sliders follow it, or an inline error says what is wrong. */
function syncSliders(): Format | null {
  const err = $('format-error');
  let f: Format;
  try {
    f = parseFormat(specIn.value);
  } catch (e) {
    err.textContent = messageOf(e);
    specIn.setAttribute('aria-invalid', 'true');
    return null;
  }
  if (f.bits > MAX_BITS) {
    err.textContent = `${f.spec} has ${f.bits} bits; the explorer handles up to ${MAX_BITS} (the expressivity engine's limit)`;
    specIn.setAttribute('aria-invalid', 'true');
    return null;
  }
  err.textContent = '';
  specIn.removeAttribute('aria-invalid');
  kindSel.value = f.kind;
  intIn.value = String(f.intBits);
  fracIn.value = String(f.fracBits);
  $('int-bits-out').textContent = String(f.intBits);
  $('frac-bits-out').textContent = String(f.fracBits);
  $('format-facts').textContent =
    `${f.spec}: ${f.bits} bits, ${count(Number(f.size))} values from ${codeText(Number(f.minCode), f.fracBits)} to ${codeText(Number(f.maxCode), f.fracBits)} in steps of ${codeText(1, f.fracBits)}.` +
    (f.bits > 8
      ? ` Verdicts on formats above 8 bits use chain certificates (docs/theory.md §9): seconds on 16 bits, computed in a Web Worker (Stop ends it); a verdict stops after its ${VERDICT_BUDGET_SECONDS} s budget as undetermined, naming the budget.`
      : '');
  return f;
}

function fromSliders(): void {
  specIn.value = `${kindSel.value}${intIn.value}.${fracIn.value}`;
  configChanged();
}
kindSel.addEventListener('change', fromSliders);
intIn.addEventListener('input', fromSliders);
fracIn.addEventListener('input', fromSliders);
specIn.addEventListener('change', () => configChanged());
specIn.addEventListener('keydown', (ev) => {
  if (ev.key === 'Enter') {
    ev.preventDefault();
    configChanged();
  }
});
for (const sel of [roundingSel, overflowSel, accSel, biasSel, weightsSel])
  sel.addEventListener('change', () => configChanged());
actSel.addEventListener('change', () => {
  const custom = actSel.value === CUSTOM;
  actCustom.hidden = !custom;
  $('activation-custom-label').hidden = !custom;
  if (custom) actCustom.focus();
  else configChanged();
});
actCustom.addEventListener('change', () => configChanged());
actCustom.addEventListener('keydown', (ev) => {
  if (ev.key === 'Enter') {
    ev.preventDefault();
    configChanged();
  }
});
$('config-form').addEventListener('submit', (ev) => ev.preventDefault());

let analyzeTimer: number | undefined;

/** Reads the controls; a valid format updates the sketch at once, the analysis follows shortly. */
function configChanged(): void {
  const f = syncSliders();
  const activation = actSel.value === CUSTOM ? actCustom.value.trim() : actSel.value;
  if (!f || activation === '') return;
  const next: ConfigInput = {
    format: f.spec,
    activation,
    rounding: roundingSel.value,
    overflow: overflowSel.value,
    accumulation: accSel.value,
    bias: biasSel.value,
    weights: weightsSel.value,
  };
  const changed = configKey(next) !== configKey(state.config) || state.sigma === null;
  state.config = next;
  state.format = f;
  history.replaceState(null, '', `#${new URLSearchParams(next as unknown as Record<string, string>)}`);
  resampleSketch(f);
  if (changed) {
    $('plot').classList.add('stale');
    $('verdict-body').classList.add('stale');
    $('construct-status').textContent = '';
    $('construct-error').textContent = '';
    clearTimeout(analyzeTimer);
    analyzeTimer = window.setTimeout(analyze, 150);
  }
}

// ---- analysis: σ_F, the verdict and its evidence -----------------------------------------------------
const analyzeStatus = $('analyze-status');

function progressText(p: ProgressInfo): string {
  return p.total > 1 && p.done > 0 ? `${p.phase} (${count(p.done)} of ${count(p.total)})` : `${p.phase}…`;
}

function analysisFailed(config: ConfigInput, e: unknown): void {
  if (e instanceof Cancelled || configKey(config) !== configKey(state.config)) return;
  fill(analyzeStatus, '');
  const message = messageOf(e);
  const target =
    e instanceof EngineError && e.view.parameter === 'format' ? 'format-error' : 'activation-error';
  $(target).textContent = message;
  $('verdict-body').classList.remove('stale');
  fill($('verdict-body'), h('p', { class: 'error', role: 'alert' }, message));
  $('evidence').hidden = true;
}

/** σ_F first (the plot appears at once), then the verdict, which can take long on wide formats. */
function analyze(): void {
  const config = state.config;
  $('activation-error').textContent = '';
  // a long computation for an earlier configuration is abandoned (short ones just finish)
  for (const key of ['sigma', 'verdict']) if (engine.runningFor(key) > LONG_MS) engine.stop(key);
  const stop = h(
    'button',
    {
      type: 'button',
      onclick: () => {
        engine.stop('sigma');
        engine.stop('verdict');
      },
    },
    'Stop',
  );
  const text = h('span', {}, 'Computing σ_F…');
  // the verdict's phase and its time against the budget, every second (the page stays responsive: the
  // work runs in the engine worker)
  const clock = h('span', { class: 'muted', 'data-testid': 'verdict-clock' }, '');
  fill(analyzeStatus, h('span', { class: 'spinner', 'aria-hidden': 'true' }), text, ' ', clock, ' ', stop);
  $('verdict-body').classList.add('stale');
  $('plot').classList.add('stale');
  const started = performance.now();
  const tick = window.setInterval(() => {
    if (!clock.isConnected) return window.clearInterval(tick);
    clock.textContent = `${Math.round((performance.now() - started) / 1000)} s (budget ${VERDICT_BUDGET_SECONDS} s)`;
  }, 1000);
  const onProgress = (p: ProgressInfo) => {
    text.textContent = progressText(p);
  };
  engine
    .request({ type: 'sigma', config }, { key: 'sigma', onProgress })
    .then((r) => {
      if (configKey(config) !== configKey(state.config)) return;
      state.sigma = r;
      renderSigma();
    })
    .catch((e: unknown) => {
      if (e instanceof Cancelled || configKey(config) !== configKey(state.config)) return;
      state.sigma = null;
      $('plot').classList.remove('stale');
      fill($('plot'), h('p', { class: 'muted' }, 'No plot: the configuration is not valid.'));
      $('activation-facts').textContent = '';
      analysisFailed(config, e);
    });
  engine
    .request({ type: 'verdict', config }, { key: 'verdict', onProgress })
    .finally(() => window.clearInterval(tick))
    .then((r) => {
      if (configKey(config) !== configKey(state.config)) return;
      state.verdict = r;
      state.certificate = r.certificate;
      fill(analyzeStatus, `Verdict in ${(r.millis / 1000).toFixed(2)} s.`);
      renderVerdict(null);
      renderSigma();
    })
    .catch((e: unknown) => {
      const current = configKey(config) === configKey(state.config);
      if (e instanceof Cancelled && e.message === 'stopped' && current) fill(analyzeStatus, 'Stopped.');
      state.verdict = null;
      analysisFailed(config, e);
    });
}

const VERDICT_TEXT = {
  universal: 'universal',
  'not-universal': 'not universal',
  undetermined: 'undetermined',
  'not-applicable': 'not applicable',
} as const;

/** The plot, with the DIST witness once the verdict (of the same configuration) has one. */
function renderSigma(): void {
  const r = state.sigma;
  if (!r || configKey(r.config) !== configKey(state.config)) return;
  $('activation-facts').textContent =
    `σ = ${r.activation.key}: ${r.activation.formula}; range ${r.activation.range}. σ_F(x) = rnd(σ(x)) on the ${count(r.format.size)} values of ${r.format.spec} (${r.config.rounding}, ${r.config.overflow}).`;
  const v = state.verdict && configKey(state.verdict.config) === configKey(r.config) ? state.verdict : null;
  $('plot').classList.remove('stale');
  fill($('plot'), sigmaPlot(r, v?.verdict.dist?.witness ?? null).element);
}

function renderVerdict(certError: string | null): void {
  const r = state.verdict;
  if (!r) return;
  const v = r.verdict;
  const c = r.config;
  const body = $('verdict-body');
  body.classList.remove('stale');
  const witness = v.dist?.witness;
  fill(
    body,
    h(
      'p',
      { class: `verdict ${v.verdict}`, 'data-verdict': v.verdict },
      h('span', { class: 'mark', 'aria-hidden': 'true' }, MARK[v.verdict]),
      ` ${VERDICT_TEXT[v.verdict]}`,
      h(
        'span',
        { class: 'muted' },
        ` · ${c.activation} on ${c.format}, ${c.rounding}, ${c.overflow}, ${c.accumulation}, bias ${c.bias}, ${c.weights} weights`,
      ),
    ),
    v.dist
      ? h(
          'p',
          {},
          v.dist.holds
            ? 'DIST holds: every pair x ≠ y is separated by some first-layer neuron σ_F(w⊗x ⊕ b) (the necessary condition).'
            : `DIST fails: x = ${witness?.[0]} and y = ${witness?.[1]} (highlighted on the plot) give equal σ_F(w⊗x ⊕ b) for every weight w and bias b, so no network tells them apart.`,
        )
      : null,
    h('p', { class: 'reason' }, v.reason),
  );
  const evidence = $('evidence');
  evidence.hidden = state.certificate === null;
  if (state.certificate) {
    $('evidence-h').textContent = 'Evidence: the certificate of universality';
    fill(
      $('evidence-body'),
      certificatePanel(state.certificate, c.activation, c.format, { choose: chooseGadgets }, certError),
    );
  } else fill($('evidence-body'));
}

function chooseGadgets(z: string, y: string): void {
  const config = state.config;
  engine
    .request({ type: 'gadgets', config, z, y }, { key: 'gadgets' })
    .then((c) => {
      if (configKey(config) !== configKey(state.config)) return;
      state.certificate = c;
      renderVerdict(null);
      document.getElementById('cert-z')?.focus();
    })
    .catch((e: unknown) => {
      if (e instanceof Cancelled) return;
      const el = document.getElementById('cert-error');
      if (el) el.textContent = messageOf(e);
    });
}

// ---- the target: sketch (d = 1) or expression ---------------------------------------------------------
const sketch = sketchEditor((t) => {
  state.sketch = t;
  renderBuilt();
});
$('sketch-host').append(sketch.element);

/** Shift a code between fractional bit counts (integer arithmetic, floor), then clamp. */
function rescale(code: number, fromFrac: number, toFrac: number, lo: number, hi: number): number {
  const k = toFrac - fromFrac;
  const v = k >= 0 ? code * 2 ** k : Math.floor(code / 2 ** -k);
  return Math.max(lo, Math.min(hi, v));
}

function preset(name: string, f: Format): Int32Array {
  const info = formatInfo(f);
  const t = new Int32Array(info.size);
  for (let i = 0; i < info.size; i++) {
    const x = info.minCode + i;
    const v =
      name === 'identity'
        ? x
        : name === 'negate'
          ? -x
          : name === 'abs'
            ? Math.abs(x)
            : name === 'random'
              ? info.minCode + Math.floor(Math.random() * info.size)
              : 0;
    t[i] = Math.max(info.minCode, Math.min(info.maxCode, v));
  }
  return t;
}

/** Carries the sketch over to a new format (by value, on codes). */
function resampleSketch(f: Format): void {
  if (state.sketchFormat === f) return;
  const old = state.sketchFormat;
  if (!old) state.sketch = preset('abs', f);
  else {
    const a = formatInfo(old);
    const b = formatInfo(f);
    const t = new Int32Array(b.size);
    for (let i = 0; i < b.size; i++) {
      const xOld = rescale(b.minCode + i, b.fracBits, a.fracBits, a.minCode, a.maxCode);
      t[i] = rescale(state.sketch[xOld - a.minCode], a.fracBits, b.fracBits, b.minCode, b.maxCode);
    }
    state.sketch = t;
  }
  state.sketchFormat = f;
  renderBuilt();
}

for (const b of document.querySelectorAll<HTMLButtonElement>('#sketch-tools button')) {
  b.addEventListener('click', () => {
    if (!state.format) return;
    state.sketch = preset(b.dataset.preset ?? 'zero', state.format);
    renderBuilt();
  });
}

for (const r of document.querySelectorAll<HTMLInputElement>('input[name="dims"]')) {
  r.addEventListener('change', () => {
    state.d = r.value === '2' ? 2 : 1;
    const expr = $<HTMLInputElement>('expr');
    expr.placeholder = state.d === 2 ? 'x1*x2' : 'sin(3*x1)';
    $('expr-error').textContent = '';
    renderBuilt();
  });
}

const exprIn = $<HTMLInputElement>('expr');
const constructStatus = $('construct-status');
const constructProgress = $<HTMLProgressElement>('construct-progress');
const constructStop = $<HTMLButtonElement>('construct-stop');
const constructBtn = $<HTMLButtonElement>('construct-btn');

function showProgress(p: ProgressInfo | null, text: string): void {
  constructProgress.hidden = p === null;
  if (p) {
    if (p.total > 1) {
      constructProgress.max = p.total;
      constructProgress.value = p.done;
    } else constructProgress.removeAttribute('value');
  }
  constructStatus.textContent = text;
}

/** Tabulates the typed expression exactly (in the worker); errors are shown under the field. */
async function tabulate(): Promise<{ table: Int32Array; description: string } | null> {
  const text = exprIn.value.trim();
  const err = $('expr-error');
  err.textContent = '';
  exprIn.removeAttribute('aria-invalid');
  if (text === '') {
    err.textContent = 'type an expression in x1 (and x2 for d = 2), e.g. sin(3*x1)';
    exprIn.setAttribute('aria-invalid', 'true');
    return null;
  }
  const config = state.config;
  const d = state.d;
  const key = `${configKey(config)}|${d}|${text}`;
  if (d === 2 && state.table2?.key === key) return state.table2;
  constructStop.hidden = false;
  try {
    const r = await engine.request(
      { type: 'tabulate', config, text, d },
      { key: 'construct', onProgress: (p) => showProgress(p, progressText(p)) },
    );
    showProgress(null, `${r.description}: ${count(r.table.length)} values, each correctly rounded.`);
    if (d === 2) state.table2 = { key, ...r };
    return r;
  } catch (e) {
    showProgress(null, '');
    if (!(e instanceof Cancelled)) {
      err.textContent = messageOf(e);
      exprIn.setAttribute('aria-invalid', 'true');
    }
    return null;
  } finally {
    constructStop.hidden = true;
  }
}

$('expr-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const r = await tabulate();
  if (r && state.d === 1) {
    state.sketch = r.table;
    renderBuilt();
  } else if (r) renderBuilt();
});

constructStop.addEventListener('click', () => engine.stop('construct'));

constructBtn.addEventListener('click', async () => {
  $('construct-error').textContent = '';
  const f = state.format;
  if (!f) {
    $('construct-error').textContent = 'choose a valid format first';
    return;
  }
  const d = state.d;
  if (d === 2 && Number(f.size) ** 2 > MAX_WEB_POINTS_2D) {
    $('construct-error').textContent =
      `d = 2 on ${f.spec} has ${count(Number(f.size) ** 2)} inputs; the explorer takes up to ${count(MAX_WEB_POINTS_2D)} (|𝕀| ≤ ${Math.sqrt(MAX_WEB_POINTS_2D)}, e.g. Q2.4 or Q3.3); fxnn construct does more`;
    return;
  }
  let target: Int32Array;
  if (d === 1) target = state.sketch.slice();
  else {
    const r = await tabulate();
    if (!r) return;
    target = r.table.slice();
  }
  const config = state.config;
  constructBtn.disabled = true;
  constructStop.hidden = false;
  showProgress({ phase: 'starting', done: 0, total: 1 }, 'Starting…');
  try {
    const result = await engine.request(
      { type: 'construct', config, table: target.slice(), d },
      { key: 'construct', onProgress: (p) => showProgress(p, progressText(p)) },
    );
    state.built = { result, key: `${configKey(config)}|${d}`, target };
    showProgress(null, `Done in ${(result.millis / 1000).toFixed(2)} s.`);
    renderBuilt();
  } catch (e) {
    showProgress(null, e instanceof Cancelled ? 'Stopped.' : '');
    if (!(e instanceof Cancelled)) $('construct-error').textContent = messageOf(e);
  } finally {
    constructBtn.disabled = false;
    constructStop.hidden = true;
  }
});

/** The sketch (with the network's output over it), and the construction's results. */
function renderBuilt(): void {
  const f = state.format;
  $('sketch-host').hidden = state.d !== 1;
  $('sketch-tools').hidden = state.d !== 1;
  const built =
    state.built && state.built.key === `${configKey(state.config)}|${state.d}` ? state.built : null;
  if (f && state.d === 1) sketch.set(formatInfo(f), state.sketch, built ? built.result.output : null);
  const host = $('construct-result');
  if (!built || !f) {
    // d = 2: the tabulated expression of the current configuration, before it is constructed
    const t2 = state.d === 2 ? state.table2 : null;
    if (f && t2?.key.startsWith(`${configKey(state.config)}|2|`)) {
      fill(host, heatmap(`target ${t2.description}`, formatInfo(f), t2.table));
    } else fill(host);
    return;
  }
  const r = built.result;
  const current = state.d === 1 ? state.sketch : state.table2?.table;
  const changed = current ? current.some((v, i) => v !== built.target[i]) : false;
  const allGood = r.verifiedInputs === r.points && r.evaluatedInputs === r.points && r.mismatches === 0;
  const info = formatInfo(f);
  fill(
    host,
    h(
      'p',
      { class: `verified ${allGood ? 'good' : 'bad'}`, 'data-testid': 'verified' },
      allGood
        ? `✓ verified on all ${count(r.points)} inputs`
        : `✗ ${count(r.mismatches)} of ${count(r.points)} inputs differ`,
    ),
    h(
      'p',
      { class: 'muted' },
      `construct checked its compiled network on all ${count(r.verifiedInputs)} inputs; the exported network (the JSON below) was evaluated again on all ${count(r.evaluatedInputs)} inputs here: ${count(r.mismatches)} mismatches.`,
      changed
        ? ' The target has changed since: red dots mark where the network now differs; construct again.'
        : '',
    ),
    sizePanel(r),
    r.d === 2
      ? h(
          'div',
          { class: 'heat-row' },
          heatmap('target f', info, built.target),
          heatmap('network output', info, r.output, built.target),
        )
      : null,
    h('h3', {}, 'The network'),
    networkPanel(r),
    h(
      'div',
      { class: 'row' },
      h(
        'button',
        {
          type: 'button',
          class: 'primary',
          id: 'download-network',
          onclick: () => download(`network-${state.config.activation}-${info.spec}-d${r.d}.json`, r.json),
        },
        `Download the network (JSON, ${count(Math.ceil(r.json.length / 1024))} KiB)`,
      ),
      h(
        'button',
        {
          type: 'button',
          id: 'download-target',
          onclick: () =>
            download(`target-${info.spec}-d${r.d}.csv`, targetCsv(info, r.d, built.target), 'text/csv'),
        },
        'Download the target (CSV)',
      ),
    ),
  );
}

/** A target as the CSV that fxnn construct --table reads: header x1,…,xd,y, one row per input. */
function targetCsv(f: FormatInfo, d: number, table: Int32Array): string {
  const names = Array.from({ length: d }, (_, i) => `x${i + 1}`);
  const lines = [[...names, 'y'].join(',')];
  const x = new Array<string>(d);
  for (let i = 0; i < table.length; i++) {
    let rest = i;
    for (let k = d - 1; k >= 0; k--) {
      x[k] = codeText(f.minCode + (rest % f.size), f.fracBits);
      rest = Math.floor(rest / f.size);
    }
    lines.push(`${x.join(',')},${codeText(table[i], f.fracBits)}`);
  }
  return `${lines.join('\n')}\n`;
}

// ---- the reproduction map --------------------------------------------------------------------------
const mapStatus = $('map-status');
const mapProgress = $<HTMLProgressElement>('map-progress');
const mapStop = $<HTMLButtonElement>('map-stop');
const mapBtn = $<HTMLButtonElement>('map-btn');

mapStop.addEventListener('click', () => mapEngine?.stop());
mapBtn.addEventListener('click', async () => {
  mapEngine ??= new EngineClient(createWorker, (m) => showBanner(`map worker: ${m}`));
  const maxBits = Number($<HTMLSelectElement>('map-bits').value);
  const weights = $<HTMLSelectElement>('map-weights').value;
  $('map-error').textContent = '';
  mapBtn.disabled = true;
  mapStop.hidden = false;
  mapProgress.hidden = false;
  mapProgress.removeAttribute('value');
  const t0 = performance.now();
  mapStatus.textContent = 'Starting…';
  try {
    const cells = await mapEngine.request(
      { type: 'map', maxBits, weights },
      {
        key: 'map',
        onProgress: (p) => {
          mapProgress.max = p.total;
          mapProgress.value = p.done;
          mapStatus.textContent = progressText(p);
        },
      },
    );
    mapStatus.textContent = `${cells.length} cells in ${((performance.now() - t0) / 1000).toFixed(1)} s.`;
    fill($('map-result'), mapTable(cells, openCell));
  } catch (e) {
    mapStatus.textContent = e instanceof Cancelled ? 'Stopped.' : '';
    if (!(e instanceof Cancelled)) $('map-error').textContent = messageOf(e);
  } finally {
    mapBtn.disabled = false;
    mapStop.hidden = true;
    mapProgress.hidden = true;
  }
});

function openCell(cell: MapCellView): void {
  showConfig({ ...DEFAULT, format: cell.format, activation: cell.activation, weights: cell.weights });
  configChanged();
  $('activation').scrollIntoView({ behavior: 'smooth', block: 'start' });
  $('format-spec').focus({ preventScroll: true });
}

// ---- a network loaded from JSON (version 1 or 2) -------------------------------------------------------
const netText = $<HTMLTextAreaElement>('net-text');
const netForm = $<HTMLFormElement>('net-eval-form');
/** The text of the network shown (evaluations use it, not later edits of the text area). */
let loadedText: string | null = null;

/** A small version 2 network (mixed types, a saturating result, hls4ml's sigmoid table). */
const EXAMPLE_V2 = {
  fxnn: 2,
  inputs: 2,
  input: 'ap_fixed<8,3>',
  layers: [
    {
      kind: 'dense',
      name: 'Gemm_1',
      types: {
        weight: 'ap_fixed<8,2>',
        bias: 'ap_fixed<8,2>',
        accum: 'ap_fixed<12,5>',
        result: 'ap_fixed<10,4,AP_RND,AP_SAT>',
      },
      neurons: [
        {
          bias: '0.5',
          edges: [
            [0, '1.25'],
            [1, '-0.75'],
          ],
        },
        {
          bias: '-0.25',
          edges: [
            [0, '0.5'],
            [1, '0.5'],
          ],
        },
      ],
    },
    { kind: 'activation', name: 'Relu_2', activation: 'relu', types: { result: 'ap_ufixed<8,3>' } },
    {
      kind: 'dense',
      name: 'Gemm_3',
      types: {
        weight: 'ap_fixed<8,2>',
        bias: 'ap_fixed<8,2>',
        accum: 'ap_fixed<14,6>',
        result: 'ap_fixed<12,4>',
      },
      neurons: [
        {
          bias: '0.125',
          edges: [
            [0, '1'],
            [1, '-1.5'],
          ],
        },
      ],
    },
    {
      kind: 'activation',
      name: 'Sigmoid_4',
      activation: 'sigmoid',
      types: { result: 'ap_fixed<10,2>' },
      table: { size: 1024, type: 'ap_fixed<18,8>' },
    },
  ],
};

function loadNetwork(): void {
  const text = netText.value;
  $('net-error').textContent = '';
  $('net-status').textContent = 'Reading…';
  engine
    .request({ type: 'network', text }, { key: 'network' })
    .then((v) => {
      loadedText = text;
      $('net-status').textContent = '';
      fill($('net-result'), loadedNetworkPanel(v));
      netForm.hidden = false;
      const input = $<HTMLInputElement>('net-input');
      input.placeholder = Array.from({ length: v.inputs }, (_, i) => `x${i + 1}`).join(',');
      fill($('net-eval-result'));
      $('net-eval-error').textContent = '';
    })
    .catch((e: unknown) => {
      if (e instanceof Cancelled) return;
      $('net-status').textContent = '';
      $('net-error').textContent = messageOf(e);
    });
}

$('net-load').addEventListener('click', loadNetwork);
$('net-example').addEventListener('click', () => {
  netText.value = JSON.stringify(EXAMPLE_V2, null, 1);
  loadNetwork();
});
$<HTMLInputElement>('net-file').addEventListener('change', async (ev) => {
  const file = (ev.target as HTMLInputElement).files?.[0];
  if (!file) return;
  netText.value = await file.text();
  loadNetwork();
});
netForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  if (loadedText === null) return;
  $('net-eval-error').textContent = '';
  engine
    .request(
      {
        type: 'network-eval',
        text: loadedText,
        input: $<HTMLInputElement>('net-input').value,
        round: $<HTMLSelectElement>('net-round').value as 'no' | 'exact' | 'float32',
      },
      { key: 'network-eval' },
    )
    .then((r) => fill($('net-eval-result'), evalResultView(r)))
    .catch((e: unknown) => {
      if (e instanceof Cancelled) return;
      fill($('net-eval-result'));
      $('net-eval-error').textContent = messageOf(e);
    });
});

// ---- start ------------------------------------------------------------------------------------------
window.addEventListener('hashchange', () => {
  const c = configFromHash();
  if (configKey(c) === configKey(state.config)) return;
  showConfig(c);
  configChanged();
});

showConfig(state.config);
initFloatView();
state.format = syncSliders();
configChanged();
engine
  .request({ type: 'hello' })
  .then((hello) => {
    const current = state.config.activation;
    fill(
      actSel,
      ...hello.activations.map((a) => h('option', { value: a }, a)),
      h('option', { value: CUSTOM }, 'custom…'),
    );
    setActivationControl(current);
    options(accSel, hello.accumulation, state.config.accumulation);
    options(biasSel, hello.bias, state.config.bias);
    options(weightsSel, hello.weights, state.config.weights);
    document.body.dataset.ready = 'true';
  })
  .catch((e: unknown) => showBanner(messageOf(e)));
