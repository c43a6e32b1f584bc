/**
 * Bad input to `fxnn import`: each gets one line `error: …` naming the node, the tensor, the config
 * path or the type, and exit status 2 (no stack trace).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildModel, mlpModel, node, randomLayers, tensor } from './onnx-builder.js';
import { fxnn } from './run-cli.js';

let tmp = '';
const file = (name: string) => join(tmp, name);
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'fxnn-onnx-errors-'));
  writeFileSync(file('mlp.onnx'), mlpModel(randomLayers([2, 3, 1], 1, ['Relu', 'none']), { named: true }));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const W = tensor('W', [2, 2], [1, 2, 3, 4]);
const model = (name: string, nodes: ReturnType<typeof node>[], initializers = [W], extra = {}) => {
  writeFileSync(
    file(name),
    buildModel({ input: { name: 'x', dims: [1, 2] }, output: { name: 'y' }, nodes, initializers, ...extra }),
  );
  return file(name);
};

async function importError(path: string, ...args: string[]): Promise<string> {
  const run = await fxnn('import', path, ...args);
  expect(run.status).toBe(2);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines.length).toBe(1);
  expect(lines[0]).toMatch(/^error: /);
  return lines[0];
}

describe('graphs that are not MLPs fxnn imports', () => {
  it('a branch (a tensor read by two nodes)', async () => {
    const path = model('branch.onnx', [
      node('MatMul', ['x', 'W'], ['h'], {}, 'mm'),
      node('Relu', ['h'], ['a'], {}, 'r1'),
      node('Sigmoid', ['h'], ['b'], {}, 's1'),
      node('Add', ['a', 'b'], ['y'], {}, 'join'),
    ]);
    expect(await importError(path)).toBe(
      'error: not an MLP: tensor "h" feeds 2 nodes (node "r1" (Relu), node "s1" (Sigmoid)); fxnn imports a chain of layers',
    );
  });

  it('a Conv', async () => {
    const path = model('conv.onnx', [node('Conv', ['x', 'W'], ['y'], {}, 'conv1')]);
    expect(await importError(path)).toBe(
      'error: unsupported operator: node "conv1" (Conv) (fxnn imports MLPs: dense layers and elementwise activations)',
    );
  });

  it('an unsupported operator without a name', async () => {
    const path = model('softsign.onnx', [node('MatMul', ['x', 'W'], ['h']), node('Softsign', ['h'], ['y'])]);
    expect(await importError(path)).toBe('error: unsupported operator: node "Softsign_y" (Softsign)');
  });

  it('a missing initializer', async () => {
    const path = model('missing.onnx', [node('Gemm', ['x', 'W', 'bias'], ['y'], {}, 'fc')]);
    expect(await importError(path)).toBe(
      'error: node "fc" (Gemm): input 3 (C) "bias" is not a constant: no initializer or Constant node of that name',
    );
  });

  it('two data inputs', async () => {
    const path = model('two.onnx', [node('MatMul', ['x', 'W'], ['y'])], [W], {
      extraInputs: [{ name: 'z', dims: [1, 2] }],
    });
    expect(await importError(path)).toBe(
      'error: not an MLP: the graph has 2 data inputs (x, z); fxnn imports graphs with one',
    );
  });

  it('a Softmax before the end, an Add that is no bias, mismatched widths', async () => {
    const soft = model('softmax.onnx', [
      node('Softmax', ['x'], ['s'], {}, 'sm'),
      node('MatMul', ['s', 'W'], ['y']),
    ]);
    expect(await importError(soft)).toMatch(
      /node "sm" \(Softmax\): Softmax is only supported as the last node/,
    );
    const add = model('add.onnx', [
      node('Relu', ['x'], ['r'], {}, 'r'),
      node('Add', ['r', 'W'], ['y'], {}, 'a'),
    ]);
    expect(await importError(add)).toMatch(/node "a" \(Add\): Add is imported only as the bias/);
    const wide = model(
      'wide.onnx',
      [node('MatMul', ['x', 'V'], ['y'], {}, 'mm')],
      [tensor('V', [3, 1], [1, 2, 3])],
    );
    expect(await importError(wide)).toBe('error: node "mm" (MatMul): B expects 3 inputs, the data has 2');
  });

  it('a Quant with a scale that is no power of two', async () => {
    const path = model(
      'quant.onnx',
      [
        node('Quant', ['x', 's', 'z', 'b'], ['q'], {}, 'q1', 'qonnx.custom_op.general'),
        node('MatMul', ['q', 'W'], ['y']),
      ],
      [W, tensor('s', [], [0.3]), tensor('z', [], [0]), tensor('b', [], [8])],
    );
    expect(await importError(path)).toMatch(
      /node "q1" \(Quant\) scale: scale 0\.30000001192092896 is not a power of two/,
    );
  });

  it('not an ONNX file', async () => {
    writeFileSync(file('junk.onnx'), 'this is not protobuf \u00ff\u00fe');
    expect(await importError(file('junk.onnx'))).toMatch(/^error: .*junk\.onnx: not an ONNX model/);
    expect(await importError(file('absent.onnx'))).toMatch(
      /^error: model: cannot read .*absent\.onnx.*ENOENT/,
    );
  });
});

describe('bad precision configs', () => {
  const cfg = (name: string, text: string) => {
    writeFileSync(file(name), text);
    return file(name);
  };

  it('a config naming no layer of the graph', async () => {
    const c = cfg('nolayer.json', JSON.stringify({ LayerName: { fc9: { Precision: 'ap_fixed<8,3>' } } }));
    expect(await importError(file('mlp.onnx'), '--config', c)).toBe(
      `error: ${c}: LayerName "fc9" names no layer of the graph (layers: input, fc0, act0, fc1)`,
    );
  });

  it('type strings ap_fixed rejects', async () => {
    const c = cfg(
      'badmode.json',
      JSON.stringify({ LayerName: { fc0: { Precision: { weight: 'ap_fixed<8,3,AP_ROUND>' } } } }),
    );
    expect(await importError(file('mlp.onnx'), '--config', c)).toMatch(
      /^error: .*badmode\.json: LayerName\.fc0\.Precision\.weight: .*"AP_ROUND"/,
    );
    const w = cfg('badwidth.yml', 'Model:\n  Precision: ap_fixed<0,3>\n');
    expect(await importError(file('mlp.onnx'), '--config', w)).toMatch(
      /^error: .*badwidth\.yml: Model\.Precision: .*ap_fixed<0,3>/,
    );
    expect(await importError(file('mlp.onnx'), '--precision', 'ap_fixd<8,3>')).toMatch(
      /^error: --precision: unknown format "ap_fixd<8,3>"/,
    );
  });

  it('a weight type on an activation, an unknown Precision key, malformed YAML, not a config', async () => {
    const a = cfg(
      'act.json',
      JSON.stringify({ LayerName: { act0: { Precision: { weight: 'ap_fixed<8,3>' } } } }),
    );
    expect(await importError(file('mlp.onnx'), '--config', a)).toMatch(
      /LayerName\.act0\.Precision\.weight: layer "act0" has no weight type/,
    );
    const k = cfg(
      'key.json',
      JSON.stringify({ LayerName: { fc0: { Precision: { weights: 'ap_fixed<8,3>' } } } }),
    );
    expect(await importError(file('mlp.onnx'), '--config', k)).toMatch(
      /LayerName\.fc0\.Precision: unknown key "weights"/,
    );
    const y = cfg('bad.yaml', 'Model: [unclosed\n');
    expect(await importError(file('mlp.onnx'), '--config', y)).toMatch(
      /^error: --config .*bad\.yaml: malformed YAML/,
    );
    const n = cfg('other.json', '{"layers": []}');
    expect(await importError(file('mlp.onnx'), '--config', n)).toMatch(
      /no Model, LayerName or LayerType section/,
    );
  });
});

describe('missing files', () => {
  it('a missing model, config or inputs file is one line naming the parameter and the path', async () => {
    const model = await fxnn('import', file('nope.onnx'), '--out', file('o.json'));
    expect(model).toEqual({
      status: 2,
      stdout: '',
      stderr: `error: model: cannot read ${JSON.stringify(file('nope.onnx'))} (ENOENT: no such file)\n`,
    });
    const config = await fxnn(
      'import',
      file('mlp.onnx'),
      '--config',
      file('nope.yml'),
      '--out',
      file('o.json'),
    );
    expect(config.status).toBe(2);
    expect(config.stderr).toBe(
      `error: --config: cannot read ${JSON.stringify(file('nope.yml'))} (ENOENT: no such file)\n`,
    );
    const dir = await fxnn('import', file('mlp.onnx'), '--config', tmp, '--out', file('o.json'));
    expect(dir.stderr).toBe(
      `error: --config: cannot read ${JSON.stringify(tmp)} (EISDIR: it is a directory)\n`,
    );
  });
});
