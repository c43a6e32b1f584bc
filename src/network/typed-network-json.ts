/**
 * Network JSON version 2 (docs/networks.md "Version 2"; the schema agreed in V2-SCHEMA.md): per-layer
 * types, dense and activation layers, hls4ml's tables. `parseTypedNetworkJson` also reads version 1,
 * as the typed network whose every type is the one format.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { FxnnError } from '../errors.js';
import { type FixedType, parseFixedType, type TypeObject } from '../fixed-type.js';
import {
  HLS_DEFAULT_TABLE_SIZE,
  HLS_DEFAULT_TABLE_TYPE,
  HLS_MAX_TABLE_SIZE,
  type HlsTableKind,
} from '../hls/hls4ml-table.js';
import { codeToDecimal, exactCode } from '../value.js';
import { ACCUMULATIONS, BIAS_ORDERS, type Neuron } from './network.js';
import { jsonPath, NETWORK_JSON_VERSION, parseNetworkJson } from './network-json.js';
import {
  type ActivationLayer,
  type DenseLayer,
  parseLayerActivation,
  type TypedLayer,
  type TypedNetwork,
  typedFromV1,
  validateTypedNetwork,
} from './typed-network.js';

export const TYPED_NETWORK_JSON_VERSION = 2;

const typeSchema = z.union([
  z.string(),
  z.strictObject({
    format: z.string(),
    rounding: z.string().optional(),
    overflow: z.string().optional(),
    saturationBits: z.number().int().min(0).optional(),
  }),
]);
const valueSchema = z.union([z.string(), z.number()]);
const neuronSchema = z.strictObject({
  bias: valueSchema,
  edges: z.array(z.tuple([z.number().int().min(0), valueSchema])),
});
const denseSchema = z.strictObject({
  kind: z.literal('dense'),
  name: z.string().optional(),
  types: z.strictObject({ weight: typeSchema, bias: typeSchema, accum: typeSchema, result: typeSchema }),
  accumulation: z.enum(ACCUMULATIONS).optional(),
  bias: z.enum(BIAS_ORDERS).optional(),
  neurons: z.array(neuronSchema).min(1, 'a layer needs at least one neuron'),
});
const activationSchema = z.strictObject({
  kind: z.literal('activation'),
  name: z.string().optional(),
  activation: z.union([z.string(), z.record(z.string(), z.unknown())]),
  types: z.strictObject({ result: typeSchema }),
  table: z
    .strictObject({
      size: z.number().int().min(1).max(HLS_MAX_TABLE_SIZE).optional(),
      type: typeSchema.optional(),
    })
    .optional(),
});
const networkSchema = z.strictObject({
  fxnn: z.literal(2),
  inputs: z.number().int().min(1, 'a network needs at least one input'),
  input: typeSchema,
  layers: z
    .array(z.discriminatedUnion('kind', [denseSchema, activationSchema]))
    .min(1, 'a network needs at least one layer'),
});
type V2Json = z.infer<typeof networkSchema>;

function withPath<T>(path: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof FxnnError) throw new FxnnError(`${path}: ${e.message}`, e.parameter);
    throw e;
  }
}

function typeAt(spec: string | TypeObject, path: string): FixedType {
  return withPath(path, () => parseFixedType(spec));
}

/**
 * Reads network JSON (version 1 or 2; text or parsed) into a validated typed network. Errors are
 * one line naming the JSON path, e.g. `layers[0].types.accum: unknown format "ap_fixd<8,3>"`.
 */
export function parseTypedNetworkJson(input: string | unknown): TypedNetwork {
  let data: unknown = input;
  if (typeof input === 'string') {
    try {
      data = JSON.parse(input);
    } catch (e) {
      throw new FxnnError(`network JSON is malformed: ${(e as Error).message}`, 'network');
    }
  }
  const version = typeof data === 'object' && data !== null ? (data as { fxnn?: unknown }).fxnn : undefined;
  if (version !== TYPED_NETWORK_JSON_VERSION) {
    if (version === undefined || version === NETWORK_JSON_VERSION) return typedFromV1(parseNetworkJson(data));
    throw new FxnnError(
      `fxnn: unknown version ${JSON.stringify(version)} (this fxnn reads versions ${NETWORK_JSON_VERSION} and ${TYPED_NETWORK_JSON_VERSION})`,
      'fxnn',
    );
  }
  const parsed = networkSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = jsonPath(issue.path);
    const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more)` : '';
    const what =
      issue.code === 'unrecognized_keys'
        ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`
        : issue.message;
    throw new FxnnError(`${where === '' ? '' : `${where}: `}${what}${more}`, 'network');
  }
  return fromJson(parsed.data);
}

