/** Worker thread of `expressivityMapParallel`: decides the cells it is sent, one message per cell. */
import { parentPort } from 'node:worker_threads';
import { mapCell } from './map.js';

parentPort?.on(
  'message',
  (
    msg: {
      index: number;
      activation: string;
      format: string;
      weights: 'all' | 'binary';
      accumulation: 'sequential' | 'exact';
    } | null,
  ) => {
    if (msg === null) {
      parentPort?.close();
      return;
    }
    const { index, activation, format, weights, accumulation } = msg;
    try {
      parentPort?.postMessage({ index, cell: mapCell(activation, format, weights, accumulation) });
    } catch (e) {
      parentPort?.postMessage({ index, error: e instanceof Error ? e.message : String(e) });
    }
  },
);
