/**
 * `fxnn construct` on one ✓ cell per kind of certificate (bench/decided-kind-cells.ts; issue 12 item 4,
 * "verified means verified"; docs/construction.md, "Certificates the compiler cannot cut into boxes"). For
 * each cell: the kind `decide` names (in process), then the CLI on a random table target (a CSV written to
 * a temporary folder, seeded), with its exit status, the construction it reports, the parameters, and the
 * wall time and peak memory of the process (`/usr/bin/time`). `--bin` runs another build (e.g. the main
 * branch's bin/fxnn.js, for the figures before); `--d 2` tables over 𝕀² (formats of at most 8 values).
 *   npm run build --silent && npx tsx bench/construct-kinds.bench.ts [--bin bin/fxnn.js] [--d 1]
 * A network is reported `built` only when the CLI says it is verified on every input.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { makeConfiguration, settingOf } from '../src/expressivity/configuration.js';
import { type DecidedCertificate, decide } from '../src/expressivity/verdict.js';
import { randomTable } from '../src/prng.js';
import { codeToDecimal } from '../src/value.js';
import { KIND_CELLS } from './decided-kind-cells.js';

const { values } = (() => {
  try {
    return parseArgs({
      options: { bin: { type: 'string', default: 'bin/fxnn.js' }, d: { type: 'string', default: '1' } },
    });
  } catch (e) {
    console.error(`error: ${(e as Error).message.split('\n')[0]}`);
    process.exit(2);
  }
})();
const d = Number(values.d);
if (d !== 1 && d !== 2) {
  console.error(`error: --d takes 1 or 2, not ${values.d}`);
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'fxnn-kinds-'));
console.log(`construct on one ✓ cell per certificate kind (${values.bin}, d = ${d}, a random table, seed 7)`);
console.log('| kind (decide) | cell | result | construction | parameters | time | peak |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
try {
  for (const [kind, activation, format, rounding, overflow, weights, accumulation, bias] of KIND_CELLS) {
    const c = makeConfiguration({ activation, format, rounding, overflow, weights, accumulation, bias });
    const s = settingOf(c);
    const cell = `${activation} ${format} ${rounding} ${overflow} ${weights} ${accumulation} bias ${bias}`;
    if (d === 2 && s.size > 8) {
      console.log(`| ${kind} | ${cell} | skipped (d = 2 above 8 values) | | | | |`);
      continue;
    }
    let found: DecidedCertificate | null = null;
    const v = decide(c, {
      onCertificate: (f) => {
        found = f;
      },
    });
    const named = v.verdict === 'universal' ? ((found as DecidedCertificate | null)?.key ?? '?') : v.verdict;
    const table = randomTable(s.size ** d, s.min, s.size, 7);
    const dec = (code: number) => codeToDecimal(BigInt(code), c.format);
    const rows = [d === 1 ? 'x1,y' : 'x1,x2,y'];
    for (let i = 0; i < table.length; i++) {
      const x = d === 1 ? [s.min + i] : [s.min + Math.floor(i / s.size), s.min + (i % s.size)];
      rows.push([...x.map(dec), dec(table[i])].join(','));
    }
    const csv = join(dir, `${kind}-${format}.csv`);
    writeFileSync(csv, `${rows.join('\n')}\n`);
    const timing = join(dir, 'time.txt');
    const args = [
      '-f',
      '%e %M',
      '-o',
      timing,
      'node',
      values.bin,
      'construct',
      ...['--activation', activation, '--format', format, '--rounding', rounding, '--overflow', overflow],
      ...['--weights', weights, '--accumulation', accumulation, '--bias', bias, '--table', csv],
    ];
    const r = spawnSync('/usr/bin/time', args, { encoding: 'utf8' });
    const [secs, kb] = readFileSync(timing, 'utf8').trim().split('\n').pop()?.split(' ') ?? ['?', '?'];
    const out = `${r.stdout}${r.stderr}`;
    const verified = /verified on all \d+ inputs/.test(out);
    const line = out.split('\n').find((l) => l.startsWith('construction ')) ?? '';
    const method = line.replace(/^construction /, '').replace(/:.*$/, '');
    const params = /: (\d+) parameters/.exec(line)?.[1] ?? '';
    const error = out.split('\n').find((l) => l.startsWith('error:')) ?? '';
    const result =
      verified && r.status === 0 ? 'built, verified' : `exit ${r.status}: ${error.slice(0, 90)}…`;
    console.log(
      `| ${named} | ${cell} | ${result} | ${method} | ${params} | ${secs} s | ${Math.round(Number(kb) / 1024)} MB |`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