function fromJson(json: V2Json): TypedNetwork {
  const input = typeAt(json.input, 'input');
  const layers = json.layers.map((layer, l): TypedLayer => {
    const at = `layers[${l}]`;
    const name = layer.name ?? at;
    if (layer.kind === 'dense') {
      const types = Object.freeze({
        weight: typeAt(layer.types.weight, `${at}.types.weight`),
        bias: typeAt(layer.types.bias, `${at}.types.bias`),
        accum: typeAt(layer.types.accum, `${at}.types.accum`),
        result: typeAt(layer.types.result, `${at}.types.result`),
      });
      const neurons = layer.neurons.map(
        (neuron, i): Neuron =>
          Object.freeze({
            bias: exactCode(neuron.bias, types.bias.format, `${at}.neurons[${i}].bias`),
            edges: Object.freeze(
              neuron.edges.map(
                ([source, weight], k) =>
                  Object.freeze([
                    source,
                    exactCode(weight, types.weight.format, `${at}.neurons[${i}].edges[${k}][1]`),
                  ]) as readonly [number, bigint],
              ),
            ),
          }),
      );
      return Object.freeze({
        kind: 'dense',
        name,
        types,
        accumulation: layer.accumulation ?? 'sequential',
        bias: layer.bias ?? 'first',
        neurons: Object.freeze(neurons),
      } satisfies DenseLayer);
    }
    const activation = withPath(`${at}.activation`, () => parseLayerActivation(layer.activation));
    let table: ActivationLayer['table'] = null;
    if (layer.table !== undefined) {
      const kind = activation.key as HlsTableKind;
      if (kind !== 'sigmoid' && kind !== 'tanh') {
        throw new FxnnError(
          `${at}.table: hls4ml tables are for sigmoid and tanh, not ${activation.key}`,
          'table',
        );
      }
      table = Object.freeze({
        kind,
        size: layer.table.size ?? HLS_DEFAULT_TABLE_SIZE,
        type: typeAt(layer.table.type ?? HLS_DEFAULT_TABLE_TYPE, `${at}.table.type`),
      });
    }
    return Object.freeze({
      kind: 'activation',
      name,
      activation,
      result: typeAt(layer.types.result, `${at}.types.result`),
      table,
    } satisfies ActivationLayer);
  });
  return validateTypedNetwork(
    Object.freeze({ version: 2, inputs: json.inputs, input, layers: Object.freeze(layers), v1: null }),
  );
}

/** Reads a network JSON file (version 1 or 2); errors are prefixed with the file name. */
export function readTypedNetworkFile(path: string): TypedNetwork {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new FxnnError(
      `${path}: cannot read the network (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      'network',
    );
  }
  try {
    return parseTypedNetworkJson(text);
  } catch (e) {
    if (e instanceof FxnnError) throw new FxnnError(`${path}: ${e.message}`, e.parameter);
    throw e;
  }
}

/** The JSON text of a type: its spelling when the spelling's defaults give it, else the object form. */
export function typeToJson(t: FixedType): string | TypeObject {
  const n = t.policy.saturationBits ?? 0;
  return {
    format: t.format.spec,
    rounding: t.policy.rounding,
    overflow: t.policy.overflow,
    ...(n === 0 ? {} : { saturationBits: n }),
  };
}

/** A typed network as a version 2 JSON object (exact: parsing it gives the same network). */
export function typedNetworkToJson(net: TypedNetwork): unknown {
  return {
    fxnn: 2,
    inputs: net.inputs,
    input: typeToJson(net.input),
    layers: net.layers.map((layer) =>
      layer.kind === 'dense'
        ? {
            kind: 'dense',
            name: layer.name,
            types: {
              weight: typeToJson(layer.types.weight),
              bias: typeToJson(layer.types.bias),
              accum: typeToJson(layer.types.accum),
              result: typeToJson(layer.types.result),
            },
            accumulation: layer.accumulation,
            bias: layer.bias,
            neurons: layer.neurons.map((n) => ({
              bias: codeToDecimal(n.bias, layer.types.bias.format),
              edges: n.edges.map(([s, w]) => [s, codeToDecimal(w, layer.types.weight.format)]),
            })),
          }
        : {
            kind: 'activation',
            name: layer.name,
            activation: layer.activation.json,
            types: { result: typeToJson(layer.result) },
            ...(layer.table ? { table: { size: layer.table.size, type: typeToJson(layer.table.type) } } : {}),
          },
    ),
  };
}
