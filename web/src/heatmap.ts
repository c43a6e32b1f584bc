import { codeText, h } from './dom.js';
import type { FormatInfo } from './protocol.js';

/** Blue (minimum) → white (0) → red (maximum), for one code. */
function colour(code: number, f: FormatInfo): [number, number, number] {
  if (code >= 0) {
    const t = f.maxCode > 0 ? code / f.maxCode : 0;
    return [255, Math.round(255 - 175 * t), Math.round(255 - 200 * t)];
  }
  const t = f.minCode < 0 ? code / f.minCode : 0;
  return [Math.round(255 - 215 * t), Math.round(255 - 130 * t), 255];
}

/**
 * A function on 𝕀² as a heat map (x1 across, x2 up; table index (x1 − min)·|𝕀| + (x2 − min)). Hover,
 * or focus and use the arrow keys, to read a value; `marks` (optional) outlines cells in red.
 */
export function heatmap(
  title: string,
  f: FormatInfo,
  table: Int32Array,
  marks: Int32Array | null = null,
): HTMLElement {
  const n = f.size;
  const canvas = h('canvas', {
    class: 'heat',
    width: n,
    height: n,
    tabindex: 0,
    role: 'img',
    'aria-label': `${title}: heat map over 𝕀², x1 across, x2 up; use the arrow keys to read values`,
  });
  const ctx = canvas.getContext('2d');
  if (ctx) {
    const img = ctx.createImageData(n, n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const code = table[i * n + j];
        const [r, g, b] = marks && marks[i * n + j] !== code ? [220, 0, 0] : colour(code, f);
        const p = 4 * ((n - 1 - j) * n + i);
        img.data[p] = r;
        img.data[p + 1] = g;
        img.data[p + 2] = b;
        img.data[p + 3] = 255;
      }
    }
    ctx.putImageData(img, 0, 0);
  }
  const readout = h('p', { class: 'readout', 'aria-live': 'polite' }, ' ');
  let at: [number, number] = [0, 0];
  const show = (i: number, j: number) => {
    at = [Math.max(0, Math.min(n - 1, i)), Math.max(0, Math.min(n - 1, j))];
    const code = table[at[0] * n + at[1]];
    readout.textContent = `x1 = ${codeText(f.minCode + at[0], f.fracBits)}, x2 = ${codeText(f.minCode + at[1], f.fracBits)} → ${codeText(code, f.fracBits)}`;
  };
  canvas.addEventListener('pointermove', (ev) => {
    const box = canvas.getBoundingClientRect();
    show(
      Math.floor(((ev.clientX - box.left) / box.width) * n),
      n - 1 - Math.floor(((ev.clientY - box.top) / box.height) * n),
    );
  });
  canvas.addEventListener('keydown', (ev) => {
    const step = ev.shiftKey ? 8 : 1;
    const [i, j] = at;
    const next: Record<string, [number, number]> = {
      ArrowRight: [i + step, j],
      ArrowLeft: [i - step, j],
      ArrowUp: [i, j + step],
      ArrowDown: [i, j - step],
    };
    if (!(ev.key in next)) return;
    ev.preventDefault();
    show(...next[ev.key]);
  });
  canvas.addEventListener('focus', () => show(...at));
  return h('figure', { class: 'heat-figure' }, h('figcaption', {}, title), canvas, readout);
}
