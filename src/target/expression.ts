import { quote } from '../errors.js';
import { EXPRESSION_FUNCTIONS, type ParsedExpression } from '../expression/expression.js';
import { parseExpression } from '../expression/parse-expression.js';

/** Functions a target expression may call (the expression language's one table, docs/expressions.md). */
export const TARGET_FUNCTIONS = EXPRESSION_FUNCTIONS;
export type { CompareOp, Expr } from '../expression/expression.js';

/** The parsed expression and the source text it came from. */
export interface TargetExpression extends ParsedExpression {
  readonly inputs: number;
}

/**
 * Parses a target expression in the inputs x1 … xd (and `x` when d = 1) in the expression language
 * of docs/expressions.md. (Async for compatibility: the parser once loaded mathjs on first use.)
 */
export async function parseTargetExpression(text: string, inputs: number): Promise<TargetExpression> {
  return parseTargetExpressionSync(text, inputs);
}

/** `parseTargetExpression` without the promise. */
export function parseTargetExpressionSync(text: string, inputs: number): TargetExpression {
  const variables = Array.from({ length: inputs }, (_, i) => `x${i + 1}`);
  const parsed = parseExpression(text, {
    variables,
    aliases: inputs === 1 ? { x: 0 } : undefined,
    hint: inputs === 1 ? 'the input is x or x1' : `the inputs are x1 … x${inputs}`,
    label: `expression ${quote(text)}`,
    param: 'fn',
  });
  return { ...parsed, inputs };
}
