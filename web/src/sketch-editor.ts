import { codeText, codeValue, h, niceTicks, short } from './dom.js';
import type { FormatInfo } from './protocol.js';

const M = { left: 48, right: 10, top: 10, bottom: 28 };

export interface SketchEditor {
  readonly element: HTMLElement;
  /** Shows a target (and the network's output over it, or null). */
  set(format: FormatInfo, target: Int32Array, output: Int32Array | null): void;
}

/**
 * A 1-D target f : 𝕀 → 𝕀 on the grid 𝕀 × 𝕀, drawn with the mouse (or pen/touch: drag across the grid)
 * or with the keyboard (←/→ choose x, ↑/↓ change f(x) by one step, Shift ×16, PageUp/PageDown by 1).
 * The network's output is drawn over it as dots (red where it differs).
 */
export function sketchEditor(onChange: (target: Int32Array) => void): SketchEditor {
  const canvas = h('canvas', {
    class: 'sketch',
    tabindex: 0,
    role: 'application',
    'aria-roledescription': 'target sketch',
    'aria-label': 'Target sketch: drag on the grid, or use ←/→ to choose x and ↑/↓ to change f(x)',
    'data-testid': 'sketch',
  });
  const readout = h('p', { class: 'readout', 'aria-live': 'polite' }, 'Drag across the grid to draw f.');
  const element = h('figure', { class: 'sketch-figure' }, canvas, readout);
  let format: FormatInfo | null = null;
  let target = new Int32Array(0);
  let output: Int32Array | null = null;
  let cursor = 0;
  let last: [number, number] | null = null;
  let drawing = false;
  let width = 600;
  let height = 320;

  const plotW = () => width - M.left - M.right;
  const plotH = () => height - M.top - M.bottom;
  const colOf = (px: number) => Math.floor(((px - M.left) / plotW()) * (format?.size ?? 1));
  const codeOfY = (py: number) => {
    const f = format!;
    return f.maxCode - Math.floor(((py - M.top) / plotH()) * f.size);
  };
  const xOf = (col: number) => M.left + ((col + 0.5) / format!.size) * plotW();
  const yOf = (code: number) => M.top + ((format!.maxCode - code + 0.5) / format!.size) * plotH();

  function render(): void {
    const ctx = canvas.getContext('2d');
    if (!ctx || !format) return;
    const f = format;
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    canvas.style.height = `${height}px`;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const style = getComputedStyle(canvas);
    const color = (v: string, fallback: string) => style.getPropertyValue(v).trim() || fallback;
    ctx.fillStyle = color('--plot-bg', '#fff');
    ctx.fillRect(M.left, M.top, plotW(), plotH());
    // grid: every value for small formats, nice ticks otherwise
    ctx.strokeStyle = color('--grid', '#e3e6ea');
    ctx.lineWidth = 1;
    ctx.beginPath();
    if (f.size <= 64) {
      for (let i = 0; i <= f.size; i++) {
        const x = M.left + (i / f.size) * plotW();
        const y = M.top + (i / f.size) * plotH();
        ctx.moveTo(x, M.top);
        ctx.lineTo(x, M.top + plotH());
        ctx.moveTo(M.left, y);
        ctx.lineTo(M.left + plotW(), y);
      }
    }
    ctx.stroke();
    const lo = codeValue(f.minCode, f.fracBits);
    const hi = codeValue(f.maxCode, f.fracBits);
    ctx.fillStyle = color('--muted', '#556');
    ctx.font = '11px system-ui, sans-serif';
    ctx.strokeStyle = color('--grid-strong', '#c9ced6');
    ctx.beginPath();
    for (const t of niceTicks(lo, hi, 8)) {
      const code = Math.round(t * 2 ** f.fracBits);
      const x = xOf(code - f.minCode);
      const y = yOf(code);
      ctx.moveTo(x, M.top);
      ctx.lineTo(x, M.top + plotH());
      ctx.moveTo(M.left, y);
      ctx.lineTo(M.left + plotW(), y);
      ctx.textAlign = 'center';
      ctx.fillText(short(t), x, height - 10);
      ctx.textAlign = 'right';
      ctx.fillText(short(t), M.left - 5, y + 4);
    }
    ctx.stroke();
    // the target: steps (a wide translucent band when the network's dots are drawn over it)
    ctx.strokeStyle = color('--target', '#1f6feb');
    ctx.globalAlpha = output ? 0.45 : 1;
    ctx.lineWidth = output ? 6 : 2.5;
    ctx.lineJoin = 'round';
    ctx.beginPath();
    for (let i = 0; i < f.size; i++) {
      const x0 = M.left + (i / f.size) * plotW();
      const x1 = M.left + ((i + 1) / f.size) * plotW();
      const y = yOf(target[i]);
      if (i === 0) ctx.moveTo(x0, y);
      else ctx.lineTo(x0, y);
      ctx.lineTo(x1, y);
    }
    ctx.stroke();
    ctx.globalAlpha = 1;
    // legend
    ctx.font = '12px system-ui, sans-serif';
    ctx.textAlign = 'left';
    ctx.fillStyle = color('--plot-bg', '#fff');
    ctx.fillRect(M.left + 6, M.top + 6, output ? 250 : 90, 22);
    ctx.fillStyle = color('--target', '#1f6feb');
    ctx.fillRect(M.left + 12, M.top + 15, 18, 4);
    ctx.fillStyle = color('--text', '#222');
    ctx.fillText('target f', M.left + 36, M.top + 21);
    if (output) {
      ctx.fillStyle = color('--output', '#e8590c');
      ctx.beginPath();
      ctx.arc(M.left + 112, M.top + 17, 3.5, 0, 2 * Math.PI);
      ctx.fill();
      ctx.fillStyle = color('--text', '#222');
      ctx.fillText('network output', M.left + 122, M.top + 21);
    }
    // the network's output
    if (output) {
      const r = f.size <= 64 ? 3.5 : f.size <= 256 ? 2 : 1.3;
      const step = Math.max(1, Math.floor(f.size / (plotW() * 2)));
      for (let i = 0; i < f.size; i += step) {
        ctx.fillStyle = output[i] === target[i] ? color('--output', '#e8590c') : color('--bad', '#d00');
        ctx.beginPath();
        ctx.arc(xOf(i), yOf(output[i]), output[i] === target[i] ? r : r + 2, 0, 2 * Math.PI);
        ctx.fill();
      }
    }
    // the keyboard cursor
    if (document.activeElement === canvas) {
      ctx.strokeStyle = color('--focus', '#8250df');
      ctx.lineWidth = 1.5;
      ctx.strokeRect(xOf(cursor) - 4, yOf(target[cursor]) - 4, 8, 8);
    }
  }

  function describe(col: number): void {
    if (!format) return;
    const x = format.minCode + col;
    const y = target[col];
    const out = output ? `, network ${codeText(output[col], format.fracBits)}` : '';
    readout.textContent = `x = ${codeText(x, format.fracBits)}   f(x) = ${codeText(y, format.fracBits)}${out}`;
  }

  function setPoint(col: number, code: number): void {
    if (!format || col < 0 || col >= format.size) return;
    target[col] = Math.max(format.minCode, Math.min(format.maxCode, code));
  }

  /** Sets every column between two pointer positions (integer interpolation on codes). */
  function stroke(a: [number, number], b: [number, number]): void {
    const [c0, y0] = a;
    const [c1, y1] = b;
    const n = Math.abs(c1 - c0);
    if (n === 0) {
      setPoint(c1, y1);
      return;
    }
    for (let k = 0; k <= n; k++) {
      const col = c0 + Math.sign(c1 - c0) * k;
      setPoint(col, y0 + Math.round(((y1 - y0) * k) / n));
    }
  }

  const pointerAt = (ev: PointerEvent): [number, number] => {
    const box = canvas.getBoundingClientRect();
    const px = ((ev.clientX - box.left) / box.width) * width;
    const py = ((ev.clientY - box.top) / box.height) * height;
    return [Math.max(0, Math.min(format!.size - 1, colOf(px))), codeOfY(py)];
  };

  canvas.addEventListener('pointerdown', (ev) => {
    if (!format) return;
    canvas.setPointerCapture(ev.pointerId);
    drawing = true;
    const p = pointerAt(ev);
    stroke(p, p);
    last = p;
    cursor = p[0];
    describe(cursor);
    render();
  });
  canvas.addEventListener('pointermove', (ev) => {
    if (!format) return;
    const p = pointerAt(ev);
    if (drawing && last) {
      stroke(last, p);
      last = p;
      cursor = p[0];
      render();
    }
    describe(p[0]);
  });
  const end = () => {
    if (!drawing) return;
    drawing = false;
    last = null;
    onChange(target.slice());
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  canvas.addEventListener('keydown', (ev) => {
    if (!format) return;
    const big = ev.shiftKey ? 16 : 1;
    const unit = 2 ** format.fracBits;
    const moves: Record<string, number> = {
      ArrowRight: Math.min(format.size - 1, cursor + big),
      ArrowLeft: Math.max(0, cursor - big),
      Home: 0,
      End: format.size - 1,
    };
    const changes: Record<string, number> = { ArrowUp: big, ArrowDown: -big, PageUp: unit, PageDown: -unit };
    const changed = ev.key in changes;
    if (ev.key in moves) cursor = moves[ev.key];
    else if (changed) setPoint(cursor, target[cursor] + changes[ev.key]);
    else return;
    ev.preventDefault();
    describe(cursor);
    render();
    if (changed) onChange(target.slice());
  });
  canvas.addEventListener('focus', () => {
    describe(cursor);
    render();
  });
  canvas.addEventListener('blur', render);

  new ResizeObserver(() => {
    const w = Math.round(element.clientWidth);
    if (w > 0 && w !== width) {
      width = w;
      height = Math.max(220, Math.min(380, Math.round(w * 0.45)));
      requestAnimationFrame(render);
    }
  }).observe(element);

  return {
    element,
    set(f, t, o) {
      format = f;
      target = t.slice();
      output = o;
      cursor = Math.min(cursor, f.size - 1);
      render();
    },
  };
}
