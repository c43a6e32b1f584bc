import { z } from 'zod';
import { FxnnError } from '../errors.js';
import { parseFormat } from '../format.js';
import { makePolicy, OVERFLOW_MODES, ROUNDING_MODES } from '../policy.js';
import { codeToDecimal, exactCode } from '../value.js';
import {
  ACCUMULATIONS,
  BIAS_ORDERS,
  checkWeightSet,
  type LayerSpec,
  makeNetwork,
  type Network,
  type Neuron,
  WEIGHT_SETS,
} from './network.js';

/** The version of the network JSON this fxnn reads and writes (THEORY §4). */
export const NETWORK_JSON_VERSION = 1;

function shown(input: unknown): string {
  if (input === undefined) return 'nothing';
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'an array';
  if (typeof input === 'object') return 'an object';
  // JSON.parse reads 1e400 as Infinity (and JSON.stringify would print it as null)
  if (typeof input === 'number' && !Number.isFinite(input))
    return `a number beyond the double range (magnitude 1.8e308 or more, read as ${input}; no format holds it)`;
  const text = JSON.stringify(input);
  return `${typeof input} ${text.length > 40 ? `${text.slice(0, 37)}...` : text}`;
}

/** A custom zod error: "missing field" for absent input, otherwise "expected …, got …". */
function expected(what: string) {
  return {
    error: (issue: { input?: unknown }) =>
      issue.input === undefined ? 'missing field' : `expected ${what}, got ${shown(issue.input)}`,
  };
}

function choice<T extends string>(values: readonly [T, ...T[]]) {
  return z.enum(values, {
    error: (issue: { input?: unknown }) =>
      `${shown(issue.input)} is not one of ${values.map((v) => JSON.stringify(v)).join(', ')}`,
  });
}

const valueSchema = z.union([z.string(), z.number()], expected('a decimal string or a number'));
const edgeSchema = z.tuple(
  [z.number(expected('a source index')).int('a source index must be a whole number').min(0), valueSchema],
  {
    error: (issue: { input?: unknown; code?: string }) =>
      issue.input === undefined
        ? 'missing field'
        : issue.code === 'invalid_type'
          ? `expected an edge [source, weight], got ${shown(issue.input)}`
          : 'an edge is a pair [source, weight]',
  },
);
const neuronSchema = z.strictObject(
  { bias: valueSchema, edges: z.array(edgeSchema, expected('an array of edges')) },
  expected('a neuron { "bias": …, "edges": […] }'),
);
const layerSchema = z.strictObject(
  {
    activation: z.union(
      [z.string(), z.record(z.string(), z.unknown())],
      expected('an activation name or an object { "name": …, parameters }'),
    ),
    neurons: z
      .array(neuronSchema, expected('an array of neurons'))
      .min(1, 'a layer needs at least one neuron'),
  },
  expected('a layer { "activation": …, "neurons": […] }'),
);
const networkSchema = z.strictObject({
  fxnn: z.literal(1),
  format: z.string(expected('a format spec such as "Q3.4"')),
  rounding: choice(ROUNDING_MODES).optional(),
  overflow: choice(OVERFLOW_MODES).optional(),
  accumulation: choice(ACCUMULATIONS).optional(),
  bias: choice(BIAS_ORDERS).optional(),
  weights: choice(WEIGHT_SETS).optional(),
  inputs: z
    .number(expected('the number of inputs'))
    .int('the number of inputs must be a whole number')
    .min(1, 'a network needs at least one input'),
  layers: z.array(layerSchema, expected('an array of layers')).min(1, 'a network needs at least one layer'),
});

type NetworkJson = z.infer<typeof networkSchema>;

/** `["layers", 2, "neurons", 5]` → `layers[2].neurons[5]`. */
export function jsonPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) {
    out += typeof key === 'number' ? `[${key}]` : out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const where = jsonPath(issue.path);
    const keys = issue.keys.map((k) => JSON.stringify(k)).join(', ');
    return `${where === '' ? '' : `${where}: `}unknown field${issue.keys.length > 1 ? 's' : ''} ${keys}`;
  }
  return `${jsonPath(issue.path)}: ${issue.message}`;
}

/**
 * Reads network JSON version 1 (text or an already parsed object) into a validated `Network`. Every
 * error is one line naming the path and the reason, e.g.
 * `layers[2].neurons[5].edges[0][1]: "0.3" is not a value of Q3.4 (nearest are 0.25 and 0.3125)`.
 * JSON numbers are read as the exact value of the IEEE double they denote; strings are exact decimals.
 */
