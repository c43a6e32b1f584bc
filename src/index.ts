/** fxnn's public API. */

export { type FastOps, fastOps } from './core/fast-ops.js';
export type { CodeResult, Op } from './core/ops.js';
export { OPS, opCodes } from './core/ops.js';
export { applyOverflow, OverflowError } from './core/overflow.js';
export type { Rational } from './core/rational.js';
export { dyadicToDecimal, ratio, toDecimalString } from './core/rational.js';
export { roundQuotient } from './core/rounding.js';
export { check, FxnnError } from './errors.js';
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
export { type Encoding, type Format, type FormatKind, makeFormat, parseFormat } from './format.js';
export {
  DEFAULT_POLICY,
  makePolicy,
  OVERFLOW_MODES,
  type Overflow,
  type Policy,
  parseOverflow,
  parseRounding,
  ROUNDING_MODES,
  type Rounding,
} from './policy.js';
export { codeToDecimal, exactCode, parseValue, type ValueInput } from './value.js';
export {
  type Activation,
  type ActivationRange,
  activationZeroIn,
  BUILTIN_ACTIVATIONS,
  type Bound,
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
