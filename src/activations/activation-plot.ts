import { ratio } from '../core/rational.js';
import type { Format } from '../format.js';
import type { Policy } from '../policy.js';
import type { Activation } from './activation.js';
import { approximateValue } from './approximate-value.js';
import { OVERFLOW_SENTINEL } from './rounded.js';

/** Most staircase steps drawn one by one; larger tables are drawn through evenly spaced samples. */
const MAX_STEPS = 4096;
const CURVE_SAMPLES = 1200;

const W = 860;
const H = 540;
const M = { left: 70, right: 20, top: 50, bottom: 50 };

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function niceTicks(lo: number, hi: number, count: number): number[] {
  const span = hi - lo;
  if (!(span > 0)) return [lo];
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step)
    ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/**
 * An SVG drawing of σ (the exact function, sampled) and the staircase σ_F (from the table) over the
 * format's range, with axes, grid and a legend. Hand-written SVG: no dependency.
 */
export function activationPlotSvg(
  act: Activation,
  format: Format,
  policy: Policy,
  table: Int32Array,
): string {
  const n = format.fracBits;
  const eps = 2 ** -n;
  const minCode = Number(format.minCode);
  const xmin = minCode * eps;
  const xmax = Number(format.maxCode) * eps;
  const size = table.length;

  const steps: Array<[number, number]> = []; // [x, y] of σ_F (NaN where overflowed)
  const stride = size > MAX_STEPS ? size / MAX_STEPS : 1;
  for (let s = 0; s < Math.min(size, MAX_STEPS); s++) {
    const i = Math.floor(s * stride);
    const c = table[i];
    steps.push([(minCode + i) * eps, c === OVERFLOW_SENTINEL ? Number.NaN : c * eps]);
  }
  const curve: Array<[number, number]> = [];
  for (let s = 0; s <= CURVE_SAMPLES; s++) {
    // sample on a fine dyadic grid so the exact kernels apply
    const k = Math.round((xmin + ((xmax - xmin) * s) / CURVE_SAMPLES) * 2 ** (n + 8));
    const x = k / 2 ** (n + 8);
    curve.push([x, approximateValue(act, ratio(BigInt(k), 1n << BigInt(n + 8)))]);
  }

  const ys = [...steps, ...curve].map(([, y]) => y).filter(Number.isFinite);
  let ymin = Math.min(...ys, Number(format.minCode) * eps > 0 ? 0 : 0);
  let ymax = Math.max(...ys);
  // keep σ's off-range parts visible but bounded: clip to the format's range widened by 10%
  const fmin = Number(format.minCode) * eps;
  const fmax = Number(format.maxCode) * eps;
  const pad = (fmax - fmin) * 0.1;
  ymin = Math.max(ymin, fmin - pad);
  ymax = Math.min(ymax, fmax + pad);
  if (!(ymax > ymin)) {
    ymin -= 1;
    ymax += 1;
  }
  const span = ymax - ymin;
  ymin -= span * 0.04;
  ymax += span * 0.04;
  const px = (x: number) => M.left + ((x - xmin) / (xmax - xmin || 1)) * (W - M.left - M.right);
  const py = (y: number) =>
    H - M.bottom - ((Math.min(Math.max(y, ymin), ymax) - ymin) / (ymax - ymin)) * (H - M.top - M.bottom);
  const f = (v: number) => v.toFixed(2);

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
  );
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  const title = `${act.key} in ${format.spec}, ${policy.rounding}, overflow ${policy.overflow}`;
  out.push(`<text x="${W / 2}" y="24" text-anchor="middle" font-size="15">${esc(title)}</text>`);
  // grid and ticks
  for (const t of niceTicks(xmin, xmax, 8)) {
    out.push(`<line x1="${f(px(t))}" y1="${M.top}" x2="${f(px(t))}" y2="${H - M.bottom}" stroke="#eee"/>`);
    out.push(`<text x="${f(px(t))}" y="${H - M.bottom + 16}" text-anchor="middle">${t}</text>`);
  }
  for (const t of niceTicks(ymin, ymax, 8)) {
    out.push(`<line x1="${M.left}" y1="${f(py(t))}" x2="${W - M.right}" y2="${f(py(t))}" stroke="#eee"/>`);
    out.push(`<text x="${M.left - 6}" y="${f(py(t) + 4)}" text-anchor="end">${t}</text>`);
  }
  if (xmin <= 0 && xmax >= 0) {
    out.push(`<line x1="${f(px(0))}" y1="${M.top}" x2="${f(px(0))}" y2="${H - M.bottom}" stroke="#999"/>`);
  }
  if (ymin <= 0 && ymax >= 0) {
    out.push(`<line x1="${M.left}" y1="${f(py(0))}" x2="${W - M.right}" y2="${f(py(0))}" stroke="#999"/>`);
  }
  out.push(
    `<rect x="${M.left}" y="${M.top}" width="${W - M.left - M.right}" height="${H - M.top - M.bottom}" fill="none" stroke="#333"/>`,
  );
  // staircase σ_F: a horizontal segment per value, joined by vertical risers
  const d: string[] = [];
  const half = (stride * eps) / 2;
  let pen = false;
  for (const [x, y] of steps) {
    if (!Number.isFinite(y)) {
      pen = false;
      continue;
    }
    d.push(`${pen ? 'L' : 'M'}${f(px(Math.max(x - half, xmin)))} ${f(py(y))}`);
    d.push(`L${f(px(Math.min(x + half, xmax)))} ${f(py(y))}`);
    pen = true;
  }
  out.push(`<path d="${d.join('')}" fill="none" stroke="#d62728" stroke-width="1.5"/>`);
  // σ
  const c: string[] = [];
  pen = false;
  for (const [x, y] of curve) {
    if (!Number.isFinite(y)) {
      pen = false;
      continue;
    }
    c.push(`${pen ? 'L' : 'M'}${f(px(x))} ${f(py(y))}`);
    pen = true;
  }
  out.push(
    `<path d="${c.join('')}" fill="none" stroke="#1f77b4" stroke-width="1.2" stroke-dasharray="4 2"/>`,
  );
  // legend
  const lx = M.left + 12;
  const ly = M.top + 16;
  out.push(`<rect x="${lx - 6}" y="${ly - 12}" width="230" height="40" fill="white" stroke="#ccc"/>`);
  out.push(
    `<line x1="${lx}" y1="${ly - 4}" x2="${lx + 24}" y2="${ly - 4}" stroke="#1f77b4" stroke-dasharray="4 2"/>`,
  );
  out.push(`<text x="${lx + 30}" y="${ly}">σ(x) = ${esc(act.formula)}</text>`);
  out.push(
    `<line x1="${lx}" y1="${ly + 14}" x2="${lx + 24}" y2="${ly + 14}" stroke="#d62728" stroke-width="1.5"/>`,
  );
  out.push(
    `<text x="${lx + 30}" y="${ly + 18}">σ_F(x) = rnd(σ(x))${stride > 1 ? ` (every ${Math.round(stride)}th value)` : ''}</text>`,
  );
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
