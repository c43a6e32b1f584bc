/**
 * Issue 16's hostile commands, run as a user runs them (`node bin/fxnn.js …`, build first), each under
 * a time cap and a memory cap (peak RSS, measured by polling /proc and reported by GNU time when it is
 * installed). Prints a table: command, exit status (and the one expected), time, peak RSS, the first
 * line of stderr, and whether the run met its bar: the expected status, no stack trace, within its
 * caps, and the command's own check (the right answer, a file left intact, …).
 *
 *   npx tsx bench/hostile.ts            # everything (the 1M-input construct takes about 5 minutes)
 *   npx tsx bench/hostile.ts --quick    # without the runs longer than a minute
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'fxnn.js');
const quick = process.argv.includes('--quick');
const dir = mkdtempSync(join(tmpdir(), 'fxnn-hostile-'));
const at = (name: string) => join(dir, name);

interface Case {
  /** Issue 16's class. */
  readonly group: string;
  readonly args: readonly string[];
  /** Acceptable exit statuses. */
  readonly status: readonly number[];
  readonly seconds: number;
  readonly megabytes: number;
  readonly stdin?: string;
  /** Extra check on the run: null when it passes, else why not. */
  readonly check?: (r: Outcome) => string | null;
  /** Longer than a minute: skipped with --quick. */
  readonly long?: boolean;
  /** Discard standard output (large outputs). */
  readonly discard?: boolean;
}

interface Outcome {
  status: number | null;
  signal: string | null;
  seconds: number;
  peakMb: number;
  stdout: string;
  stderr: string;
  killed: string | null;
}

/** A network file: one identity neuron with weight `w` (or a hidden layer of `activation`). */
function net(
  name: string,
  format: string,
  inputs: number,
  extra: Record<string, unknown> = {},
  activation?: unknown,
): string {
  const edges = Array.from({ length: inputs }, (_, i) => [i, '1']);
  const layers = activation
    ? [
        { activation, neurons: [{ bias: '0', edges }] },
        { activation: 'identity', neurons: [{ bias: '0', edges: [[0, '1']] }] },
      ]
    : [{ activation: 'identity', neurons: [{ bias: '0', edges }] }];
  writeFileSync(at(name), JSON.stringify({ fxnn: 1, format, inputs, layers, ...extra }));
  return at(name);
}

function fixtures(): void {
  net('id34.json', 'Q3.4', 1);
  net('big3.json', 'Q7.8', 3);
  net('q1112.json', 'Q11.12', 1);
  // 1.5·x overflows Q1.1 at x = −2 and x = 1.5
  writeFileSync(
    at('ov.json'),
    readFileSync(at('id34.json'), 'utf8')
      .replace('"Q3.4"', '"Q1.1"')
      .replace('"1"]', '"1.5"]')
      .replace('{"fxnn":1,', '{"fxnn":1,"overflow":"error",'),
  );
  net('leaky.json', 'Q3.4', 1, {}, { name: 'leaky-relu', alpha: '1e400' });
  writeFileSync(at('w.json'), readFileSync(at('id34.json'), 'utf8').replace('"bias":"0"', '"bias":1e400'));
  writeFileSync(at('keep.csv'), 'precious\n');
  writeFileSync(at('bad.csv'), 'a,b\n1,2\n');
  // 2 × 10⁶ batch lines (Q3.4 values)
  const ops = ['add', 'sub', 'mul', 'div'];
  const lines: string[] = [];
  let seed = 16;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed;
  };
  for (let i = 0; i < 2_000_000; i++)
    lines.push(`${ops[rnd() % 4]} ${((rnd() % 256) - 128) / 16} ${((rnd() % 127) + 1) / 16}`);
  writeFileSync(at('batch.txt'), `${lines.join('\n')}\n`);
}

const sum3000 = `x1${' + 0*x1'.repeat(2999)}`;

