/**
 * Worker thread of an exhaustive run: receives a network (JSON v1 object) and a task, then chunks of
 * row indices, and posts each chunk's result back (see `exhaustive-run.ts`).
 */
import { parentPort } from 'node:worker_threads';
import { FxnnError } from '../errors.js';
import type { ChunkRunner, ExhaustiveTask } from './exhaustive-tasks.js';
import { prepareTask } from './exhaustive-tasks.js';
import { parseNetworkJson } from './network-json.js';

export type ToWorker =
  | { readonly type: 'init'; readonly network: unknown; readonly task: ExhaustiveTask }
  | { readonly type: 'chunk'; readonly id: number; readonly start: number; readonly rows: number };

export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'result'; readonly id: number; readonly result: unknown }
  | { readonly type: 'error'; readonly id: number; readonly message: string; readonly user: boolean };

const port = parentPort;
if (port) {
  let runner: Promise<ChunkRunner> | undefined;
  const fail = (id: number, e: unknown) => {
    const message =
      e instanceof Error ? (e instanceof FxnnError ? e.message : (e.stack ?? e.message)) : String(e);
    port.postMessage({ type: 'error', id, message, user: e instanceof FxnnError } satisfies FromWorker);
  };
  port.on('message', (message: ToWorker) => {
    if (message.type === 'init') {
      runner = prepareTask(parseNetworkJson(message.network), message.task);
      runner.then(
        () => port.postMessage({ type: 'ready' } satisfies FromWorker),
        (e) => fail(-1, e),
      );
      return;
    }
    const { id, start, rows } = message;
    runner!.then(
      (run) => {
        try {
          const result = run(start, rows);
          port.postMessage(
            { type: 'result', id, result } satisfies FromWorker,
            result instanceof Int32Array ? [result.buffer as ArrayBuffer] : [],
          );
        } catch (e) {
          fail(id, e);
        }
      },
      (e) => fail(id, e),
    );
  });
}
