/** fxnn's public API. */

export {
  type Activation,
  type ActivationRange,
  activationZeroIn,
  type Bound,
  BUILTIN_ACTIVATIONS,
  isZeroAt,
  parseActivation,
} from './activations/activation.js';
export { exprActivation } from './activations/expr-activation.js';
export { lutActivation, lutFromCsv } from './activations/lut-activation.js';
export {
  activationTable,
  activationTableInfo,
  FALLBACK_DIGITS,
  OVERFLOW_SENTINEL,
  type RoundedActivation,
  type RoundingStats,
  roundedActivation,
} from './activations/rounded.js';
export { CONSTRUCTION_NAMES } from './constructions/registry.js';
export { type FastOps, fastOps } from './core/fast-ops.js';
export type { CodeResult, Op } from './core/ops.js';
export { OPS, opCodes, roundRational, roundScaled } from './core/ops.js';
export { applyOverflow, OverflowError, overflowWith } from './core/overflow.js';
export type { Rational } from './core/rational.js';
export { dyadicToDecimal, ratio, toDecimalString } from './core/rational.js';
export { roundQuotient } from './core/rounding.js';
export {
  type ArcCertificate,
  findArcCertificate,
  materializeArcCertificate,
  verifyArcCertificate,
} from './engine/arc-certificate.js';
export {
  type BooleanGadgetCertificate,
  findBooleanGadgetCertificate,
  verifyBooleanGadgetCertificate,
} from './engine/boolean-gadget-certificate.js';
export {
  type Certificate,
  candidateIdleLevels,
  type Emitter,
  findCertificate,
  verifyCertificate,
} from './engine/certificate.js';
export {
  closureChainApplies,
  closureChains,
  findClosureChainCertificate,
} from './engine/closure-chain-certificate.js';
export { contractionChain } from './engine/contraction-chains.js';
export {
  type ContractionIdleCertificate,
  contractionApplies,
  findContractionIdleCertificate,
} from './engine/contraction-idle-certificate.js';
export {
  type CopyChainCertificate,
  type CopyStep,
  copyChainDetector,
  copyChainGadget,
  copyChainsApply,
  findCopyChainCertificate,
  materializeCopyChainCertificate,
  verifyCopyChainCertificate,
} from './engine/copy-chain-certificate.js';
export { completeDigits, digitFanEmitters } from './engine/digit-fan-emitters.js';
export {
  type ExactSpanCertificate,
  exactSpanApplies,
  exactSpanCoefficients,
  findExactSpanCertificate,
  verifyExactSpanCertificate,
} from './engine/exact-span-certificate.js';
export { featureFamilyCuts, featureFamilyFloor } from './engine/feature-family-cuts.js';
export {
  type FeatureLevels,
  type FeaturePairCertificate,
  findFeaturePairCertificate,
  materializeFeaturePairCertificate,
  verifyFeaturePairCertificate,
} from './engine/feature-pair-certificate.js';
export { featureSteps, findFeatureThresholds } from './engine/feature-thresholds.js';
export {
  findFloorReluCertificate,
  floorReluApplies,
  floorReluAtLeast,
  floorReluAtMost,
} from './engine/floor-relu-chains.js';
export type { Gadget, GadgetNeuron } from './engine/gadget.js';
export {
  findHalvingHeadCertificate,
  type HalvingHeadCertificate,
  halvingHeadBases,
  halvingHeadDetector,
  materializeHalvingHeadCertificate,
  verifyHalvingHeadCertificate,
} from './engine/halving-head-certificate.js';
export {
  findIdleChainCertificate,
  type IdleChainCertificate,
  materializeIdleChainCertificate,
  verifyIdleChainCertificate,
} from './engine/idle-chain-certificate.js';
export type { IdleEmitterRule } from './engine/idle-emitters.js';
export {
  findIntegerReluCertificate,
  findScaledReluCertificate,
  integerReluApplies,
  reluAtLeast,
  reluAtMost,
  scaledReluApplies,
} from './engine/integer-relu-chains.js';
export { type LastTermObstruction, type LastTermOptions, lastTermObstruction } from './engine/last-term.js';
export {
  contributesNothing,
  kills,
  type Levels,
  readableLevelsExist,
  readoutWeights,
} from './engine/levels.js';
export {
  type LinearUnitCondition,
  linearUnitCertificate,
  linearUnitCondition,
  verifiedLinearUnitCertificate,
} from './engine/linear-unit-condition.js';
export {
  findModularIdleCertificate,
  type ModularIdleCertificate,
  modularOutputBias,
  verifyModularIdleCertificate,
} from './engine/modular-idle-certificate.js';
export { arcPairGenerator, oddGeneratorByArcPairs } from './engine/odd-generator-by-arc-pairs.js';
export { halvingGeneratorApplies, oddGeneratorByHalving } from './engine/odd-generator-by-halving.js';
export {
  findPairedIdleCertificate,
  type PairedIdleCertificate,
  verifyPairedIdleCertificate,
} from './engine/paired-idle-certificate.js';
export { makeSetting, type Setting } from './engine/setting.js';
export { generatorTable, type ShiftGenerator } from './engine/shift-generator.js';
export {
  findShiftSpanCertificate,
  type ShiftSpanCertificate,
  verifyShiftSpanCertificate,
} from './engine/shift-span-certificate.js';
export {
  findShrinkChainCertificate,
  type ShrinkChainReport,
  shrinkChainsApply,
  shrinkRest,
} from './engine/shrink-chain-certificate.js';
export {
  findStartIdleCertificate,
  type StartIdleCertificate,
  verifyStartIdleCertificate,
} from './engine/start-idle-certificate.js';
export {
  findThresholdSpanCertificate,
  type ThresholdSpanCertificate,
  thresholdSpanTerms,
  verifyThresholdSpanCertificate,
} from './engine/threshold-span-certificate.js';
export { unaryTieMerge } from './engine/unary-tie-merge.js';
export { type ActivationShape, activationShape } from './engine/wide/activation-shape.js';
export { decideWide, WIDE_MAX_BITS } from './engine/wide/decide-wide.js';
export { check, FxnnError } from './errors.js';
export {
  EXPRESSION_FUNCTIONS,
  type Expr,
  MAX_EXPRESSION_DEPTH,
  MAX_EXPRESSION_LENGTH,
  type ParsedExpression,
} from './expression/expression.js';
export { formatExpression, type ParseOptions, parseExpression } from './expression/parse-expression.js';
export {
  type CertificateResult,
  type CertificateSummary,
  certificateFor,
  certificateToJson,
  summarize,
} from './expressivity/certificates.js';
export {
  binaryApplicable,
  type Configuration,
  type ConfigurationOptions,
  configurationKey,
  makeConfiguration,
  settingOf,
} from './expressivity/configuration.js';
export { type ConstructReport, construct, MAX_CONSTRUCT_POINTS } from './expressivity/construct.js';
export { expressivityMap, type MapCell, mapCsv, mapFormats, mapMarkdown } from './expressivity/map.js';
export { decide, type Verdict, type VerdictName } from './expressivity/verdict.js';
export {
  type FixedResult,
  type FormatFacts,
  formatFacts,
  operate,
  operateWith,
  type PolicyOptions,
  parseOp,
  roundValue,
} from './fixed.js';
// Per-layer fixed-point types, network JSON version 2, hls4ml emulation (docs/networks.md "Version 2").
export {
  type FixedType,
  hlsSpelling,
  makeFixedType,
  parseFixedType,
  type TypeObject,
  type TypeOverrides,
  typeText,
} from './fixed-type.js';
export {
  FLOAT_ACTIVATION_MAX_EXP_BITS,
  FLOAT_OVERFLOW_SENTINEL,
  type FloatActivationTable,
  floatActivationAt,
  floatActivationTable,
} from './float/float-activation.js';
export { exportFloatC } from './float/float-c-export.js';
export { type FloatFastOps, floatFastOps } from './float/float-fast.js';
export {
  classify as classifyFloat,
  type FloatClass,
  type FloatFormat,
  isFloatSpec,
  makeFloatFormat,
  parseFloatFormat,
} from './float/float-format.js';
export {
  type FloatFormatFacts,
  type FloatValueResult,
  floatFormatFacts,
  operateFloat,
  roundFloat,
} from './float/float-front.js';
export {
  conventionPolicy,
  FLOAT_CONVENTIONS,
  floatValueTable,
  parseFloatValueTable,
} from './float/float-interop.js';
export { type FloatNetwork, floatNetworkToJson, parseFloatNetworkJson } from './float/float-network.js';
export { compileFloatNetwork, evaluateFloatReference } from './float/float-network-eval.js';
export { floatOp } from './float/float-ops.js';
export {
  FLOAT_OVERFLOWS,
  FLOAT_ROUNDINGS,
  type FloatOverflow,
  type FloatPolicy,
  type FloatResult,
  type FloatRounding,
  floatCodeText,
  makeFloatPolicy,
  roundRational as roundRationalToFloatFormat,
} from './float/float-rounding.js';
export { type FloatTarget, floatTarget, SIGNLESS_ZERO } from './float/float-target.js';
export {
  type Encoding,
  type Format,
  type FormatKind,
  isPlainFormat,
  makeFormat,
  parseFormat,
  parseHlsSpelling,
} from './format.js';
export { BINARY32, BINARY64, roundToBinary } from './hls/binary-float.js';
export {
  HLS_DEFAULT_TABLE_SIZE,
  HLS_DEFAULT_TABLE_TYPE,
  type HlsTableKind,
  hls4mlIndex,
  hls4mlTable,
  tableFloat,
} from './hls/hls4ml-table.js';
export { C_EXPORT_BITS, C_TABLE_BITS, type CExportOptions, exportC } from './network/c-export.js';
export { cNameProblem } from './network/c-names.js';
export {
  type AllInputsComparison,
  compareOnAllInputs,
  sweepApplies,
} from './network/compare-all-inputs.js';
export {
  type EvaluateAllOptions,
  type ExhaustiveChunk,
  evaluateAll,
  evaluateAllOutputs,
  exhaustiveRowCount,
} from './network/exhaustive.js';
export { type ExhaustivePlan, type PlanOptions, planExhaustive } from './network/exhaustive-run.js';
export type { CompareResult, ExhaustiveTask, Mismatch, TaskResult } from './network/exhaustive-tasks.js';
export {
  type CompiledNetwork,
  type CompileOptions,
  compileNetwork,
  FAST_EVALUATOR_BITS,
  hasFastEvaluator,
} from './network/fast-evaluator.js';
export { float32TextToCode, type InputRounding, textToCode } from './network/input-codes.js';
export {
  allInputs,
  fillInputs,
  forEachInput,
  indexOfInput,
  inputAt,
  inputCount,
} from './network/input-space.js';
export {
  ACCUMULATIONS,
  type Accumulation,
  BIAS_ORDERS,
  type BiasOrder,
  type Layer,
  type LayerSpec,
  makeNetwork,
  type Network,
  type NetworkSpec,
  type Neuron,
  outputCount,
  validateNetwork,
  WEIGHT_SETS,
  type WeightSet,
} from './network/network.js';
export { readNetworkFile } from './network/network-file.js';
export {
  NETWORK_JSON_VERSION,
  type NetworkJsonObject,
  networkToJson,
  networkToJsonText,
  parseNetworkJson,
} from './network/network-json.js';
export {
  NetworkOverflowError,
  type OverflowLocation,
  type OverflowStep,
} from './network/network-overflow-error.js';
export { evaluateReference } from './network/reference-evaluator.js';
export { type NetworkSize, networkSize } from './network/size.js';
export {
  evaluateAllInputs,
  SWEEP_MAX_CHANGES,
  SWEEP_MAX_POINTS,
  type SweepOptions,
  type SweepResult,
  SweepTooLarge,
} from './network/sweep-evaluator.js';
export { exportTypedC } from './network/typed-c-export.js';
export { type CompiledTypedNetwork, compileTypedNetwork } from './network/typed-fast.js';
export {
  type ActivationLayer,
  type DenseLayer,
  type DenseTypes,
  layerResultType,
  outputType,
  type TypedLayer,
  type TypedNetwork,
  typedFromV1,
  typedOutputCount,
  validateTypedNetwork,
} from './network/typed-network.js';
export {
  parseTypedNetworkJson,
  readTypedNetworkFile,
  TYPED_NETWORK_JSON_VERSION,
  typedNetworkToJson,
  typeToJson,
} from './network/typed-network-json.js';
export {
  type CastKind,
  castCode,
  type EvaluationHooks,
  evaluateTypedReference,
  type OverflowEvent,
} from './network/typed-reference.js';
// ONNX / QONNX import (docs/import.md)
export { checkTypedNetwork, type LayerVerdict } from './onnx/check-network.js';
export { type CompareReport, compareModels } from './onnx/compare-models.js';
export { evaluateFloat, floatChain } from './onnx/float-evaluate.js';
export { type Hls4mlConfig, parseHls4mlConfig, readHls4mlConfig } from './onnx/hls4ml-config.js';
export { type ImportOptions, type ImportResult, importChain } from './onnx/import-network.js';
export type { ChainStep, MlpChain } from './onnx/mlp-chain.js';
export { decodeOnnxModel, encodeOnnxModel, type OnnxModel, readOnnxFile } from './onnx/onnx-proto.js';
export { intBitsFor, type ProfileResult, profileModel } from './onnx/profile-model.js';
export { parseInputsCsv, readInputsCsv } from './onnx/read-inputs-csv.js';
export { nodeName, readMlpChain } from './onnx/read-mlp-chain.js';
export {
  ALL_OVERFLOW_MODES,
  AP_DEFAULT_POLICY,
  AP_OVERFLOW,
  AP_QUANTIZATION,
  DEFAULT_POLICY,
  HLS_OVERFLOW_MODES,
  makePolicy,
  OVERFLOW_MODES,
  type Overflow,
  type Policy,
  parseOverflow,
  parseRounding,
  ROUNDING_MODES,
  type Rounding,
} from './policy.js';
export { mulberry32, randomTable } from './prng.js';
export { parseTargetExpression, TARGET_FUNCTIONS, type TargetExpression } from './target/expression.js';
export {
  expressionTarget,
  type TargetFunction,
  type TargetOptions,
  targetOfExpression,
} from './target/target-function.js';
export { parseTargetTable, type TargetTable, tableTarget } from './target/target-table.js';
export { codeToDecimal, exactCode, parseValue, type ValueInput } from './value.js';
