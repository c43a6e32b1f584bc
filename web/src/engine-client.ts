import type { ErrorView, RequestBody, Response, ResultOf } from './protocol.js';

export interface ProgressInfo {
  readonly phase: string;
  readonly done: number;
  readonly total: number;
}

/** A failed request: `view.user` marks the library's one-line messages about the input. */
export class EngineError extends Error {
  constructor(readonly view: ErrorView) {
    super(view.message);
    this.name = 'EngineError';
  }
}

/** A request that was replaced by a newer one of the same kind, or stopped: callers ignore it. */
export class Cancelled extends Error {
  constructor(why: string) {
    super(why);
    this.name = 'Cancelled';
  }
}

interface Job {
  readonly id: number;
  readonly body: RequestBody;
  readonly key: string | null;
  readonly transfer: Transferable[];
  readonly onProgress: ((p: ProgressInfo) => void) | undefined;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export interface RequestOptions {
  /** A queued (not yet running) request with the same key is replaced by this one. */
  readonly key?: string;
  readonly transfer?: Transferable[];
  readonly onProgress?: (p: ProgressInfo) => void;
}

/**
 * One engine worker and a queue in front of it: the worker runs one request at a time (so the
 * library's caches serve later requests); `stop` ends a long computation by restarting the worker.
 */
export class EngineClient {
  private worker: Worker;
  private readonly queue: Job[] = [];
  private running: Job | null = null;
  private startedAt = 0;
  private nextId = 1;

  constructor(
    private readonly create: () => Worker,
    private readonly onCrash: (message: string) => void,
  ) {
    this.worker = this.start();
  }

  private start(): Worker {
    const w = this.create();
    w.onmessage = (event: MessageEvent<Response>) => this.receive(event.data);
    w.onerror = (event) => {
      event.preventDefault();
      const job = this.running;
      this.onCrash(event.message || 'the engine worker failed to start');
      this.running = null;
      job?.reject(
        new EngineError({
          message: event.message || 'the engine worker failed',
          parameter: null,
          user: false,
        }),
      );
      this.pump();
    };
    return w;
  }

  request<T extends RequestBody['type']>(
    body: Extract<RequestBody, { type: T }>,
    options: RequestOptions = {},
  ): Promise<ResultOf[T]> {
    return new Promise<ResultOf[T]>((resolve, reject) => {
      const job: Job = {
        id: this.nextId++,
        body,
        key: options.key ?? null,
        transfer: options.transfer ?? [],
        onProgress: options.onProgress,
        resolve: resolve as (v: unknown) => void,
        reject,
      };
      if (job.key !== null) {
        for (let i = this.queue.length - 1; i >= 0; i--) {
          if (this.queue[i].key === job.key) {
            this.queue[i].reject(new Cancelled('replaced by a newer request'));
            this.queue.splice(i, 1);
          }
        }
      }
      this.queue.push(job);
      this.pump();
    });
  }

  /** Milliseconds the running request with this key has run, or 0 when none runs. */
  runningFor(key: string): number {
    return this.running?.key === key ? performance.now() - this.startedAt : 0;
  }

  /** Stops the running request (restarting the worker) and drops queued ones with `key` (all when null). */
  stop(key: string | null = null): void {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (key === null || this.queue[i].key === key) {
        this.queue[i].reject(new Cancelled('stopped'));
        this.queue.splice(i, 1);
      }
    }
    if (this.running && (key === null || this.running.key === key)) {
      this.worker.terminate();
      this.running.reject(new Cancelled('stopped'));
      this.running = null;
      this.worker = this.start();
    }
    this.pump();
  }

  private pump(): void {
    if (this.running || this.queue.length === 0) return;
    const job = this.queue.shift()!;
    this.running = job;
    this.startedAt = performance.now();
    this.worker.postMessage({ ...job.body, id: job.id }, job.transfer);
  }

  private receive(msg: Response): void {
    const job = this.running;
    if (!job || job.id !== msg.id) return;
    if (msg.kind === 'progress') {
      job.onProgress?.({ phase: msg.phase, done: msg.done, total: msg.total });
      return;
    }
    this.running = null;
    if (msg.kind === 'result') job.resolve(msg.result);
    else job.reject(new EngineError(msg.error));
    this.pump();
  }
}
