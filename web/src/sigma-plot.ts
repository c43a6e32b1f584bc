import { codeText, codeValue, h, niceTicks, s, short } from './dom.js';
import type { SigmaResult } from './protocol.js';

const W = 600;
const H = 380;
const M = { left: 48, right: 12, top: 12, bottom: 36 };

/** Largest format drawn with a dot per value of σ_F; beyond it σ_F is drawn as steps. */
const DOTS = 512;

export interface SigmaPlot {
  readonly element: HTMLElement;
}

/**
 * σ (sampled) and the staircase σ_F (the exact table) over the format's range, the DIST witness pair
 * marked when DIST fails. Hover, or focus and use ←/→ (Shift: ×16), to read σ_F at a value.
 */
export function sigmaPlot(r: SigmaResult, witness: readonly [string, string] | null): SigmaPlot {
  const { format, table, curve } = r;
  const n = format.fracBits;
  const xmin = codeValue(format.minCode, n);
  const xmax = codeValue(format.maxCode, n);
  const fmin = xmin;
  const fmax = xmax;
  const valid = (c: number) => c !== r.overflowCode;

  let ymin = Number.POSITIVE_INFINITY;
  let ymax = Number.NEGATIVE_INFINITY;
  for (const c of table) {
    if (!valid(c)) continue;
    const v = codeValue(c, n);
    if (v < ymin) ymin = v;
    if (v > ymax) ymax = v;
  }
  for (let i = 1; i < curve.length; i += 2) {
    const v = curve[i];
    if (!Number.isFinite(v)) continue;
    if (v < ymin) ymin = v;
    if (v > ymax) ymax = v;
  }
  const pad = (fmax - fmin) * 0.1;
  ymin = Math.max(Math.min(ymin, 0), fmin - pad);
  ymax = Math.min(Math.max(ymax, 0), fmax + pad);
  if (!(ymax > ymin)) {
    ymin -= 1;
    ymax += 1;
  }
  const span = ymax - ymin;
  ymin -= span * 0.04;
  ymax += span * 0.04;

  const px = (x: number) => M.left + ((x - xmin) / (xmax - xmin || 1)) * (W - M.left - M.right);
  const py = (y: number) => M.top + ((ymax - y) / (ymax - ymin)) * (H - M.top - M.bottom);
  const clampY = (y: number) => Math.max(M.top - 2, Math.min(H - M.bottom + 2, py(y)));

  const svg = s('svg', {
    viewBox: `0 0 ${W} ${H}`,
    class: 'plot',
    role: 'img',
    'aria-label': `σ and σ_F of ${r.activation.key} on ${format.spec}`,
    tabindex: 0,
  });
  svg.append(
    s('rect', {
      x: M.left,
      y: M.top,
      width: W - M.left - M.right,
      height: H - M.top - M.bottom,
      class: 'frame',
    }),
  );

  const grid = s('g', { class: 'grid' });
  for (const t of niceTicks(xmin, xmax, 7)) {
    grid.append(s('line', { x1: px(t), x2: px(t), y1: M.top, y2: H - M.bottom }));
    grid.append(s('text', { x: px(t), y: H - M.bottom + 16, 'text-anchor': 'middle' }, short(t)));
  }
  for (const t of niceTicks(ymin, ymax, 6)) {
    grid.append(s('line', { x1: M.left, x2: W - M.right, y1: py(t), y2: py(t) }));
    grid.append(s('text', { x: M.left - 6, y: py(t) + 4, 'text-anchor': 'end' }, short(t)));
  }
  if (ymin < 0 && ymax > 0)
    grid.append(s('line', { x1: M.left, x2: W - M.right, y1: py(0), y2: py(0), class: 'axis' }));
  if (xmin < 0 && xmax > 0)
    grid.append(s('line', { x1: px(0), x2: px(0), y1: M.top, y2: H - M.bottom, class: 'axis' }));
  grid.append(s('text', { x: W - M.right, y: H - 6, 'text-anchor': 'end', class: 'label' }, 'x'));
  svg.append(grid);

  // σ, sampled
  let d = '';
  let pen = false;
  for (let i = 0; i < curve.length; i += 2) {
    const y = curve[i + 1];
    if (!Number.isFinite(y)) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${px(curve[i]).toFixed(1)},${clampY(y).toFixed(1)}`;
    pen = true;
  }
  svg.append(s('path', { d, class: 'sigma' }));

  // σ_F: dots, or steps (an envelope per pixel column for large formats)
  const stair = s('g', { class: 'sigmaF' });
  if (format.size <= DOTS) {
    const rad = format.size <= 64 ? 3.2 : format.size <= 256 ? 2.2 : 1.5;
    for (let i = 0; i < table.length; i++) {
      if (!valid(table[i])) continue;
      stair.append(
        s('circle', { cx: px(codeValue(format.minCode + i, n)), cy: clampY(codeValue(table[i], n)), r: rad }),
      );
    }
  } else {
    let p = '';
    const cols = W - M.left - M.right;
    const per = table.length / cols;
    for (let col = 0; col < cols; col++) {
      const a = Math.floor(col * per);
      const b = Math.max(a + 1, Math.floor((col + 1) * per));
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (let i = a; i < b; i++) {
        if (!valid(table[i])) continue;
        lo = Math.min(lo, table[i]);
        hi = Math.max(hi, table[i]);
      }
      if (lo > hi) continue;
      const x = M.left + col + 0.5;
      p += `M${x},${clampY(codeValue(hi, n)).toFixed(1)}V${(clampY(codeValue(lo, n)) + 0.8).toFixed(1)}`;
    }
    stair.append(s('path', { d: p, class: 'steps' }));
  }
  svg.append(stair);

  // the DIST witness pair
  if (witness) {
    const g = s('g', { class: 'witness' });
    for (const w of witness) {
      const x = Number(w);
      const code = Math.round(x * 2 ** n);
      const y = table[code - format.minCode];
      g.append(s('line', { x1: px(x), x2: px(x), y1: M.top, y2: H - M.bottom }));
      if (valid(y)) g.append(s('circle', { cx: px(x), cy: clampY(codeValue(y, n)), r: 6 }));
      g.append(s('text', { x: px(x) + 4, y: M.top + 14 }, w));
    }
    g.append(
      s('title', {}, `DIST witness: no first-layer neuron separates x = ${witness[0]} from ${witness[1]}`),
    );
    svg.append(g);
  }

  const legend = s('g', { class: 'legend', transform: `translate(${M.left + 10},${M.top + 8})` });
  legend.append(
    s('rect', { x: -6, y: -4, width: witness ? 232 : 150, height: witness ? 58 : 40, class: 'legend-bg' }),
  );
  legend.append(s('line', { x1: 0, x2: 22, y1: 8, y2: 8, class: 'sigma' }));
  legend.append(s('text', { x: 28, y: 12 }, `σ = ${r.activation.key}`));
  legend.append(s('circle', { cx: 11, cy: 26, r: 3, class: 'sigmaF-dot' }));
  legend.append(s('text', { x: 28, y: 30 }, `σ_F on ${format.spec}`));
  if (witness) {
    legend.append(s('line', { x1: 11, x2: 11, y1: 38, y2: 50, class: 'witness-line' }));
    legend.append(s('text', { x: 28, y: 48 }, 'DIST witness (not separable)'));
  }
  svg.append(legend);

  // cursor and readout
  const cursor = s('g', { class: 'cursor', visibility: 'hidden' });
  const vline = s('line', { y1: M.top, y2: H - M.bottom });
  const dot = s('circle', { r: 5 });
  cursor.append(vline, dot);
  svg.append(cursor);
  const readout = h(
    'p',
    { class: 'readout', 'aria-live': 'polite' },
    'Hover the plot, or focus it and use ←/→, to read σ_F(x).',
  );
  let at = Math.min(Math.max(0, format.minCode), format.maxCode);
  const show = (code: number) => {
    at = Math.max(format.minCode, Math.min(format.maxCode, code));
    const x = codeValue(at, n);
    const yc = table[at - format.minCode];
    vline.setAttribute('x1', String(px(x)));
    vline.setAttribute('x2', String(px(x)));
    dot.setAttribute('cx', String(px(x)));
    dot.setAttribute('cy', String(valid(yc) ? clampY(codeValue(yc, n)) : M.top));
    cursor.setAttribute('visibility', 'visible');
    readout.textContent = `x = ${codeText(at, n)}   σ_F(x) = ${valid(yc) ? codeText(yc, n) : 'overflow (error mode)'}   σ(x) ≈ ${short(r.sigmaAt[at - format.minCode])}`;
  };
  svg.addEventListener('pointermove', (ev) => {
    const box = svg.getBoundingClientRect();
    const x =
      xmin + (((ev.clientX - box.left) * (W / box.width) - M.left) / (W - M.left - M.right)) * (xmax - xmin);
    show(Math.round(x * 2 ** n));
  });
  svg.addEventListener('keydown', (ev) => {
    const step = ev.shiftKey ? 16 : 1;
    if (ev.key === 'ArrowRight' || ev.key === 'ArrowUp') show(at + step);
    else if (ev.key === 'ArrowLeft' || ev.key === 'ArrowDown') show(at - step);
    else if (ev.key === 'Home') show(format.minCode);
    else if (ev.key === 'End') show(format.maxCode);
    else return;
    ev.preventDefault();
  });
  svg.addEventListener('focus', () => show(at));

  return { element: h('figure', { class: 'sigma-figure' }, svg, readout) };
}
