/**
 * Worker thread of `eval --inputs` on large CSV files: reads the network, then turns batches of rows
 * into output text with `batchProcessor` (eval-inputs-batch.ts) and posts it back.
 */

import { parentPort } from 'node:worker_threads';
import { FxnnError } from '../errors.js';
import type { InputRounding } from '../network/input-codes.js';
import { readTypedNetworkFile } from '../network/typed-network-json.js';
import { type BatchProcessor, batchProcessor } from './eval-inputs-batch.js';

export type ToInputsWorker =
  | { readonly type: 'init'; readonly network: string; readonly file: string; readonly round: InputRounding }
  | {
      readonly type: 'batch';
      readonly id: number;
      readonly lines: readonly string[];
      readonly lineNos: readonly number[];
      readonly firstRow: number;
    };

export type FromInputsWorker =
  | { readonly type: 'result'; readonly id: number; readonly text: string }
  | { readonly type: 'error'; readonly id: number; readonly message: string; readonly user: boolean };

const port = parentPort;
if (port) {
  let run: BatchProcessor | undefined;
  let failure: unknown;
  port.on('message', (m: ToInputsWorker) => {
    if (m.type === 'init') {
      try {
        run = batchProcessor(readTypedNetworkFile(m.network), m.file, m.round);
      } catch (e) {
        failure = e;
      }
      return;
    }
    try {
      if (run === undefined) throw failure;
      port.postMessage({
        type: 'result',
        id: m.id,
        text: run(m.lines, m.lineNos, m.firstRow),
      } satisfies FromInputsWorker);
    } catch (e) {
      const message =
        e instanceof Error ? (e instanceof FxnnError ? e.message : (e.stack ?? e.message)) : String(e);
      port.postMessage({
        type: 'error',
        id: m.id,
        message,
        user: e instanceof FxnnError,
      } satisfies FromInputsWorker);
    }
  });
}
