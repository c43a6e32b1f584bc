/**
 * The one error type of fxnn's front end: a user-facing, one-line message that names the offending
 * parameter and value. The CLI prints `error: <message>` and exits with code 2; library callers can
 * test `instanceof FxnnError` and read `parameter`.
 */
export class FxnnError extends Error {
  readonly parameter: string | undefined;
  constructor(message: string, parameter?: string) {
    super(message);
    this.name = 'FxnnError';
    this.parameter = parameter;
  }
}

/** Throws an FxnnError when `cond` is false; the message is built only on failure. */
export function check(cond: boolean, message: () => string, parameter?: string): asserts cond {
  if (!cond) throw new FxnnError(message(), parameter);
}

/** Quotes user text for an error message, cut to a readable length. */
export function quote(text: unknown): string {
  const s = typeof text === 'string' ? text : String(text);
  return JSON.stringify(s.length > 80 ? `${s.slice(0, 77)}...` : s);
}
