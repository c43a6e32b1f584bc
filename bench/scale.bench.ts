/**
 * Issue 12's bar cells: `fxnn check` on 16-bit formats for the listed activations and both weight sets,
 * each in a fresh process under /usr/bin/time -v (wall time and peak resident memory). Prints a Markdown
 * table. Needs a build (`npm run build`) and GNU time. Usage:
 *   npx tsx bench/scale.bench.ts [--formats Q7.8,ap_fixed<16,6>] [--activations relu,gelu] [--weights all,binary]
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
    budget: { type: 'string', default: '1' },
  },
});

console.log('| cell | verdict | time (s) | peak memory (MB) |');
console.log('| --- | --- | --- | --- |');
for (const format of values.formats.split(',')) {
  for (const weights of values.weights.split(',')) {
    for (const activation of values.activations.split(',')) {
      const args = ['-v', 'node', 'bin/fxnn.js', 'check', '--activation', activation, '--format', format];
      args.push('--weights', weights, '--budget', values.budget, '--json');
      const r = spawnSync('/usr/bin/time', args, { encoding: 'utf8', maxBuffer: 1 << 26 });
      const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(
        r.stderr,
      );
      const seconds = wall
        ? Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3])
        : Number.NaN;
      const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1] ?? Number.NaN);
      let verdict = `exit ${r.status}`;
      try {
        verdict = JSON.parse(r.stdout).verdict;
      } catch {
        verdict += ` ${r.stderr.split('\n')[0]}`;
      }
      console.log(
        `| ${activation} ${format} ${weights} | ${verdict} | ${seconds.toFixed(1)} | ${(kb / 1024).toFixed(0)} |`,
      );
    }
  }
}
