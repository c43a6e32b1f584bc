/**
 * Reading ONNX files: the official `onnx.proto` (proto/onnx.proto, ONNX 1.12, Apache-2.0; the
 * format's specification) parsed at run time by protobufjs, and the decoded `ModelProto` as plain
 * objects with snake_case fields as in the .proto. docs/import.md "Reading ONNX".
 */
import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';
import { FxnnError } from '../errors.js';
import { readInputFile } from '../read-input-file.js';

/** The subset of onnx.proto's messages the importer reads (field names as in the .proto). */
export interface OnnxTensor {
  dims?: Array<number | string>;
  data_type?: number;
  name?: string;
  raw_data?: Uint8Array;
  float_data?: number[];
  double_data?: number[];
  int32_data?: number[];
  int64_data?: Array<number | string>;
  uint64_data?: Array<number | string>;
  data_location?: number;
}
export interface OnnxAttribute {
  name: string;
  type?: number;
  f?: number;
  i?: number | string;
  s?: Uint8Array;
  t?: OnnxTensor;
  floats?: number[];
  ints?: Array<number | string>;
}
export interface OnnxNode {
  input?: string[];
  output?: string[];
  name?: string;
  op_type?: string;
  domain?: string;
  attribute?: OnnxAttribute[];
}
export interface OnnxDim {
  dim_value?: number | string;
  dim_param?: string;
}
export interface OnnxValueInfo {
  name?: string;
  type?: { tensor_type?: { elem_type?: number; shape?: { dim?: OnnxDim[] } } };
}
export interface OnnxGraph {
  node?: OnnxNode[];
  name?: string;
  initializer?: OnnxTensor[];
  input?: OnnxValueInfo[];
  output?: OnnxValueInfo[];
}
export interface OnnxModel {
  ir_version?: number | string;
  producer_name?: string;
  producer_version?: string;
  opset_import?: Array<{ domain?: string; version?: number | string }>;
  graph?: OnnxGraph;
}

let modelType: protobuf.Type | undefined;

/** The protobufjs type of `onnx.ModelProto`, parsed once from the shipped onnx.proto. */
export function onnxModelType(): protobuf.Type {
  if (!modelType) {
    // src/onnx/ and dist/onnx/ are both two levels below the package root, where proto/ lives
    const text = readFileSync(new URL('../../proto/onnx.proto', import.meta.url), 'utf8');
    modelType = protobuf.parse(text, { keepCase: true }).root.lookupType('onnx.ModelProto');
  }
  return modelType;
}

/** Decodes the bytes of an .onnx file; `what` names the file in the error of malformed input. */
export function decodeOnnxModel(bytes: Uint8Array, what = 'model'): OnnxModel {
  const type = onnxModelType();
  let message: protobuf.Message;
  try {
    message = type.decode(bytes);
  } catch (e) {
    throw new FxnnError(`${what}: not an ONNX model (protobuf: ${(e as Error).message})`, 'model');
  }
  const model = type.toObject(message, { longs: String, defaults: false }) as OnnxModel;
  if (!model.graph) throw new FxnnError(`${what}: not an ONNX model (no graph)`, 'model');
  return model;
}

/** Encodes a model object (the same plain shape) to .onnx bytes; used by tests and the examples. */
export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const type = onnxModelType();
  const problem = type.verify(model);
  if (problem) throw new FxnnError(`ONNX model: ${problem}`, 'model');
  return type.encode(type.fromObject(model)).finish();
}

/** Reads and decodes an .onnx file. */
export function readOnnxFile(path: string): OnnxModel {
  return decodeOnnxModel(readInputFile(path, 'model'), path);
}
