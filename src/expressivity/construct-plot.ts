import type { Format } from '../format.js';

const W = 720;
const H = 420;
const PAD = 48;

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * An SVG of a construction: for d = 1 the target as a staircase and the network's output as dots over
 * it; for d = 2 two heat maps side by side (target, network). Codes in, drawn by value (display only).
 */
export function constructionPlotSvg(
  format: Format,
  d: number,
  target: Int32Array,
  output: Int32Array,
  title: string,
): string {
  // the drawn range: the values taken (display only)
  let min = Number(format.maxCode);
  let max = Number(format.minCode);
  for (const g of [target, output]) {
    for (const v of g) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  const scale = 2 ** -format.fracBits;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="20" text-anchor="middle" font-size="14">${esc(title)}</text>`,
  ];
  if (d === 1) {
    const n = target.length;
    const sx = (i: number) => PAD + ((W - 2 * PAD) * i) / Math.max(1, n - 1);
    const sy = (code: number) => H - PAD - ((H - 2 * PAD) * (code - min)) / Math.max(1, max - min);
    let path = '';
    for (let i = 0; i < n; i++) {
      const y = sy(target[i]);
      path += `${i === 0 ? 'M' : 'L'}${sx(i).toFixed(1)},${y.toFixed(1)}`;
      if (i + 1 < n) path += `L${sx(i + 1).toFixed(1)},${y.toFixed(1)}`;
    }
    parts.push(`<path d="${path}" fill="none" stroke="#1f77b4" stroke-width="1.5"/>`);
    for (let i = 0; i < n; i++) {
      parts.push(
        `<circle cx="${sx(i).toFixed(1)}" cy="${sy(output[i]).toFixed(1)}" r="1.8" fill="#d62728"/>`,
      );
    }
    parts.push(
      `<line x1="${PAD}" y1="${H - PAD}" x2="${W - PAD}" y2="${H - PAD}" stroke="#444"/>`,
      `<line x1="${PAD}" y1="${PAD}" x2="${PAD}" y2="${H - PAD}" stroke="#444"/>`,
      `<text x="${PAD}" y="${H - PAD + 16}">${min * scale}</text>`,
      `<text x="${W - PAD}" y="${H - PAD + 16}" text-anchor="end">${max * scale}</text>`,
      `<text x="${PAD - 6}" y="${H - PAD}" text-anchor="end">${min * scale}</text>`,
      `<text x="${PAD - 6}" y="${PAD + 4}" text-anchor="end">${max * scale}</text>`,
      `<text x="${W - PAD}" y="${PAD - 8}" text-anchor="end"><tspan fill="#1f77b4">— target rnd∘g</tspan>  <tspan fill="#d62728">● network output</tspan></text>`,
    );
  } else {
    const n = Math.round(Math.sqrt(target.length));
    const side = Math.min((W - 3 * PAD) / 2, H - 2 * PAD - 10);
    const cell = side / n;
    const color = (code: number) => {
      const t = (code - min) / Math.max(1, max - min);
      const r = Math.round(255 * Math.min(1, 2 * t));
      const b = Math.round(255 * Math.min(1, 2 * (1 - t)));
      return `rgb(${r},${Math.round(255 * (1 - Math.abs(2 * t - 1)))},${b})`;
    };
    [target, output].forEach((grid, k) => {
      const x0 = PAD + k * (side + PAD);
      parts.push(
        `<text x="${x0 + side / 2}" y="${PAD - 8}" text-anchor="middle">${k === 0 ? 'target' : 'network'} (x1 down, x2 across)</text>`,
      );
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          parts.push(
            `<rect x="${(x0 + j * cell).toFixed(2)}" y="${(PAD + i * cell).toFixed(2)}" width="${(cell + 0.05).toFixed(2)}" height="${(cell + 0.05).toFixed(2)}" fill="${color(grid[i * n + j])}"/>`,
          );
        }
      }
    });
    parts.push(`<text x="${PAD}" y="${H - 12}">blue ${min * scale} … red ${max * scale}</text>`);
  }
  parts.push('</svg>');
  return parts.join('\n');
}
