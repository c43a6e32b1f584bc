import { readFileSync } from 'node:fs';
import { check, FxnnError } from '../errors.js';
import { exportFloatC } from '../float/float-c-export.js';
import { classify, finiteCodesAscending } from '../float/float-format.js';
import { floatFormatFacts } from '../float/float-front.js';
import { type FloatNetwork, isFloatNetworkJson, parseFloatNetworkJson } from '../float/float-network.js';
import { compileFloatNetwork } from '../float/float-network-eval.js';
import { floatCodeText } from '../float/float-rounding.js';
import { floatTarget, SIGNLESS_ZERO } from '../float/float-target.js';
import { exactFloatCode, parseFloatInput, roundFloatInput } from '../float/float-value.js';
import { ExitStatus } from './exit-status.js';
import { toJson } from './output.js';
import { planOutputFile, writeOutputFile } from './output-file.js';
import { startProgress } from './progress.js';

/** Most rows `eval --all` and `verify` run on a float network (without --force). */
const MAX_ROWS = 2 ** 24;

/** The float network in a JSON file, or null when the file is not a float network (the fixed path reads it). */
export function readFloatNetworkFile(path: string): FloatNetwork | null {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
  if (!isFloatNetworkJson(data)) return null;
  try {
    return parseFloatNetworkJson(data as Record<string, unknown>);
  } catch (e) {
    if (e instanceof FxnnError) throw new FxnnError(`${path}: ${e.message}`, e.parameter);
    throw e;
  }
}

function inputCodes(net: FloatNetwork, text: string, round: boolean): number[] {
  const parts = text.split(',').map((p) => p.trim());
  check(
    parts.length === net.inputs,
    () => `--input: the network has ${net.inputs} input${net.inputs === 1 ? '' : 's'}, got ${parts.length}`,
    'input',
  );
  return parts.map((p, i) =>
    round
      ? roundFloatInput(parseFloatInput(p, `--input x${i + 1}`), net.format, net.policy).code
      : exactFloatCode(p, net.format, `--input x${i + 1}`),
  );
}

function rowCount(net: FloatNetwork, force: boolean | undefined): number {
  const rows = (net.format.finiteCodes - 1) ** net.inputs;
  check(
    rows <= MAX_ROWS || force === true,
    () =>
      `${net.format.spec}^${net.inputs} has ${rows} finite inputs; fxnn runs at most ${MAX_ROWS} without --force`,
    'all',
  );
  return rows;
}

/** Every finite input (−0 omitted) in increasing order of value, x1 slowest. */
function* allInputs(net: FloatNetwork): Generator<number[]> {
  const xs = finiteCodesAscending(net.format);
  const idx = new Array<number>(net.inputs).fill(0);
  for (;;) {
    yield idx.map((i) => xs[i]);
    let j = net.inputs - 1;
    while (j >= 0 && idx[j] === xs.length - 1) idx[j--] = 0;
    if (j < 0) return;
    idx[j]++;
  }
}

export function floatEval(
  net: FloatNetwork,
  opts: {
    input?: string;
    roundInputs?: boolean;
    all?: boolean;
    out?: string;
    json?: boolean;
    force?: boolean;
  },
): void {
  const f = net.format;
  const fast = compileFloatNetwork(net);
  if (opts.all) {
    const out = planOutputFile(opts.out, '--out');
    rowCount(net, opts.force);
    const k = net.layers[net.layers.length - 1].neurons.length;
    const lines = [
      [
        ...Array.from({ length: net.inputs }, (_, i) => `x${i + 1}`),
        ...Array.from({ length: k }, (_, i) => `y${i + 1}`),
      ].join(','),
    ];
    for (const x of allInputs(net)) {
      const y = fast.evaluate(x);
      lines.push([...x, ...y].map((c) => floatCodeText(c, f)).join(','));
    }
    const text = `${lines.join('\n')}\n`;
    if (out) writeOutputFile(out, text);
    else process.stdout.write(text);
    return;
  }
  const x = inputCodes(net, opts.input!, opts.roundInputs === true);
  const y = fast.evaluate(x);
  const text = y.map((c) => floatCodeText(c, f));
  if (opts.json) console.log(toJson({ x: x.map((c) => floatCodeText(c, f)), y: text, codes: y }));
  else console.log(text.join(','));
}

