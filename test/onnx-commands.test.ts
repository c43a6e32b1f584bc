/**
 * `compare`, `profile` and `check <net.json>` on models built here: compare's errors and overflow
 * events against values worked out by hand, profile's ranges against hand computation and its
 * integer bits against their definition (fast-check), the config it writes overflowing nowhere on
 * the data, the box ranges holding every data range; check's verdicts; CSV errors.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Rational, ratio } from '../src/core/rational.js';
import { parseTypedNetworkJson } from '../src/network/typed-network-json.js';
import { evaluateTypedReference } from '../src/network/typed-reference.js';
import { boxOverflows } from '../src/onnx/box-overflow.js';
import { importChain } from '../src/onnx/import-network.js';
import { decodeOnnxModel } from '../src/onnx/onnx-proto.js';
import { intBitsFor, profileModel } from '../src/onnx/profile-model.js';
import { parseInputsCsv } from '../src/onnx/read-inputs-csv.js';
import { readMlpChain } from '../src/onnx/read-mlp-chain.js';
import { mulberry32 } from '../src/prng.js';
import { buildModel, mlpModel, node, randomFloats, randomLayers, tensor } from './onnx-builder.js';
import { fxnn } from './run-cli.js';

let tmp = '';
const file = (name: string) => join(tmp, name);
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'fxnn-onnx-commands-'));
  // y = relu(4·x1 − x2 + 0.5), then ·0.5: every value a short dyadic
  writeFileSync(
    file('small.onnx'),
    buildModel({
      input: { name: 'x', dims: [1, 2] },
      output: { name: 'y' },
      nodes: [
        node('Gemm', ['x', 'W', 'b'], ['h'], {}, 'fc'),
        node('Relu', ['h'], ['r'], {}, 'relu'),
        node('MatMul', ['r', 'V'], ['y'], {}, 'out'),
      ],
      initializers: [tensor('W', [2, 1], [4, -1]), tensor('b', [1], [0.5]), tensor('V', [1, 1], [0.5])],
    }),
  );
  writeFileSync(file('X.csv'), 'x1,x2\n1,1\n3,-1\n-1,2\n');
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('compare', () => {
  it('wide types: the fixed-point network equals the float model', async () => {
    expect(
      (await fxnn('import', file('small.onnx'), '--precision', 'ap_fixed<16,8>', '--out', file('wide.json')))
        .status,
    ).toBe(0);
    const run = await fxnn(
      'compare',
      file('small.onnx'),
      file('wide.json'),
      '--inputs',
      file('X.csv'),
      '--json',
    );
    expect(run.status).toBe(0);
    const r = JSON.parse(run.stdout);
    expect(r.rows).toBe(3);
    expect(r.outputs).toEqual([{ maxAbs: 0, meanAbs: 0, maxLine: 0 }]);
    expect(r.argmaxAgree).toBeNull();
    expect(r.overflows.map((o: { events: number }) => o.events)).toEqual([0, 0, 0, 0]);
  });

  it('overflow events: the product 4·3 wraps in ap_fixed<6,4> (range [−8, 7.75]) on line 3 only', async () => {
    await fxnn('import', file('small.onnx'), '--precision', 'ap_fixed<6,4>', '--out', file('narrow.json'));
    const run = await fxnn(
      'compare',
      file('small.onnx'),
      file('narrow.json'),
      '--inputs',
      file('X.csv'),
      '--json',
    );
    const r = JSON.parse(run.stdout);
    // line 3: 4·3 = 12 wraps to −4; −4 + 1 = −3 (the −1·−1 product), + 0.5 first: acc = 0.5 ⊕ −4 = −3.5, ⊕ 1 = −2.5, relu 0
    const fc = r.overflows.find((o: { name: string }) => o.name === 'fc');
    expect(fc.events).toBe(1);
    expect(fc.rows).toBe(1);
    expect(fc.first.line).toBe(3);
    expect(fc.first.event.cast).toBe('product');
    expect(fc.first.event.value).toBe('12');
    // float: relu(12 + 1 + 0.5)·0.5 = 6.75; fixed: 0
    expect(r.outputs[0].maxAbs).toBe(6.75);
    expect(r.outputs[0].maxLine).toBe(3);
    const text = await fxnn('compare', file('small.onnx'), file('narrow.json'), '--inputs', file('X.csv'));
    expect(text.stdout).toMatch(
      /fc {13}1 event in 1 input; first at line 3: neuron 0, product of edge 0, 12 into /,
    );
  });

  it('a CSV row with the wrong number of columns', async () => {
    writeFileSync(file('bad.csv'), 'x1,x2\n1,2\n3\n');
    const run = await fxnn('compare', file('small.onnx'), file('wide.json'), '--inputs', file('bad.csv'));
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`error: ${file('bad.csv')} line 3: 1 column, the network has 2 inputs\n`);
    expect(() => parseInputsCsv('1,x\n', 2, 'X')).toThrow('X line 1 x2: "x" is not a number');
  });
});

describe('profile', () => {
  const r = (p: number, q = 1) => ratio(BigInt(p), BigInt(q));
  it('ranges worked out by hand, data and box', () => {
    const chain = readMlpChain(decodeOnnxModel(readFileSync(file('small.onnx'))));
    const rows = parseInputsCsv(readFileSync(file('X.csv'), 'utf8'), 2, 'X');
    const p = profileModel(chain, rows, { width: 8 });
    const [fc, relu, out] = p.layers;
    expect(p.input.data).toEqual([r(-1), r(3)]);
    // products 4·x1 ∈ {4, 12, −4}, −x2 ∈ {−1, 1, −2}; partial sums 0.5, then 4.5, 12.5, −3.5, then 3.5, 13.5, −5.5
    expect(fc.data.product).toEqual([r(-4), r(12)]);
    expect(fc.data.accum).toEqual([r(-11, 2), r(27, 2)]);
    expect(fc.data.result).toEqual([r(-11, 2), r(27, 2)]);
    expect(relu.data.result).toEqual([r(0), r(27, 2)]);
    expect(out.data.result).toEqual([r(0), r(27, 4)]);
    // box x1 ∈ [−1, 3], x2 ∈ [−1, 2]: 4·x1 ∈ [−4, 12], −x2 ∈ [−2, 1]; sums [−3.5, 12.5], [−5.5, 13.5]
    expect(fc.box.accum).toEqual([r(-11, 2), r(27, 2)]);
    expect(fc.box.product).toEqual([r(-4), r(12)]);
    // ap_fixed<8,I> holds [−5.5, 13.5] from I = 5 (max 15.875); the input [−1, 3] from I = 3
    expect(p.config.LayerName.fc.Precision.accum).toBe('ap_fixed<8,5>');
    expect(p.config.LayerName.input.Precision.result).toBe('ap_fixed<8,3>');
    expect(p.overflows).toBe(0);
  });

  it('intBitsFor is the fewest integer bits whose range holds [lo, hi]', () => {
    const holds = (i: number, w: number, lo: Rational, hi: Rational) => {
      const min = i - 1 >= 0 ? ratio(-(1n << BigInt(i - 1)), 1n) : ratio(-1n, 1n << BigInt(1 - i));
      const e = i - w;
      const units = (1n << BigInt(w - 1)) - 1n;
      const max = e >= 0 ? ratio(units << BigInt(e), 1n) : ratio(units, 1n << BigInt(-e));
      return lo.num * min.den >= min.num * lo.den && hi.num * max.den <= max.num * hi.den;
    };
    fc.assert(
      fc.property(
        fc.integer({ min: -5000, max: 5000 }),
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 2, max: 20 }),
        (a, span, s, w) => {
          const lo = ratio(BigInt(a), 1n << BigInt(s));
          const hi = ratio(BigInt(a + span), 1n << BigInt(s));
          const i = intBitsFor([lo, hi], w);
          if (a === 0 && span === 0) {
            expect(i).toBe(1);
            return;
          }
          expect(holds(i, w, lo, hi)).toBe(true);
          expect(holds(i - 1, w, lo, hi)).toBe(false);
        },
      ),
      { numRuns: 300, examples: [[0, 0, 3, 8]] },
    );
  });

  it('random MLPs: the box holds every data range, and the written config overflows nowhere on the data', async () => {
    const layers = randomLayers([3, 5, 4, 2], 23, ['Relu', 'Tanh', 'none']);
    writeFileSync(file('rand.onnx'), mlpModel(layers, { named: true }));
    const csv = [
      'x1,x2,x3',
      ...Array.from({ length: 60 }, (_, k) => randomFloats(3, 900 + k, 2).join(',')),
    ].join('\n');
    writeFileSync(file('R.csv'), csv);
    const chain = readMlpChain(decodeOnnxModel(readFileSync(file('rand.onnx'))));
    const p = profileModel(chain, parseInputsCsv(csv, 3, 'R'), { width: 12 });
    const le = (a: Rational, b: Rational) => a.num * b.den <= b.num * a.den;
    for (const l of p.layers) {
      for (const k of ['product', 'accum', 'result'] as const) {
        const d = l.data[k];
        const b = l.box[k];
        if (!d) continue;
        expect(b).not.toBeNull();
        expect(le(b![0], d[0]) && le(d[1], b![1])).toBe(true);
      }
    }
    const run = await fxnn(
      'profile',
      file('rand.onnx'),
      '--inputs',
      file('R.csv'),
      '--bits',
      '12',
      '--out',
      file('cfg.json'),
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      /checked: the imported network with this config overflows on none of the inputs/,
    );
    await fxnn('import', file('rand.onnx'), '--config', file('cfg.json'), '--out', file('rand.json'));
    const cmp = JSON.parse(
      (await fxnn('compare', file('rand.onnx'), file('rand.json'), '--inputs', file('R.csv'), '--json'))
        .stdout,
    );
    expect(cmp.overflows.reduce((s: number, o: { events: number }) => s + o.events, 0)).toBe(0);
  });
});

describe('check on a network', () => {
  it('one verdict per layer configuration; large formats are not run', async () => {
    await fxnn(
      'import',
      file('small.onnx'),
      '--precision',
      'ap_fixed<6,3,AP_RND_CONV,AP_SAT>',
      '--out',
      file('q.json'),
    );
    const run = await fxnn('check', file('q.json'), '--json');
    expect(run.status).toBe(0);
    const v = JSON.parse(run.stdout);
    expect(v.map((x: { layers: string[] }) => x.layers)).toEqual([['fc', 'relu'], ['out']]);
    const direct = JSON.parse(
      (await fxnn('check', '--activation', 'relu', '--format', 'Q2.3', '--bias', 'first', '--json')).stdout,
    );
    expect(v[0].verdict).toBe(direct.verdict);
    const big = await fxnn('check', '--network', file('wide.json'), '--max-bits', '8');
    expect(big.stdout).toMatch(/fc \+ relu: relu on .*: not decided: 16 bits > --max-bits 8/);
  });

  it('refused overflow modes: a "not decided" line; an 18-bit layer decided analytically; exit 0', async () => {
    writeFileSync(
      file('mixed.json'),
      JSON.stringify({
        Model: { Precision: 'ap_fixed<6,3>' },
        LayerName: {
          relu: { Precision: { result: 'ap_fixed<6,3,AP_RND,AP_SAT_SYM>' } },
          out: { Precision: 'ap_fixed<18,8>' },
        },
      }),
    );
    const imp = await fxnn(
      'import',
      file('small.onnx'),
      '--config',
      file('mixed.json'),
      '--out',
      file('mixed-net.json'),
    );
    expect(imp.status).toBe(0);
    const run = await fxnn('check', file('mixed-net.json'));
    expect(run.status).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe(
      "fc + relu: relu on Q2.3 nearest-up saturate-symmetric: not decided: the expressivity engine takes saturate, wrap or error overflow; this layer's is saturate-symmetric",
    );
    // above 16 bits the analytic path of docs/theory.md §9.5 decides (identity on 18 bits under wrap)
    expect(lines[1]).toBe('out: identity on Q7.10 floor wrap: universal');
    expect(lines[2]).toMatch(/^ {2}DIST holds by Lemma W \(wrap\).*family certificate/);
  });

  it('a layer above 32 bits: a "not decided" line naming its width, exit 0', async () => {
    const imp = await fxnn(
      'import',
      file('small.onnx'),
      '--precision',
      'ap_fixed<40,8,AP_RND,AP_SAT>',
      '--out',
      file('wide40.json'),
    );
    expect(imp.status).toBe(0);
    const run = await fxnn('check', file('wide40.json'));
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(
      'not decided: above 32 bits (40): no verdict is proved there (docs/theory.md §9.5)',
    );
  });

  it('--budget reaches decide(): a tiny one stops it with an undetermined that says so', async () => {
    await fxnn(
      'import',
      file('small.onnx'),
      '--precision',
      'ap_fixed<10,4,AP_RND,AP_SAT>',
      '--out',
      file('q104.json'),
    );
    const full = JSON.parse((await fxnn('check', file('q104.json'), '--json')).stdout);
    // the same verdicts as check on each layer's own (format, σ, modes); 1024 values: chain certificates
    const direct = async (activation: string) =>
      JSON.parse(
        (
          await fxnn(
            'check',
            '--activation',
            activation,
            '--format',
            'Q3.6',
            '--rounding',
            'nearest-up',
            '--overflow',
            'saturate',
            '--bias',
            'first',
            '--json',
          )
        ).stdout,
      );
    expect(full.map((r: { verdict: string }) => r.verdict)).toEqual([
      (await direct('relu')).verdict,
      (await direct('identity')).verdict,
    ]);
    expect(full.every((r: { budgetStopped: boolean }) => !r.budgetStopped)).toBe(true);
    const tiny = await fxnn('check', file('q104.json'), '--budget', '0.000001');
    expect(tiny.status).toBe(0);
    expect(tiny.stdout).toMatch(
      /fc \+ relu: relu on Q3\.6 nearest-up saturate: undetermined \(its budget ran out, which proves nothing either way; --budget k gives k times the time and work\)\n {2}stopped: .*work budget 4e\+3 steps/,
    );
    const bad = await fxnn('check', file('q104.json'), '--budget', '0');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^error: --budget: expected a number in \(0, 1000\], got "0"/);
  });

  it("check --format ap_fixed<W,I> keeps the type's own modes (AP_TRN, AP_WRAP), as the network check does", async () => {
    const json = async (...args: string[]) =>
      JSON.parse((await fxnn('check', '--activation', 'identity', ...args, '--json')).stdout);
    const ap = await json('--format', 'ap_fixed<3,2>');
    expect(ap).toEqual(await json('--format', 'Q1.1', '--rounding', 'floor', '--overflow', 'wrap'));
    expect(ap).not.toEqual(await json('--format', 'Q1.1'));
    expect(
      await json('--format', 'ap_fixed<3,2>', '--rounding', 'nearest-even', '--overflow', 'saturate'),
    ).toEqual(await json('--format', 'Q1.1'));
  });
});

describe('QONNX end to end and the documented example', () => {
  it('a QONNX MLP whose types hold every value: the fixed-point network equals the float model exactly', async () => {
    const q = (name: string, x: string, y: string) =>
      node(
        'Quant',
        [x, `${name}_s`, 'zero', `${name}_b`],
        [y],
        { narrow: { int: 0 }, rounding_mode: 'ROUND' },
        name,
        'qonnx.custom_op.general',
      );
    const inits = [
      tensor('zero', [], [0]),
      tensor('qi_s', [], [0.125]),
      tensor('qi_b', [], [6]),
      tensor('qw_s', [], [0.25]),
      tensor('qw_b', [], [4]),
      tensor('qa_s', [], [0.5]),
      tensor('qa_b', [], [5]),
      tensor('W', [3, 2], randomFloats(6, 77, 1.9)),
      tensor('b', [2], [0.25, -0.5]),
    ];
    writeFileSync(
      file('qonnx.onnx'),
      buildModel({
        input: { name: 'x', dims: [1, 3] },
        output: { name: 'y' },
        nodes: [
          q('qi', 'x', 'xq'),
          q('qw', 'W', 'Wq'),
          node('Gemm', ['xq', 'Wq', 'b'], ['h'], {}, 'fc'),
          node('Relu', ['h'], ['r'], {}, 'relu'),
          q('qa', 'r', 'y'),
        ],
        initializers: inits,
      }),
    );
    // accum and result wide enough for every exact sum: the quantizers alone round
    writeFileSync(file('q.yml'), 'Model:\n  Precision: ap_fixed<24,10>\n');
    expect(
      (await fxnn('import', file('qonnx.onnx'), '--config', file('q.yml'), '--out', file('qonnx.json')))
        .status,
    ).toBe(0);
    const csv = [
      'x1,x2,x3',
      ...Array.from({ length: 50 }, (_, k) => randomFloats(3, 300 + k, 4).join(',')),
    ].join('\n');
    writeFileSync(file('Q.csv'), csv);
    const r = JSON.parse(
      (await fxnn('compare', file('qonnx.onnx'), file('qonnx.json'), '--inputs', file('Q.csv'), '--json'))
        .stdout,
    );
    expect(r.outputs[0].maxAbs).toBe(0);
    expect(r.outputs[1].maxAbs).toBe(0);
  });

  it('examples/mlp: import with hls4ml.yml and eval give the rows docs/import.md shows', async () => {
    const dir = join(import.meta.dirname, '..', 'examples', 'mlp');
    const run = await fxnn(
      'import',
      join(dir, 'model.onnx'),
      '--config',
      join(dir, 'hls4ml.yml'),
      '--out',
      file('ex.json'),
    );
    expect(run.stderr).toBe(
      'note: node "/softmax/Softmax" (Softmax) dropped: fxnn outputs the logits (Softmax keeps their argmax)\n',
    );
    const ev = await fxnn(
      'eval',
      file('ex.json'),
      '--input',
      '1.4457,2.3243,-0.4502,-1.0926',
      '--round-inputs',
    );
    expect(ev.stdout.trim().split(/\s+/).join(',')).toBe('6.1953125,1.8515625,-4.1875');
  });
});

describe('boxOverflows', () => {
  it('no event ⇔ no input of the box overflows (one layer); no event ⇒ none (deeper), by enumeration', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.boolean(),
        fc.integer({ min: 2, max: 4 }),
        (seed, deep, intBits) => {
          const layers = randomLayers(deep ? [2, 3, 2] : [2, 3], seed, deep ? ['Relu', 'none'] : ['Relu']);
          const chain = readMlpChain(decodeOnnxModel(mlpModel(layers)));
          const json = importChain(chain, { precision: `ap_fixed<6,${intBits}>` }).json;
          const net = parseTypedNetworkJson(json);
          const next = mulberry32(seed);
          const lo = [0, 1].map(() => BigInt(Math.floor(next() * 40) - 32));
          const hi = lo.map((l) => l + BigInt(Math.floor(next() * 12)));
          const events = boxOverflows(net, lo, hi);
          let any = false;
          for (let a = lo[0]; a <= hi[0]; a++) {
            for (let b = lo[1]; b <= hi[1]; b++) {
              evaluateTypedReference(net, [a, b], { onOverflow: () => (any = true) });
            }
          }
          if (!deep) expect(events.length > 0).toBe(any);
          else if (events.length === 0) expect(any).toBe(false);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('Trunc and BipolarQuant on the data path', () => {
  it('the fixed-point network equals the QONNX float model exactly', async () => {
    const d = 'qonnx.custom_op.general';
    writeFileSync(
      file('trunc.onnx'),
      buildModel({
        input: { name: 'x', dims: [1, 2] },
        output: { name: 'y' },
        nodes: [
          node('Quant', ['x', 's8', 'zero', 'b8'], ['xq'], {}, 'qin', d),
          node('MatMul', ['xq', 'W'], ['m'], {}, 'mm'),
          // Trunc v2: input grid 2^-6, output grid 2^-2, 5 bits, FLOOR
          node('Trunc', ['m', 's6', 'zero', 'b12', 'so', 'b5'], ['t'], { rounding_mode: 'FLOOR' }, 'tr', d),
          node('BipolarQuant', ['t', 'one'], ['bq'], {}, 'bip', d),
          node('MatMul', ['bq', 'V'], ['y'], {}, 'out'),
        ],
        initializers: [
          tensor('zero', [], [0]),
          tensor('s8', [], [0.125]),
          tensor('b8', [], [8]),
          tensor('W', [2, 3], [0.5, -0.75, 0.25, 1.25, 0.125, -0.5]),
          tensor('s6', [], [2 ** -6]),
          tensor('b12', [], [12]),
          tensor('so', [], [0.25]),
          tensor('b5', [], [5]),
          tensor('one', [], [1]),
          tensor('V', [3, 1], [0.5, 0.25, -1]),
        ],
      }),
    );
    expect(
      (
        await fxnn(
          'import',
          file('trunc.onnx'),
          '--precision',
          'ap_fixed<24,10>',
          '--out',
          file('trunc.json'),
        )
      ).status,
    ).toBe(0);
    const csv = [
      'x1,x2',
      ...Array.from({ length: 80 }, (_, k) => randomFloats(2, 500 + k, 6).join(',')),
    ].join('\n');
    writeFileSync(file('T.csv'), csv);
    const r = JSON.parse(
      (await fxnn('compare', file('trunc.onnx'), file('trunc.json'), '--inputs', file('T.csv'), '--json'))
        .stdout,
    );
    expect(r.outputs[0].maxAbs).toBe(0);
    const net = JSON.parse(readFileSync(file('trunc.json'), 'utf8'));
    expect(net.layers.map((l: { name: string }) => l.name)).toEqual([
      'qin',
      'mm',
      'tr_input',
      'tr',
      'bip',
      'out',
    ]);
  });
});
