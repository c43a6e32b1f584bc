/** Worker thread of `expressivityMapParallel`: decides the cells it is sent, one message per cell. */
import { parentPort } from 'node:worker_threads';
import { makeConfiguration } from './configuration.js';
import { decide } from './verdict.js';

parentPort?.on(
  'message',
  (msg: { index: number; activation: string; format: string; weights: 'all' | 'binary' } | null) => {
    if (msg === null) {
      parentPort?.close();
      return;
    }
    const { index, activation, format, weights } = msg;
    try {
      const v = decide(makeConfiguration({ format, activation, weights }));
      parentPort?.postMessage({ index, cell: { activation, format, weights, ...v } });
    } catch (e) {
      parentPort?.postMessage({ index, error: e instanceof Error ? e.message : String(e) });
    }
  },
);