const CASES: Case[] = [
  // crashes
  {
    group: 'crash',
    args: ['activation', 'expr', '--expr', 'exp(x)', '--format', 'Q10.0'],
    status: [0],
    seconds: 30,
    megabytes: 500,
    discard: true,
  },
  {
    group: 'crash',
    args: ['activation', 'expr', '--expr', 'x^200', '--format', 'Q6.0'],
    status: [0],
    seconds: 30,
    megabytes: 500,
  },
  {
    group: 'crash',
    args: ['activation', 'expr', '--expr', 'exp(709)', '--format', 'Q3.4'],
    status: [0],
    seconds: 30,
    megabytes: 500,
  },
  {
    group: 'crash',
    args: ['activation', 'expr', '--expr', '1e400', '--format', 'Q3.4'],
    status: [0],
    seconds: 30,
    megabytes: 500,
  },
  {
    group: 'crash',
    args: ['activation', 'expr', '--expr', '2^2000', '--format', 'Q3.4'],
    status: [0],
    seconds: 30,
    megabytes: 500,
  },
  {
    group: 'crash',
    args: ['activation', 'leaky-relu', '--alpha', '1e400', '--format', 'Q3.4'],
    status: [0],
    seconds: 30,
    megabytes: 500,
  },
  {
    group: 'crash',
    args: ['activation', 'elu', '--alpha', '1e400', '--format', 'Q3.4'],
    status: [0],
    seconds: 30,
    megabytes: 500,
  },
  {
    group: 'crash',
    args: [
      'activation',
      'leaky-relu',
      '--alpha',
      '1e400',
      '--format',
      'Q3.4',
      '--overflow',
      'error',
      '--json',
    ],
    status: [0],
    seconds: 30,
    megabytes: 500,
    check: (r) => (r.stdout.includes('null') ? null : 'no null for the overflowing points'),
  },
  {
    group: 'crash',
    args: ['check', '--activation', 'leaky-relu:alpha=1e400', '--format', 'Q3.4'],
    status: [0],
    seconds: 60,
    megabytes: 500,
  },
  { group: 'crash', args: ['export-c', at('leaky.json')], status: [0], seconds: 30, megabytes: 500 },
  {
    group: 'crash',
    args: ['verify', at('id34.json'), '--fn', sum3000],
    status: [0, 2],
    seconds: 30,
    megabytes: 500,
  },
  {
    group: 'crash',
    args: ['verify', at('id34.json'), '--fn', 'x1^1e9'],
    status: [1],
    seconds: 30,
    megabytes: 1000,
  },
  {
    group: 'crash',
    args: ['construct', '--activation', 'relu', '--format', 'Q2.2', '--fn', 'x1*x2+x3-x4', '--dims', '4'],
    status: [0],
    seconds: 300,
    megabytes: 2500,
    long: true,
    discard: false,
  },
  { group: 'exit', args: ['--version'], status: [0], seconds: 10, megabytes: 300 },
  { group: 'exit', args: ['frobnicate'], status: [2], seconds: 10, megabytes: 300 },
  {
    group: 'exit',
    args: ['verify', at('id34.json'), '--fn', 'x1/2'],
    status: [1],
    seconds: 30,
    megabytes: 500,
  },
  // hangs
  {
    group: 'hang',
    args: ['activation', 'expr', '--expr', '2^10000', '--format', 'Q3.4'],
    status: [0],
    seconds: 30,
    megabytes: 500,
  },
  {
    group: 'hang',
    args: ['activation', 'expr', '--expr', 'exp(exp(exp(x)))', '--format', 'Q3.4'],
    status: [0],
    seconds: 30,
    megabytes: 500,
  },
  {
    group: 'hang',
    args: ['activation', 'expr', '--expr', 'erfc(exp(exp(exp(x))))', '--format', 'Q3.4'],
    status: [0],
    seconds: 30,
    megabytes: 500,
  },
  {
    group: 'hang',
    args: ['activation', 'expr', '--expr', 'exp(x)', '--format', 'Q9.6'],
    status: [0],
    seconds: 30,
    megabytes: 500,
    discard: true,
  },
  {
    group: 'hang',
    args: ['activation', 'expr', '--expr', 'x^1e9', '--format', 'Q3.4'],
    status: [0],
    seconds: 30,
    megabytes: 500,
  },
  // false reasons
  {
    group: 'reason',
    args: ['activation', 'expr', '--expr', 'x^1e9', '--format', 'Q3.4', '--at', '-1', '0.5'],
    status: [0],
    seconds: 30,
    megabytes: 500,
  },
  {
    group: 'reason',
    args: ['verify', at('id34.json'), '--fn', 'x1^100000'],
    status: [1],
    seconds: 30,
    megabytes: 500,
  },
  {
    group: 'reason',
    args: ['activation', 'expr', '--expr', 'exp(1e6)', '--format', 'Q3.4'],
    status: [0],
    seconds: 30,
    megabytes: 500,
  },
  {
    group: 'reason',
    args: ['activation', 'expr', '--expr', 'tanh(1e400)', '--format', 'Q3.4', '--at', '0'],
    status: [0],
    seconds: 30,
    megabytes: 500,
    check: (r) => (/= 1 /.test(r.stdout) ? null : 'tanh(1e400) is not 1'),
  },
  // long work
  {
    group: 'long',
    args: ['check', '--activation', 'sigmoid', '--format', 'Q5.4'],
    status: [0],
    seconds: 120,
    megabytes: 800,
    long: true,
  },
  {
    group: 'long',
    args: ['reproduce', '--max-bits', '12'],
    status: [2],
    seconds: 10,
    megabytes: 300,
    check: (r) => (r.stderr.includes('would take about') ? null : 'no estimate'),
  },
  {
    group: 'long',
    args: ['reproduce', '--max-bits', '6'],
    status: [0],
    seconds: 120,
    megabytes: 800,
    long: true,
    check: (r) => (r.stderr.startsWith('reproduce: ') ? null : 'no estimate line on a pipe'),
  },
  // resources
  {
    group: 'stream',
    args: ['op', 'Q3.4', '--batch', at('batch.txt')],
    status: [0],
    seconds: 120,
    megabytes: 300,
    discard: true,
    long: true,
  },
  {
    group: 'stream',
    args: ['op', 'Q3.4', '--batch', '-'],
    stdin: 'add 1 2\nmul 0.5 0.5\nmul 0.5\n',
    status: [2],
    seconds: 10,
    megabytes: 300,
    check: (r) => (r.stdout === '3\n0.25\n' ? null : 'results before the bad line lost'),
  },
  {
    group: 'stream',
    args: ['activation', 'gelu', '--format', 'Q11.12'],
    status: [0],
    seconds: 120,
    megabytes: 600,
    discard: true,
    long: true,
  },
  {
    group: 'stream',
    args: ['eval', at('q1112.json'), '--all', '--out', at('q1112.csv')],
    status: [0],
    seconds: 240,
    megabytes: 600,
    long: true,
  },
  {
    group: 'stream',
    args: ['verify', at('q1112.json'), '--table', at('q1112.csv')],
    status: [0],
    seconds: 240,
    megabytes: 800,
    long: true,
  },
  {
    group: 'destroy',
    args: ['eval', at('big3.json'), '--all', '--out', at('keep.csv')],
    status: [2],
    seconds: 30,
    megabytes: 500,
    check: () => (readFileSync(at('keep.csv'), 'utf8') === 'precious\n' ? null : 'keep.csv was changed'),
  },
  {
    group: 'destroy',
    args: ['construct', '--activation', 'relu', '--format', 'Q3.4', '--fn', 'x1', '--out', dir],
    status: [2],
    seconds: 10,
    megabytes: 300,
  },
  {
    group: 'destroy',
    args: ['export-c', at('missing.json'), '--out', dir],
    status: [2],
    seconds: 10,
    megabytes: 300,
    check: (r) => (r.stderr.includes('--out') ? null : 'the --out directory was not refused first'),
  },
  {
    group: 'message',
    args: ['op', 'Q3.4', '--batch', dir],
    status: [2],
    seconds: 10,
    megabytes: 300,
    check: (r) => (r.stderr.includes('--batch: cannot read') ? null : 'the directory is not named'),
  },
  // formats as users spell them
  {
    group: 'format',
    args: ['round', 'ap_fixed<8,3>', '0.99', '100'],
    status: [0],
    seconds: 10,
    megabytes: 300,
    check: (r) =>
      /0\.96875/.test(r.stdout) && /-4\b/.test(r.stdout) ? null : 'not ap_fixed<8,3> (AP_TRN, AP_WRAP)',
  },
  {
    group: 'format',
    args: ['round', 'ap_fixed<8,3,AP_RND,AP_SAT>', '0.99', '100'],
    status: [0],
    seconds: 10,
    megabytes: 300,
  },
  { group: 'format', args: ['round', 'ap_int<8>', '3.7', '200'], status: [0], seconds: 10, megabytes: 300 },
  // one expression language
  {
    group: 'expr',
    args: ['activation', 'expr', '--expr', 'sin(3*x)', '--format', 'Q3.4'],
    status: [0],
    seconds: 30,
    megabytes: 500,
  },
  {
    group: 'expr',
    args: ['activation', 'expr', '--expr', 'x.toString()', '--format', 'Q3.4'],
    status: [2],
    seconds: 10,
    megabytes: 300,
    check: (r) => (r.stderr.includes('native code') ? 'leaks JavaScript' : null),
  },
  {
    group: 'expr',
    args: ['check', '--activation', 'expr', '--expr', 'x/2', '--format', 'Q3.4'],
    status: [0],
    seconds: 60,
    megabytes: 500,
  },
  // messages
  {
    group: 'message',
    args: ['check', '--activation', 'relu', '--format', 'SQ0.0'],
    status: [0],
    seconds: 10,
    megabytes: 300,
    check: (r) =>
      r.stdout.includes('universal') && !r.stdout.includes('undetermined') ? null : 'not universal',
  },
  {
    group: 'message',
    args: ['export-c', at('id34.json'), '--name', 'printf'],
    status: [2],
    seconds: 10,
    megabytes: 300,
  },
  {
    group: 'message',
    args: ['eval', at('ov.json'), '--all'],
    status: [0],
    seconds: 10,
    megabytes: 300,
    check: (r) => (r.stdout.includes('overflow') ? null : 'overflowing rows not reported'),
  },
  {
    group: 'message',
    args: ['info', at('w.json')],
    status: [2],
    seconds: 10,
    megabytes: 300,
    check: (r) => (r.stderr.includes('null') ? 'says null' : null),
  },
  {
    group: 'message',
    args: ['format', `Q${'9'.repeat(400)}.0`],
    status: [2],
    seconds: 10,
    megabytes: 300,
    check: (r) => (r.stderr.includes('Infinity') ? 'says Infinity' : null),
  },
  {
    group: 'message',
    args: ['construct', '--activation', 'relu', '--format', 'Q1.1', '--table', at('bad.csv')],
    status: [2],
    seconds: 10,
    megabytes: 300,
    check: (r) => (r.stderr.includes('must be y,') ? 'says "must be y"' : null),
  },
];