export function parseNetworkJson(input: string | unknown): Network {
  let data: unknown = input;
  if (typeof input === 'string') {
    try {
      data = JSON.parse(input);
    } catch (e) {
      throw new FxnnError(`network JSON is malformed: ${(e as Error).message}`, 'network');
    }
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new FxnnError(`network JSON: expected an object, got ${shown(data)}`, 'network');
  }
  const version = (data as { fxnn?: unknown }).fxnn;
  if (version === undefined) {
    throw new FxnnError(
      `fxnn: missing field (the version of the network JSON; this fxnn reads version ${NETWORK_JSON_VERSION})`,
      'fxnn',
    );
  }
  if (version !== NETWORK_JSON_VERSION) {
    throw new FxnnError(
      `fxnn: unknown version ${JSON.stringify(version)} (this fxnn reads version ${NETWORK_JSON_VERSION})`,
      'fxnn',
    );
  }
  const parsed = networkSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const more =
      issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
    throw new FxnnError(`${issueMessage(issues[0])}${more}`, 'network');
  }
  return fromJson(parsed.data);
}

function fromJson(json: NetworkJson): Network {
  const format = withPath('format', () => parseFormat(json.format));
  const policy = makePolicy(format, { rounding: json.rounding, overflow: json.overflow });
  checkWeightSet(json.weights ?? 'all', format);
  const layers: LayerSpec[] = json.layers.map((layer, l) => ({
    activation: layer.activation as LayerSpec['activation'],
    neurons: layer.neurons.map(
      (neuron, i): Neuron => ({
        bias: exactCode(neuron.bias, format, `layers[${l}].neurons[${i}].bias`),
        edges: neuron.edges.map(
          ([source, weight], k) =>
            [source, exactCode(weight, format, `layers[${l}].neurons[${i}].edges[${k}][1]`)] as const,
        ),
      }),
    ),
  }));
  return makeNetwork({
    format,
    policy,
    accumulation: json.accumulation,
    bias: json.bias,
    weights: json.weights,
    inputs: json.inputs,
    layers,
  });
}

function withPath<T>(path: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof FxnnError) throw new FxnnError(`${path}: ${e.message}`, path);
    throw e;
  }
}

/** The JSON v1 object of a network: every field written, values as exact decimal strings. */
export interface NetworkJsonObject {
  fxnn: 1;
  format: string;
  rounding: string;
  overflow: string;
  accumulation: string;
  bias: string;
  weights: string;
  inputs: number;
  layers: Array<{
    activation: string | Record<string, string>;
    neurons: Array<{ bias: string; edges: Array<[number, string]> }>;
  }>;
}

/** Saves a network as a JSON v1 object (exact: `parseNetworkJson(networkToJson(n))` equals `n`). */
export function networkToJson(net: Network): NetworkJsonObject {
  const { format } = net;
  return {
    fxnn: 1,
    format: format.spec,
    rounding: net.policy.rounding,
    overflow: net.policy.overflow,
    accumulation: net.accumulation,
    bias: net.bias,
    weights: net.weights,
    inputs: net.inputs,
    layers: net.layers.map((layer) => ({
      activation: layer.activation.json,
      neurons: layer.neurons.map((neuron) => ({
        bias: codeToDecimal(neuron.bias, format),
        edges: neuron.edges.map(([source, weight]): [number, string] => [
          source,
          codeToDecimal(weight, format),
        ]),
      })),
    })),
  };
}

/**
 * The JSON text of a network, one neuron per line (compact for large networks, readable in diffs).
 */
export function networkToJsonText(net: Network): string {
  const json = networkToJson(net);
  const head = Object.entries(json)
    .filter(([key]) => key !== 'layers')
    .map(([key, value]) => `  ${JSON.stringify(key)}: ${JSON.stringify(value)}`);
  const layers = json.layers.map(
    (layer) =>
      `    { "activation": ${JSON.stringify(layer.activation)}, "neurons": [\n${layer.neurons
        .map((neuron) => `      ${JSON.stringify(neuron)}`)
        .join(',\n')}\n    ] }`,
  );
  return `{\n${head.join(',\n')},\n  "layers": [\n${layers.join(',\n')}\n  ]\n}\n`;
}
