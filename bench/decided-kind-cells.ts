/**
 * One small ✓ cell per kind of certificate that `decide` reports (its `onCertificate` key), on which the
 * compiler's own constructions (boxes, rows, steps, two-level, …) cannot build a table, so that `construct`
 * writes out N_f from the deciding certificate (docs/construction.md, "Certificates the compiler cannot cut
 * into boxes"). Used by test/decided-network.test.ts and bench/construct-kinds.bench.ts; the cells were
 * picked from bench/small-cells.jsonl (3–5 bits) with the kind `decide` names for each.
 */
export type KindCell = readonly [
  kind: string,
  activation: string,
  format: string,
  rounding: string,
  overflow: string,
  weights: string,
  accumulation: string,
  bias: string,
];

export const KIND_CELLS: readonly KindCell[] = [
  ['paired', 'identity', 'Q0.2', 'floor', 'saturate', 'all', 'exact', 'last'],
  ['start', 'relu', 'Q0.2', 'floor', 'saturate', 'all', 'sequential', 'last'],
  ['idleChain', 'relu', 'Q0.2', 'floor', 'saturate', 'all', 'sequential', 'first'],
  ['modular', 'identity', 'Q0.2', 'toward-zero', 'wrap', 'all', 'sequential', 'last'],
  ['deepGadget', 'hard-swish', 'Q0.2', 'toward-zero', 'saturate', 'all', 'exact', 'last'],
  ['deepGadget', 'hard-sigmoid', 'Q1.1', 'nearest-down', 'wrap', 'binary', 'sequential', 'last'],
  ['booleanGadget', 'hard-sigmoid', 'SQ0.2', 'nearest-up', 'saturate', 'all', 'sequential', 'last'],
  ['exactSpan', 'hard-sigmoid', 'Q0.2', 'nearest-even', 'wrap', 'all', 'exact', 'last'],
  ['shiftSpan', 'hard-sigmoid', 'Q1.1', 'nearest-down', 'wrap', 'all', 'sequential', 'last'],
  ['span', 'identity', 'UQ0.3', 'ceil', 'wrap', 'all', 'sequential', 'last'],
  ['halvingHead', 'identity', 'Q1.1', 'nearest-even', 'error', 'all', 'sequential', 'last'],
  ['shrinkChain', 'identity', 'Q1.1', 'nearest-even', 'error', 'all', 'exact', 'last'],
  ['copyChain', 'identity', 'Q1.1', 'nearest-away', 'error', 'all', 'sequential', 'last'],
  ['closureChain', 'tanh', 'SQ1.1', 'nearest-away', 'error', 'all', 'sequential', 'last'],
  ['featurePair', 'hard-swish', 'SQ2.0', 'floor', 'error', 'binary', 'sequential', 'last'],
  // all weights: first where Remark NA shows no chain certificate exists (nearest-away), else last of all
  ['featurePair', 'silu', 'SQ3.1', 'nearest-away', 'error', 'all', 'sequential', 'last'],
  ['featurePairAll', 'silu', 'SQ3.1', 'nearest-even', 'error', 'all', 'sequential', 'last'],
  // Proposition ARC (§8.13): from 32 values on (below, the deep gadget search decides first)
  ['arc', 'hard-sigmoid', 'Q5.0', 'ceil', 'wrap', 'binary', 'exact', 'first'],
  ['integerRelu', 'leaky-relu', 'SQ3.0', 'nearest-away', 'error', 'all', 'exact', 'first'],
  ['scaledRelu', 'relu', 'SQ3.1', 'nearest-away', 'error', 'all', 'sequential', 'last'],
  ['floorRelu', 'gelu', 'SQ4.0', 'floor', 'error', 'all', 'sequential', 'first'],
  ['contraction', 'hard-sigmoid', 'Q0.3', 'ceil', 'error', 'all', 'sequential', 'first'],
  ['contraction', 'softplus', 'Q0.4', 'ceil', 'saturate', 'all', 'sequential', 'last'],
  // Proposition DS (§8.14), two-layer literals (§8.12), long start prefixes (§8.10): the last searches of decide
  ['deepStart', 'softplus', 'Q0.3', 'ceil', 'error', 'all', 'sequential', 'last'],
  ['booleanGadget', 'softplus', 'SQ0.4', 'ceil', 'error', 'all', 'exact', 'last'],
  ['start', 'hard-sigmoid', 'SQ0.7', 'ceil', 'error', 'all', 'sequential', 'last'],
  // a certificate of the exhaustive search whose delay has two layers (the compiler needs one)
  ['classic', 'softplus', 'Q1.1', 'nearest-even', 'saturate', 'all', 'exact', 'last'],
];
