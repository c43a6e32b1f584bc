/** Network JSON v1: loading, validation with path-naming errors, exact saving (load → save → load). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FxnnError } from '../src/errors.js';
import { parseFormat } from '../src/format.js';
import { makeNetwork, type Network, validateNetwork } from '../src/network/network.js';
import { networkToJson, networkToJsonText, parseNetworkJson } from '../src/network/network-json.js';
import { networkSize } from '../src/network/size.js';
import { networkArb, smallFormatArb } from './network-arbitrary.js';

/** The example of THEORY §4, verbatim. */
const THEORY_EXAMPLE = `{ "fxnn": 1, "format": "Q3.4", "rounding": "nearest-even", "overflow": "saturate",
  "accumulation": "sequential", "bias": "last", "weights": "all", "inputs": 2,
  "layers": [
    { "activation": "relu", "neurons": [ { "bias": "0.5", "edges": [[0, "1"], [1, "-0.25"]] } ] },
    { "activation": "identity", "neurons": [ { "bias": "0", "edges": [[0, "1.5"]] } ] } ] }`;

/** A minimal valid network object to break one field at a time. */
function base(): Record<string, unknown> {
  return {
    fxnn: 1,
    format: 'Q3.4',
    inputs: 2,
    layers: [
      {
        activation: 'relu',
        neurons: [
          {
            bias: '0.5',
            edges: [
              [0, '1'],
              [1, '-0.25'],
            ],
          },
        ],
      },
      { activation: 'identity', neurons: [{ bias: '0', edges: [[0, '1.5']] }] },
    ],
  };
}