/** Resident memory (MB) of a process and its descendants, from /proc. */
function treeRssMb(pid: number): number {
  let kb = 0;
  const visit = (p: number) => {
    try {
      const status = readFileSync(`/proc/${p}/status`, 'utf8');
      kb += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      for (const child of readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim().split(/\s+/))
        if (child) visit(Number(child));
    } catch {
      // gone
    }
  };
  visit(pid);
  return kb / 1024;
}

function run(c: Case): Promise<Outcome> {
  const gnuTime = existsSync('/usr/bin/time');
  const timeFile = at('time.txt');
  const command = gnuTime ? '/usr/bin/time' : process.execPath;
  const args = gnuTime ? ['-f', '%M', '-o', timeFile, process.execPath, BIN, ...c.args] : [BIN, ...c.args];
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(command, args, {
      cwd: dir,
      stdio: [c.stdin === undefined ? 'ignore' : 'pipe', c.discard ? 'ignore' : 'pipe', 'pipe'],
      env: { ...process.env, FXNN_DEBUG: '' },
      detached: true, // its own process group: a cap kills time and node together
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d) => {
      if (stdout.length < 1 << 20) stdout += d;
    });
    child.stderr?.setEncoding('utf8').on('data', (d) => {
      if (stderr.length < 1 << 20) stderr += d;
    });
    if (c.stdin !== undefined) child.stdin?.end(c.stdin);
    let peak = 0;
    let killed: string | null = null;
    const kill = (why: string) => {
      killed ??= why;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const poll = setInterval(() => {
      peak = Math.max(peak, treeRssMb(child.pid!));
      if (peak > c.megabytes) kill(`over ${c.megabytes} MB`);
      if ((performance.now() - t0) / 1000 > c.seconds) kill(`over ${c.seconds} s`);
    }, 100);
    child.on('close', (status, signal) => {
      clearInterval(poll);
      const seconds = (performance.now() - t0) / 1000;
      if (gnuTime && existsSync(timeFile)) {
        const kb = Number(readFileSync(timeFile, 'utf8').trim().split('\n').at(-1));
        if (Number.isFinite(kb)) peak = Math.max(peak, kb / 1024);
        rmSync(timeFile, { force: true });
      }
      resolve({ status, signal, seconds, peakMb: peak, stdout, stderr, killed });
    });
  });
}