/** Equal as values: codes equal, or both NaN, or both zeros (−0 = 0; SIGNLESS_ZERO is a zero). */
function sameValue(a: number, b: number, net: FloatNetwork): boolean {
  const f = net.format;
  if (a === b) return true;
  if (b === SIGNLESS_ZERO) return classify(a, f) === 'zero';
  const ca = classify(a, f);
  const cb = classify(b, f);
  return (ca === 'nan' && cb === 'nan') || (ca === 'zero' && cb === 'zero');
}

interface FloatVerification {
  inputs: number;
  mismatches: number;
  examples: string[];
}

function exampleLine(x: readonly number[], got: number, want: number, f: FloatNetwork['format']): string {
  const target = want === SIGNLESS_ZERO ? '±0' : floatCodeText(want, f);
  return `  x = (${x.map((c) => floatCodeText(c, f)).join(', ')}): network ${floatCodeText(got, f)}, target ${target}`;
}

/** verify --table: a CSV covering every finite input once. */
function verifyFloatTable(net: FloatNetwork, path: string, show: number, force?: boolean): FloatVerification {
  const f = net.format;
  const text = readFileSync(path, 'utf8');
  const rows = text.split(/\r?\n/);
  const header = rows[0]?.trim().split(',') ?? [];
  const d = net.inputs;
  check(
    header.length === d + 1 && header.slice(0, d).every((h, i) => h.trim() === `x${i + 1}`),
    () => `${path}: line 1: expected the header x1,…,x${d},y`,
    'table',
  );
  const total = rowCount(net, force);
  const fast = compileFloatNetwork(net);
  const seen = new Set<string>();
  const examples: string[] = [];
  let mismatches = 0;
  rows.slice(1).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const where = `${path}: line ${i + 2}`;
    const cells = line.split(',');
    check(cells.length === d + 1, () => `${where}: expected ${d + 1} fields, got ${cells.length}`, 'table');
    let x: number[];
    let y: number;
    try {
      x = cells.slice(0, d).map((c, j) => exactFloatCode(c, f, `x${j + 1}`, true));
      y = exactFloatCode(cells[d], f, 'y');
    } catch (e) {
      if (e instanceof FxnnError) throw new FxnnError(`${where}: ${e.message}`, 'table');
      throw e;
    }
    const key = x.map((c) => (c === f.signBit ? 0 : c)).join(',');
    check(!seen.has(key), () => `${where}: duplicate input (${cells.slice(0, d).join(', ')})`, 'table');
    seen.add(key);
    const got = fast.evaluate(x)[0];
    if (!sameValue(got, y, net)) {
      mismatches++;
      if (examples.length < show) examples.push(exampleLine(x, got, y, f));
    }
  });
  check(
    seen.size === total,
    () => `${path}: ${total - seen.size} of the ${total} finite inputs are missing`,
    'table',
  );
  return { inputs: total, mismatches, examples };
}

/**
 * verify --fn: the expression at every finite input (−0 omitted, as eval --all), correctly rounded into
 * the network's format by its policy (src/float/float-target.ts), compared by value.
 */
function verifyFloatFn(net: FloatNetwork, text: string, show: number, force?: boolean): FloatVerification {
  const f = net.format;
  const target = floatTarget(text, net.inputs, f, net.policy, force ? { budgetMs: Infinity } : {});
  const total = rowCount(net, force);
  const fast = compileFloatNetwork(net);
  const examples: string[] = [];
  let mismatches = 0;
  let done = 0;
  const progress = startProgress('verify', total, 'inputs');
  try {
    for (const x of allInputs(net)) {
      const want = target.codeAt(x);
      const got = fast.evaluate(x)[0];
      if (!sameValue(got, want, net)) {
        mismatches++;
        if (examples.length < show) examples.push(exampleLine(x, got, want, f));
      }
      progress.update(++done);
    }
  } finally {
    progress.stop();
  }
  return { inputs: total, mismatches, examples };
}