function errorOf(input: unknown): string {
  try {
    parseNetworkJson(input);
  } catch (e) {
    expect(e).toBeInstanceOf(FxnnError);
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

/** Everything a network is made of, as plain data (activations by key). */
function shape(net: Network) {
  return {
    format: net.format.spec,
    policy: net.policy,
    accumulation: net.accumulation,
    bias: net.bias,
    weights: net.weights,
    inputs: net.inputs,
    layers: net.layers.map((l) => ({ activation: l.activation.key, neurons: l.neurons })),
  };
}

describe('loading network JSON v1', () => {
  it('reads the example of THEORY §4 into codes', () => {
    const net = parseNetworkJson(THEORY_EXAMPLE);
    expect(net.format).toBe(parseFormat('Q3.4'));
    expect(net.policy).toEqual({ rounding: 'nearest-even', overflow: 'saturate' });
    expect([net.accumulation, net.bias, net.weights, net.inputs]).toEqual(['sequential', 'last', 'all', 2]);
    expect(net.layers.map((l) => l.activation.name)).toEqual(['relu', 'identity']);
    // 0.5 = 8/16, 1 = 16/16, -0.25 = -4/16, 1.5 = 24/16
    expect(net.layers[0].neurons[0]).toEqual({
      bias: 8n,
      edges: [
        [0, 16n],
        [1, -4n],
      ],
    });
    expect(net.layers[1].neurons[0]).toEqual({ bias: 0n, edges: [[0, 24n]] });
  });

  it('fills omitted modes with the defaults and accepts JSON numbers, fractions and parameters', () => {
    const net = parseNetworkJson({
      fxnn: 1,
      format: 'ap_fixed<8,4>',
      inputs: 1,
      layers: [
        { activation: { name: 'leaky-relu', alpha: '0.02' }, neurons: [{ bias: -0.5, edges: [[0, '3/4']] }] },
      ],
    });
    expect(net.format.spec).toBe('Q3.4');
    expect([net.policy.rounding, net.policy.overflow, net.accumulation, net.bias, net.weights]).toEqual([
      'nearest-even',
      'saturate',
      'sequential',
      'last',
      'all',
    ]);
    expect(net.layers[0].neurons[0]).toEqual({ bias: -8n, edges: [[0, 12n]] });
    expect(net.layers[0].activation.json).toEqual({ name: 'leaky-relu', alpha: '0.02' });
  });

  it('counts parameters (edges + biases), neurons, depth and width', () => {
    expect(networkSize(parseNetworkJson(THEORY_EXAMPLE))).toEqual({
      parameters: 5,
      edges: 3,
      biases: 2,
      neurons: 2,
      depth: 2,
      width: 1,
      inputs: 2,
      outputs: 1,
    });
  });
});

describe('saving is exact', () => {
  it('load → save → load is the identity on the THEORY example, and saving writes every field', () => {
    const net = parseNetworkJson(THEORY_EXAMPLE);
    const saved = networkToJson(net);
    expect(saved).toEqual(JSON.parse(THEORY_EXAMPLE));
    expect(shape(parseNetworkJson(saved))).toEqual(shape(net));
    expect(shape(parseNetworkJson(networkToJsonText(net)))).toEqual(shape(net));
  });

  it('load → save → load is the identity on random networks of every format kind and mode', () => {
    const arb = smallFormatArb(256).chain((f) =>
      networkArb(f, { inputs: 3, maxLayers: 3, maxWidth: 4, maxEdges: 5 }),
    );
    fc.assert(
      fc.property(arb, (net) => {
        const text = JSON.stringify(networkToJson(net));
        const again = parseNetworkJson(text);
        expect(shape(again)).toEqual(shape(net));
        expect(JSON.stringify(networkToJson(again))).toBe(text);
        expect(shape(parseNetworkJson(networkToJsonText(net)))).toEqual(shape(net));
      }),
      { numRuns: 200 },
    );
  });

  it('writes values as exact decimals, also for 64-bit formats', () => {
    const f = parseFormat('Q31.32');
    const net = makeNetwork({
      format: f,
      inputs: 1,
      layers: [{ activation: 'identity', neurons: [{ bias: f.minCode, edges: [[0, f.maxCode]] }] }],
    });
    const json = networkToJson(net);
    expect(json.layers[0].neurons[0]).toEqual({
      bias: '-2147483648',
      edges: [[0, '2147483647.99999999976716935634613037109375']],
    });
    expect(shape(parseNetworkJson(json))).toEqual(shape(net));
  });
});

describe('bad network JSON: one-line errors naming the path', () => {
  const cases: Array<[string, unknown, string]> = [
    ['malformed JSON', '{ "fxnn": 1, ', 'network JSON is malformed: '],
    ['not an object', '[1, 2]', 'network JSON: expected an object, got an array'],
    [
      'missing version',
      { ...base(), fxnn: undefined },
      'fxnn: missing field (the version of the network JSON; this fxnn reads version 1)',
    ],
    ['unknown version', { ...base(), fxnn: 2 }, 'fxnn: unknown version 2 (this fxnn reads version 1)'],
    [
      'unknown version string',
      { ...base(), fxnn: '1' },
      'fxnn: unknown version "1" (this fxnn reads version 1)',
    ],
    ['unknown field', { ...base(), comment: 'hi' }, 'unknown field "comment"'],
    ['missing format', { ...base(), format: undefined }, 'format: missing field'],
    ['bad format', { ...base(), format: 'Q3.x' }, 'format: unknown format "Q3.x"'],
    [
      'unknown rounding',
      { ...base(), rounding: 'round' },
      'rounding: string "round" is not one of "nearest-even"',
    ],
    [
      'unknown accumulation',
      { ...base(), accumulation: 'wide' },
      'accumulation: string "wide" is not one of "sequential", "exact"',
    ],
    [
      'wrap on SQ',
      { ...base(), format: 'SQ3.4', overflow: 'wrap' },
      'overflow "wrap" is not defined for the symmetric format SQ3.4',
    ],
    ['zero inputs', { ...base(), inputs: 0 }, 'inputs: a network needs at least one input'],
    ['fractional inputs', { ...base(), inputs: 1.5 }, 'inputs: the number of inputs must be a whole number'],
    ['no layers', { ...base(), layers: [] }, 'layers: a network needs at least one layer'],
  ];
  for (const [what, input, message] of cases) {
    it(what, () => {
      const data = typeof input === 'string' ? input : JSON.parse(JSON.stringify(input));
      expect(errorOf(data)).toContain(message);
    });
  }

  /** Loosely typed JSON layers, to break one field at a time. */
  type JsonNeuron = { bias?: unknown; weight?: unknown; edges: unknown[][] };
  type JsonLayers = Array<{ activation?: unknown; neurons: JsonNeuron[] }>;

  function withLayers(mutate: (layers: JsonLayers) => void, extra: Record<string, unknown> = {}) {
    const net = { ...base(), ...extra } as { layers: JsonLayers };
    mutate(net.layers);
    return net;
  }

  it('a value that is not a value of the format, with its two nearest values', () => {
    expect(errorOf(withLayers((l) => (l[0].neurons[0].edges[1][1] = '0.3')))).toBe(
      'layers[0].neurons[0].edges[1][1]: "0.3" is not a value of Q3.4 (nearest are 0.25 and 0.3125)',
    );
    expect(errorOf(withLayers((l) => (l[1].neurons[0].bias = '9')))).toBe(
      'layers[1].neurons[0].bias: "9" is outside Q3.4 [-8, 7.9375]',
    );
    expect(errorOf(withLayers((l) => (l[1].neurons[0].bias = 0.1)))).toMatch(
      /^layers\[1\]\.neurons\[0\]\.bias: 0\.1 is not a value of Q3\.4/,
    );
    expect(errorOf(withLayers((l) => (l[1].neurons[0].bias = 'abc')))).toMatch(
      /^layers\[1\]\.neurons\[0\]\.bias: "abc" is not a number/,
    );
  });

  it('an edge source out of range names the layer size', () => {
    expect(errorOf(withLayers((l) => (l[0].neurons[0].edges[0][0] = 2)))).toBe(
      'layers[0].neurons[0].edges[0][0]: source 2 is out of range (the network has 2 inputs; sources are 0 … 1)',
    );
    expect(errorOf(withLayers((l) => (l[1].neurons[0].edges[0][0] = 1)))).toBe(
      'layers[1].neurons[0].edges[0][0]: source 1 is out of range (layers[0] has 1 neurons; sources are 0 … 0)',
    );
    expect(errorOf(withLayers((l) => (l[1].neurons[0].edges[0][0] = -1)))).toContain(
      'layers[1].neurons[0].edges[0][0]:',
    );
    expect(errorOf(withLayers((l) => (l[1].neurons[0].edges[0][0] = 0.5)))).toBe(
      'layers[1].neurons[0].edges[0][0]: a source index must be a whole number',
    );
  });

  it('malformed layers, neurons and edges', () => {
    expect(errorOf(withLayers((l) => delete l[0].neurons[0].bias))).toBe(
      'layers[0].neurons[0].bias: missing field',
    );
    expect(errorOf(withLayers((l) => ((l[0].neurons[0] as Record<string, unknown>).edges = 'none')))).toBe(
      'layers[0].neurons[0].edges: expected an array of edges, got string "none"',
    );
    expect(errorOf(withLayers((l) => (l[0].neurons[0].edges[0] = [0])))).toBe(
      'layers[0].neurons[0].edges[0]: an edge is a pair [source, weight]',
    );
    expect(errorOf(withLayers((l) => (l[0].neurons[0].edges[0] = [0, '1', 2])))).toBe(
      'layers[0].neurons[0].edges[0]: an edge is a pair [source, weight]',
    );
    expect(errorOf(withLayers((l) => (l[0].neurons[0].edges[0][1] = true)))).toBe(
      'layers[0].neurons[0].edges[0][1]: expected a decimal string or a number, got boolean true',
    );
    expect(errorOf(withLayers((l) => (l[0].neurons = [])))).toBe(
      'layers[0].neurons: a layer needs at least one neuron',
    );
    expect(errorOf(withLayers((l) => (l[0].neurons[0].weight = 1)))).toBe(
      'layers[0].neurons[0]: unknown field "weight"',
    );
    expect(errorOf(withLayers((l) => delete l[1].activation))).toBe('layers[1].activation: missing field');
  });

  it('an unknown activation or a bad activation parameter names the layer', () => {
    expect(errorOf(withLayers((l) => (l[0].activation = 'rectifier')))).toMatch(
      /^layers\[0\]\.activation: unknown activation "rectifier"/,
    );
    expect(errorOf(withLayers((l) => (l[0].activation = { name: 'leaky-relu', beta: '1' })))).toMatch(
      /^layers\[0\]\.activation: activation leaky-relu: unknown parameter "beta"/,
    );
    expect(errorOf(withLayers((l) => (l[0].activation = 3)))).toBe(
      'layers[0].activation: expected an activation name or an object { "name": …, parameters }, got number 3',
    );
  });

  it('the declared binary weight set is checked, and needs 1 in the format', () => {
    expect(errorOf(withLayers(() => {}, { weights: 'binary' }))).toBe(
      'layers[0].neurons[0].edges[1][1]: -0.25 is not a binary weight (weights are "binary": -1 or 1)',
    );
    const binary = withLayers(
      (l) => {
        l[0].neurons[0].edges = [
          [0, '1'],
          [1, '-1'],
        ];
        l[1].neurons[0].edges = [[0, -1]];
      },
      { weights: 'binary' },
    );
    expect(parseNetworkJson(binary).weights).toBe('binary');
    expect(errorOf({ ...binary, format: 'Q0.4' })).toContain(
      'weights: "binary" needs 1 to be a value of the format',
    );
  });
});

describe('makeNetwork / validateNetwork (the programmatic form)', () => {
  it('rejects codes outside the format and bad sources, naming the path', () => {
    const layer = (bias: bigint, source: number, w: bigint) => [
      { activation: 'identity', neurons: [{ bias, edges: [[source, w] as const] }] },
    ];
    expect(() => makeNetwork({ format: 'Q3.4', inputs: 1, layers: layer(128n, 0, 1n) })).toThrow(
      'layers[0].neurons[0].bias: code 128 is outside Q3.4 (codes -128 … 127)',
    );
    expect(() => makeNetwork({ format: 'Q3.4', inputs: 1, layers: layer(0n, 0, -129n) })).toThrow(
      'layers[0].neurons[0].edges[0][1]: code -129 is outside Q3.4',
    );
    expect(() => makeNetwork({ format: 'Q3.4', inputs: 1, layers: layer(0n, 1, 1n) })).toThrow(
      'layers[0].neurons[0].edges[0][0]: source 1 is out of range',
    );
    expect(() =>
      makeNetwork({ format: 'Q3.4', inputs: 1, layers: layer(0n, 0, 1n), accumulation: 'wide' as never }),
    ).toThrow('accumulation: "wide" is not one of sequential, exact');
  });

  it('freezes the network and copies the caller’s arrays', () => {
    const edges: Array<readonly [number, bigint]> = [[0, 16n]];
    const net = makeNetwork({
      format: 'Q3.4',
      inputs: 1,
      layers: [{ activation: 'relu', neurons: [{ bias: 0n, edges }] }],
    });
    edges.push([0, 1n]);
    expect(net.layers[0].neurons[0].edges).toHaveLength(1);
    expect(Object.isFrozen(net.layers[0].neurons[0])).toBe(true);
    expect(validateNetwork(net)).toBe(net);
  });

  it('rejects a LUT activation defined on another format', () => {
    const lut = { name: 'lut', format: 'Q1.1', y: '0,0,0,0,0,0.5,1,1.5' };
    expect(() =>
      makeNetwork({
        format: 'Q3.4',
        inputs: 1,
        layers: [{ activation: lut, neurons: [{ bias: 0n, edges: [] }] }],
      }),
    ).toThrow(/layers\[0\]\.activation: .* is defined on Q1\.1, the network's format is Q3\.4/);
  });
});

describe('one edge per pair of neurons', () => {
  it('a repeated source within a neuron is an error naming both edges', () => {
    expect(() =>
      parseNetworkJson({
        fxnn: 1,
        format: 'Q3.4',
        inputs: 1,
        layers: [
          {
            activation: 'relu',
            neurons: [
              {
                bias: '1',
                edges: [
                  [0, '1'],
                  [0, '-1'],
                ],
              },
            ],
          },
        ],
      }),
    ).toThrow(
      'layers[0].neurons[0].edges[1][0]: source 0 repeats edges[0] (a neuron has at most one edge from each source)',
    );
  });
});