function verdict(c: Case, r: Outcome): string {
  if (r.killed) return `FAIL (${r.killed})`;
  if (r.status === null || !c.status.includes(r.status)) return `FAIL (status ${r.status ?? r.signal})`;
  if (/\n\s+at .*:\d+/.test(r.stderr) || /^\s+at /m.test(r.stderr)) return 'FAIL (stack trace)';
  if (
    r.status === 2 &&
    r.stderr
      .trimEnd()
      .split('\n')
      .filter((l) => l.startsWith('error:')).length !== 1
  )
    return 'FAIL (not one error line)';
  const extra = c.check?.(r) ?? null;
  return extra ? `FAIL (${extra})` : 'ok';
}

const shown = (args: readonly string[]) =>
  args
    .map((a) => a.replace(dir, '$DIR'))
    .map((a) => (a.length > 40 ? `${a.slice(0, 37)}...` : a))
    .map((a) => (/^[\w.,:=/$@%+-]+$/.test(a) ? a : `'${a}'`))
    .join(' ');

async function mainBench(): Promise<void> {
  fixtures();
  const rows: string[][] = [];
  let failures = 0;
  const cases = CASES.filter((c) => !(quick && c.long));
  for (const c of cases) {
    const r = await run(c);
    const v = verdict(c, r);
    if (v !== 'ok') failures++;
    const first = (r.stderr.split('\n').find((l) => l.trim() !== '') ?? '').replace(dir, '$DIR');
    rows.push([
      c.group,
      `fxnn ${shown(c.args)}`,
      `${r.status ?? r.signal} (want ${c.status.join('|')})`,
      `${r.seconds.toFixed(1)} s`,
      `${Math.round(r.peakMb)} MB`,
      first.length > 90 ? `${first.slice(0, 87)}...` : first,
      v,
    ]);
    process.stderr.write(`${v === 'ok' ? 'ok  ' : 'FAIL'} ${rows.at(-1)![1]}\n`);
  }
  const header = ['class', 'command', 'exit', 'time', 'peak RSS', 'first line of stderr', 'bar'];
  const cell = (s: string) => s.replaceAll('|', '\\|');
  console.log(`| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|`);
  for (const row of rows) console.log(`| ${row.map(cell).join(' | ')} |`);
  console.log(
    `\n${cases.length - failures} of ${cases.length} commands met their bar${quick ? ' (--quick)' : ''}`,
  );
  rmSync(dir, { recursive: true, force: true });
  process.exitCode = failures > 0 ? 1 : 0;
}

await mainBench();
