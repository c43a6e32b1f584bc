/**
 * Issue 12's bar cells: `fxnn check` on 16-bit formats for the listed activations and both weight sets,
 * each in a fresh process under /usr/bin/time -v (wall time and peak resident memory). Prints a Markdown
 * table. Needs a build (`npm run build`) and GNU time. Usage:
 *   npx tsx bench/scale.bench.ts [--formats Q7.8,ap_fixed<16,6>] [--activations relu,gelu] [--weights all,binary]
 *     [--accumulations sequential,exact] [--bias last,first] [--reasons]
 * `--reasons` adds the first 160 characters of the reason of every verdict that is not universal.
 * docs/theory.md §10.6 has the table for Q7.8, Q3.12, ap_fixed<16,6> and ap_fixed<16,6,AP_RND,AP_SAT>.
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    formats: { type: 'string', default: 'Q7.8' },
    activations: {
      type: 'string',
      default: 'relu,sigmoid,tanh,silu,gelu,elu,softplus,mish,leaky-relu,hard-swish,identity',
    },
    weights: { type: 'string', default: 'all,binary' },
    accumulations: { type: 'string', default: 'sequential' },
    bias: { type: 'string', default: 'last' },
    reasons: { type: 'boolean', default: false },
    budget: { type: 'string', default: '1' },
  },
});

console.log('| cell | verdict | time (s) | peak memory (MB) |');
console.log('| --- | --- | --- | --- |');
const cells: Array<[string, string, string, string, string]> = [];
for (const format of values.formats.split(';').flatMap((f) => (f.includes('<') ? [f] : f.split(','))))
  for (const weights of values.weights.split(','))
    for (const accumulation of values.accumulations.split(','))
      for (const bias of values.bias.split(','))
        for (const activation of values.activations.split(','))
          cells.push([format, weights, accumulation, bias, activation]);
for (const [format, weights, accumulation, bias, activation] of cells) {
  const args = ['-v', 'node', 'bin/fxnn.js', 'check', '--activation', activation, '--format', format];
  args.push('--weights', weights, '--accumulation', accumulation, '--bias', bias);
  args.push('--budget', values.budget, '--json');
  const r = spawnSync('/usr/bin/time', args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(r.stderr);
  const seconds = wall ? Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]) : Number.NaN;
  const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1] ?? Number.NaN);
  let verdict = `exit ${r.status}`;
  try {
    const out = JSON.parse(r.stdout);
    verdict = out.verdict;
    if (values.reasons && verdict !== 'universal') verdict += `: ${String(out.reason).slice(0, 160)}`;
  } catch {
    verdict += ` ${r.stderr.split('\n')[0]}`;
  }
  console.log(
    `| ${activation} ${format} ${weights} ${accumulation} ${bias} | ${verdict} | ${seconds.toFixed(1)} | ${(kb / 1024).toFixed(0)} |`,
  );
}
