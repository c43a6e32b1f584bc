/**
 * Thrown by a command that has printed its result and must end with a particular exit status, e.g.
 * `fxnn verify` with mismatches (status 1; user errors are status 2).
 */
export class ExitStatus extends Error {
  readonly status: number;
  constructor(status: number) {
    super(`exit status ${status}`);
    this.name = 'ExitStatus';
    this.status = status;
  }
}