export function floatVerify(
  net: FloatNetwork,
  opts: { table?: string; fn?: string; show: string; json?: boolean; force?: boolean },
): void {
  const show = Number(opts.show);
  const k = net.layers[net.layers.length - 1].neurons.length;
  check(k === 1, () => `verify: the network has ${k} outputs; a target function has one`, 'network');
  const {
    inputs: total,
    mismatches,
    examples,
  } = opts.fn !== undefined
    ? verifyFloatFn(net, opts.fn, show, opts.force)
    : verifyFloatTable(net, opts.table!, show, opts.force);
  if (opts.json) console.log(toJson({ inputs: total, mismatches, examples }));
  else if (mismatches === 0) console.log(`verified: the network equals the target on all ${total} inputs`);
  else
    console.log(
      `${mismatches} mismatch${mismatches === 1 ? '' : 'es'} out of ${total} inputs${examples.length > 0 ? `\nfirst ${examples.length}:\n${examples.join('\n')}` : ''}`,
    );
  if (mismatches > 0) throw new ExitStatus(1);
}

/** The C source of a float network (the caller writes it: standard output or a safe `--out` file). */
export function floatExportC(net: FloatNetwork, opts: { name: string }): string {
  return exportFloatC(net, { name: opts.name });
}

/** The facts `fxnn info` prints for a float network: the format's facts, the policy, sizes and layers. */
export function floatNetworkInfo(net: FloatNetwork) {
  const f = floatFormatFacts(net.format);
  const layers = net.layers.map((layer) => ({
    activation: layer.activation.key,
    neurons: layer.neurons.length,
    edges: layer.neurons.reduce((s, n) => s + n.edges.length, 0),
  }));
  const edges = layers.reduce((s, l) => s + l.edges, 0);
  const biases = layers.reduce((s, l) => s + l.neurons, 0);
  return {
    format: f,
    rounding: net.policy.rounding,
    overflow: net.policy.overflow,
    accumulation: net.accumulation,
    bias: net.bias,
    inputs: net.inputs,
    outputs: layers[layers.length - 1].neurons,
    depth: layers.length,
    width: Math.max(...layers.map((l) => l.neurons)),
    neurons: biases,
    edges,
    biases,
    parameters: edges + biases,
    layers,
  };
}

export function floatInfoText(net: FloatNetwork): string {
  const info = floatNetworkInfo(net);
  const f = info.format;
  const semantics =
    info.accumulation === 'exact'
      ? 'exact accumulation (b + Σ w·h rounded once)'
      : `sequential accumulation (⊗, ⊕ rounded each), bias ${info.bias}`;
  return [
    `format        ${f.spec} (${f.encoding}, ${f.bits} bits: ${f.expBits} exponent, ${f.manBits} mantissa, bias ${f.bias})`,
    `range         max ${f.max}, min normal ${f.minNormal}, min subnormal ${f.minSubnormal}; ${f.finiteValues} finite values`,
    `rounding      ${info.rounding}`,
    `overflow      ${info.overflow}`,
    `semantics     ${semantics}`,
    `inputs        ${info.inputs}`,
    `outputs       ${info.outputs}`,
    `layers        ${info.depth}`,
    `neurons       ${info.neurons}`,
    `parameters    ${info.parameters} (${info.edges} edges + ${info.biases} biases)`,
    `width         ${info.width}`,
    ...info.layers.map(
      (l, i) =>
        `  layers[${i}]   ${l.activation}: ${l.neurons} neuron${l.neurons === 1 ? '' : 's'}, ${l.edges} edge${l.edges === 1 ? '' : 's'}`,
    ),
  ].join('\n');
}
