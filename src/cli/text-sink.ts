import { FxnnError } from '../errors.js';
import type { OutputFile } from './output-file.js';

/** Standard output was closed by the reader (e.g. `fxnn eval net.json --all | head`). */
export class OutputClosed extends Error {}

/**
 * Where a command streams its text: an output file (temporary until `finish`) or standard output,
 * waiting for it to drain so that memory stays flat however much is written.
 */
export interface TextSink {
  write(text: string): Promise<void>;
  /** The work succeeded: rename the output file into place (standard output: nothing to do). */
  finish(): void;
  /** The work failed or was refused: drop the temporary file. Safe after finish. */
  close(): void;
}

/** Batches of at most this many characters are handed to the stream at once. */
const FLUSH_CHARS = 1 << 16;

/** A sink that writes to `file` when given (opened now: call when the work starts), else to stdout. */
export function openTextSink(file: OutputFile | undefined): TextSink {
  if (file !== undefined) {
    file.open();
    return {
      write: async (text) => file.write(text),
      finish: () => file.commit(),
      close: () => file.abort(),
    };
  }
  const out = process.stdout;
  let failure: Error | undefined;
  const onError = (e: NodeJS.ErrnoException) => {
    failure =
      e.code === 'EPIPE' ? new OutputClosed() : new FxnnError(`writing standard output: ${e.message}`, 'out');
  };
  out.on('error', onError);
  return {
    write: (text) =>
      new Promise((resolve, reject) => {
        if (failure) return reject(failure);
        if (out.write(text)) return resolve();
        const done = () => {
          out.off('drain', done);
          out.off('error', done);
          if (failure) reject(failure);
          else resolve();
        };
        out.once('drain', done);
        out.once('error', done);
      }),
    finish: () => {},
    close: () => {
      out.off('error', onError);
    },
  };
}

/**
 * Collects short lines and writes them in batches of about 64 kB (one promise per batch, not per
 * line): `line` returns a promise only when a batch was handed over.
 */
export class LineWriter {
  private buffer: string[] = [];
  private chars = 0;

  constructor(private readonly sink: TextSink) {}

  /** Adds one line (without its newline); awaits the sink when a batch is full. */
  line(text: string): Promise<void> | undefined {
    this.buffer.push(text);
    this.chars += text.length + 1;
    return this.chars >= FLUSH_CHARS ? this.flush() : undefined;
  }

  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const text = `${this.buffer.join('\n')}\n`;
    this.buffer = [];
    this.chars = 0;
    await this.sink.write(text);
  }
}
