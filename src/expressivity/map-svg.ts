import type { MapCell } from './map.js';
import type { VerdictName } from './verdict.js';

/** The colour of each verdict in the SVG map (colour-blind safe: blue, orange, yellow, grey). */
export const VERDICT_COLOURS: Readonly<Record<VerdictName, string>> = {
  universal: '#1f77b4',
  'not-universal': '#e8702a',
  undetermined: '#f2c80f',
  'not-applicable': '#c8c8c8',
};

const MARKS: Readonly<Record<VerdictName, string>> = {
  universal: '✓ universal',
  'not-universal': '✗ not universal',
  undetermined: '? undetermined',
  'not-applicable': 'n/a not applicable',
};

const xmlText = (s: string) =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/**
 * The map as an SVG heat map: a row per format, a column per activation, one `<rect class="cell">` per
 * cell coloured by its verdict (VERDICT_COLOURS; its `<title>` gives the verdict and reason), a legend
 * with the counts. Rows of 12 px, so a 16-bit map (≈ 120 formats × 14 activations) stays one page.
 */
export function mapSvg(cells: readonly MapCell[], title = 'fxnn expressivity map'): string {
  const formats = [...new Set(cells.map((c) => c.format))];
  const acts = [...new Set(cells.map((c) => c.activation))];
  const cw = 64;
  const ch = 12;
  const left = 84;
  const top = 48;
  const legendH = 28;
  const width = left + cw * acts.length + 8;
  const height = top + ch * formats.length + legendH + 8;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="10" role="img">`,
    `<title>${xmlText(title)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${left}" y="14" font-size="12" font-weight="bold">${xmlText(title)}</text>`,
  ];
  acts.forEach((a, j) => {
    out.push(`<text x="${left + cw * j + cw / 2}" y="${top - 6}" text-anchor="middle">${xmlText(a)}</text>`);
  });
  const index = new Map(cells.map((c) => [`${c.activation}\u0000${c.format}`, c]));
  formats.forEach((f, i) => {
    const y = top + ch * i;
    out.push(`<text x="${left - 4}" y="${y + ch - 2}" text-anchor="end">${xmlText(f)}</text>`);
    acts.forEach((a, j) => {
      const c = index.get(`${a}\u0000${f}`);
      if (!c) return;
      out.push(
        `<rect class="cell" data-activation="${xmlText(a)}" data-format="${xmlText(f)}" data-verdict="${c.verdict}" x="${left + cw * j}" y="${y}" width="${cw - 1}" height="${ch - 1}" fill="${VERDICT_COLOURS[c.verdict]}"><title>${xmlText(`${a} × ${f}: ${c.verdict} (${c.reason})`)}</title></rect>`,
      );
    });
  });
  const ly = top + ch * formats.length + 10;
  let x = left;
  for (const v of Object.keys(VERDICT_COLOURS) as VerdictName[]) {
    const n = cells.filter((c) => c.verdict === v).length;
    out.push(
      `<rect class="legend" data-verdict="${v}" x="${x}" y="${ly}" width="12" height="12" fill="${VERDICT_COLOURS[v]}"/>`,
      `<text x="${x + 16}" y="${ly + 10}">${xmlText(`${MARKS[v]} (${n})`)}</text>`,
    );
    x += 150;
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
