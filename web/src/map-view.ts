import { h } from './dom.js';
import type { MapCellView, VerdictName } from './protocol.js';

export const MARK: Record<VerdictName, string> = {
  universal: '✓',
  'not-universal': '✗',
  undetermined: '?',
  'not-applicable': 'n/a',
};

/**
 * The reproduction map (built-in activations × formats Qm.n) as a table of buttons: each opens its
 * configuration. Arrow keys move between cells (one tab stop for the whole table).
 */
export function mapTable(cells: readonly MapCellView[], open: (cell: MapCellView) => void): HTMLElement {
  const formats = [...new Set(cells.map((c) => c.format))];
  const acts = [...new Set(cells.map((c) => c.activation))];
  const at = new Map(cells.map((c) => [`${c.format} ${c.activation}`, c]));
  const buttons: HTMLButtonElement[][] = [];
  const body = formats.map((f, r) => {
    buttons.push([]);
    return h(
      'tr',
      {},
      h('th', { scope: 'row' }, f),
      ...acts.map((a, c) => {
        const cell = at.get(`${f} ${a}`)!;
        const detail =
          cell.verdict === 'universal'
            ? String(cell.detectorParameters ?? '')
            : cell.verdict === 'not-universal' && cell.witness
              ? `${cell.witness[0]}, ${cell.witness[1]}`
              : '';
        const b = h(
          'button',
          {
            type: 'button',
            class: `cell ${cell.verdict}`,
            tabindex: r === 0 && c === 0 ? 0 : -1,
            title: `${a} on ${f}: ${cell.verdict}. ${cell.reason}`,
            'aria-label': `${a} on ${f}: ${cell.verdict}${detail ? ` (${detail})` : ''}; open this configuration`,
            onclick: () => open(cell),
          },
          h('span', { class: 'mark' }, MARK[cell.verdict]),
          detail ? h('span', { class: 'detail' }, detail) : null,
        );
        b.addEventListener('keydown', (ev) => {
          const moves: Record<string, [number, number]> = {
            ArrowRight: [r, c + 1],
            ArrowLeft: [r, c - 1],
            ArrowDown: [r + 1, c],
            ArrowUp: [r - 1, c],
            Home: [r, 0],
            End: [r, acts.length - 1],
          };
          const m = moves[ev.key];
          if (!m) return;
          const target = buttons[m[0]]?.[m[1]];
          if (!target) return;
          ev.preventDefault();
          b.tabIndex = -1;
          target.tabIndex = 0;
          target.focus();
        });
        buttons[r].push(b);
        return h('td', {}, b);
      }),
    );
  });
  const tally = (v: VerdictName) => cells.filter((c) => c.verdict === v).length;
  return h(
    'div',
    { class: 'map' },
    h(
      'p',
      { class: 'muted' },
      `${cells.length} cells: ${tally('universal')} ✓ universal (number: parameters of the largest detector), ${tally('not-universal')} ✗ not universal (DIST witness pair), ${tally('undetermined')} ? undetermined, ${tally('not-applicable')} n/a. Weights: ${cells[0]?.weights ?? 'all'}. Select a cell to open its configuration.`,
    ),
    h(
      'div',
      { class: 'scroll-x map-scroll' },
      h(
        'table',
        { class: 'map-table' },
        h(
          'thead',
          {},
          h('tr', {}, h('th', { scope: 'col' }, 'format'), ...acts.map((a) => h('th', { scope: 'col' }, a))),
        ),
        h('tbody', {}, ...body),
      ),
    ),
  );
}
