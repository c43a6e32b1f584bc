import { DEFAULT_SECONDS } from '../engine/budget.js';
import { readTypedNetworkFile } from '../network/typed-network-json.js';
import { checkTypedNetwork } from '../onnx/check-network.js';
import { toJson } from './output.js';
import { PhaseLog } from './progress.js';

/** Layers from this many bits report on standard error when their decision starts and ends. */
const REPORT_BITS = 10;

/**
 * `fxnn check <net.json>`: one line per layer configuration with its verdict and reason. Every layer
 * of up to `maxBits` (default 32) bits is decided within `budget` × 30 s; layers from 10 bits on
 * print a line on standard error when they start and end.
 */
export function runNetworkCheck(
  file: string,
  opts: { json?: boolean; maxBits: number; budget: number },
): void {
  const net = readTypedNetworkFile(file);
  const log = new PhaseLog('check', true);
  const seconds = Number((DEFAULT_SECONDS * opts.budget).toPrecision(3));
  let logging = false;
  const results = checkTypedNetwork(net, {
    maxBits: opts.maxBits,
    budget: opts.budget,
    onLayer: (names, activation, type) => {
      logging = type.format.bits >= REPORT_BITS;
      if (logging)
        log.phase(
          `${names.join(' + ')}: ${activation} on ${type.name} (${type.format.bits} bits, ${type.format.size} values; time budget ${seconds} s)`,
        );
    },
    onLayerDone: () => {
      if (logging) log.close();
    },
  });
  if (opts.json) {
    console.log(
      toJson(
        results.map((r) => ({
          layers: r.names,
          activation: r.activation,
          type: r.type.name,
          bits: r.type.format.bits,
          table: r.table,
          verdict: r.verdict?.verdict ?? null,
          decided: r.verdict !== null,
          budgetStopped: r.budgetStopped,
          reason: r.verdict?.reason ?? r.skipped,
        })),
      ),
    );
    return;
  }
  const lines: string[] = [];
  for (const r of results) {
    const head = `${r.names.join(' + ')}: ${r.activation} on ${r.type.name}`;
    if (r.verdict) {
      const notes = [
        r.budgetStopped
          ? 'its budget ran out, which proves nothing either way; --budget k gives k times the time and work'
          : '',
        r.table ? "for the correctly rounded σ; this layer uses hls4ml's table" : '',
      ].filter((s) => s !== '');
      lines.push(`${head}: ${r.verdict.verdict}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`);
      lines.push(`  ${r.verdict.reason}`);
    } else lines.push(`${head}: not decided: ${r.skipped}`);
  }
  console.log(lines.join('\n'));
}
