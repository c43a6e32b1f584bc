import { readTypedNetworkFile } from '../network/typed-network-json.js';
import { checkTypedNetwork } from '../onnx/check-network.js';
import { toJson } from './output.js';

/** `fxnn check <net.json>`: one line per layer configuration with its verdict and reason. */
export function runNetworkCheck(file: string, opts: { json?: boolean; maxBits: number }): void {
  const net = readTypedNetworkFile(file);
  const results = checkTypedNetwork(net, opts.maxBits);
  if (opts.json) {
    console.log(
      toJson(
        results.map((r) => ({
          layers: r.names,
          activation: r.activation,
          type: r.type.name,
          table: r.table,
          verdict: r.verdict?.verdict ?? null,
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
      lines.push(
        `${head}: ${r.verdict.verdict}${r.table ? " (for the correctly rounded σ; this layer uses hls4ml's table)" : ''}`,
      );
      lines.push(`  ${r.verdict.reason}`);
    } else lines.push(`${head}: not run (${r.skipped})`);
  }
  console.log(lines.join('\n'));
}
