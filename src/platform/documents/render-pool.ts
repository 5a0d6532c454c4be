import { parentPort, Worker, workerData } from 'node:worker_threads';

/**
 * Renders documents (PDFs) in worker threads. Laying out a document is pure CPU work that, on the web server's one
 * JavaScript thread, holds up every other request for as long as it takes; in workers it runs beside them and on
 * every core.
 *
 * A worker script names its renderers by kind and hands them to `serveRenderJobs`; the pool starts workers on that
 * script when the first job comes and gives each one job at a time, the rest waiting in order. Inputs cross to the
 * worker by structured clone (plain objects, strings, numbers, Dates; no functions or class instances), and the
 * document's bytes come back transferred, not copied. A worker that dies fails its job and is replaced by the next
 * job. Size 0 renders in the calling thread, with the renderers the same script exports as `renderers`.
 */

// The `any` is the parameter of each renderer as declared; `run` below gives callers its exact type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Renderers = Record<string, (input: any) => Promise<Buffer> | Buffer>;

export interface RenderPool<R extends Renderers> {
  run<K extends keyof R & string>(kind: K, input: Parameters<R[K]>[0]): Promise<Buffer>;
  /** Ends every worker; jobs still waiting or under way fail. Later jobs fail too. */
  close(): Promise<void>;
}

export interface RenderPoolOptions {
  /** A module that calls `serveRenderJobs(renderers)` and exports the same object as `renderers`. */
  script: URL;
  /** Worker threads at most; 0 renders in the calling thread. */
  size: number;
}

interface Job {
  kind: string;
  input: unknown;
  resolve(body: Buffer): void;
  reject(error: Error): void;
}

interface JobMessage {
  kind: string;
  input: unknown;
}

type ReplyMessage = { ok: true; bytes: ArrayBuffer } | { ok: false; message: string; stack?: string };

/** Marks a worker as the pool's, so a script imported by some other worker thread leaves that thread's messages alone. */
const POOL_WORKER = 'render-pool-worker';
interface PoolWorkerData {
  role: typeof POOL_WORKER;
  script: string;
}

// A TypeScript script is loaded through render-worker.mjs, which says why.
const TYPESCRIPT = /\.[cm]?tsx?$/;
const typescriptEntry = new URL('./render-worker.mjs', import.meta.url);

function startWorkerOn(script: URL): Worker {
  const workerData: PoolWorkerData = { role: POOL_WORKER, script: script.href };
  return new Worker(TYPESCRIPT.test(script.pathname) ? typescriptEntry : script, { workerData });
}

export function createRenderPool<R extends Renderers>(options: RenderPoolOptions): RenderPool<R> {
  if (!Number.isInteger(options.size) || options.size < 0)
    throw new Error(`Render pool size must be 0 or more, not ${options.size}`);
  return options.size === 0 ? inlinePool<R>(options.script) : threadPool<R>(options);
}

function inlinePool<R extends Renderers>(script: URL): RenderPool<R> {
  let renderers: Promise<Renderers> | undefined;
  let closed = false;
  return {
    async run(kind, input) {
      if (closed) throw new Error('The render pool is closed');
      renderers ??= import(script.href).then((module: { renderers?: Renderers }) => {
        if (!module.renderers) throw new Error(`${script.href} exports no renderers`);
        return module.renderers;
      });
      const render = (await renderers)[kind];
      if (!render) throw new Error(`No renderer for ${kind}`);
      return render(input);
    },
    async close() {
      closed = true;
    },
  };
}

function threadPool<R extends Renderers>({ script, size }: RenderPoolOptions): RenderPool<R> {
  const waiting: Job[] = [];
  const idle: Worker[] = [];
  const busy = new Map<Worker, Job>();
  let closed = false;

  const startWorker = () => {
    const worker = startWorkerOn(script);
    worker.unref();
    worker.on('message', (reply: ReplyMessage) => {
      const job = busy.get(worker);
      if (!job) return;
      busy.delete(worker);
      // Idle, it must not keep the process alive; under way, it must, or a process waiting only for it would end.
      worker.unref();
      idle.push(worker);
      if (reply.ok) job.resolve(Buffer.from(reply.bytes));
      else job.reject(Object.assign(new Error(reply.message), reply.stack ? { stack: reply.stack } : {}));
      dispatch();
    });
    // An uncaught error in the worker ends it: 'exit' follows and fails the job with that error.
    let failure: Error | undefined;
    worker.on('error', (error) => {
      failure = error;
    });
    worker.on('messageerror', (error) => {
      failure = error;
      void worker.terminate();
    });
    worker.on('exit', (code) => {
      const job = busy.get(worker);
      busy.delete(worker);
      const idleAt = idle.indexOf(worker);
      if (idleAt >= 0) idle.splice(idleAt, 1);
      job?.reject(
        closed
          ? new Error('The render pool was closed')
          : (failure ?? new Error(`The render worker stopped (exit code ${code})`)),
      );
      if (!closed) dispatch();
    });
    return worker;
  };

  const dispatch = () => {
    while (waiting.length > 0 && (idle.length > 0 || busy.size + idle.length < size)) {
      const job = waiting.shift()!;
      const worker = idle.pop() ?? startWorker();
      busy.set(worker, job);
      worker.ref();
      try {
        worker.postMessage({ kind: job.kind, input: job.input } satisfies JobMessage);
      } catch (error) {
        // The input could not be cloned (a function, a class instance): the worker never saw it.
        busy.delete(worker);
        worker.unref();
        idle.push(worker);
        job.reject(error as Error);
      }
    }
  };

  return {
    run(kind, input) {
      if (closed) return Promise.reject(new Error('The render pool is closed'));
      return new Promise<Buffer>((resolve, reject) => {
        waiting.push({ kind, input, resolve, reject });
        dispatch();
      });
    },
    async close() {
      closed = true;
      for (const job of waiting.splice(0)) job.reject(new Error('The render pool was closed'));
      await Promise.all([...idle, ...busy.keys()].map((worker) => worker.terminate()));
    },
  };
}

/**
 * Called by a worker script with its renderers: in a pool's worker, answers each job with the document's bytes or
 * the renderer's error; anywhere else (the script imported for size 0, or by another worker thread), does nothing.
 */
export function serveRenderJobs(renderers: Renderers): void {
  if (!parentPort || (workerData as Partial<PoolWorkerData> | null)?.role !== POOL_WORKER) return;
  const port = parentPort;
  port.on('message', async ({ kind, input }: JobMessage) => {
    try {
      const render = renderers[kind];
      if (!render) throw new Error(`No renderer for ${kind}`);
      const body = await render(input);
      // A small Buffer may be a slice of Node's shared allocation pool, which must not be handed over whole.
      const whole = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength && body.buffer instanceof ArrayBuffer;
      const bytes = whole ? (body.buffer as ArrayBuffer) : new Uint8Array(body).buffer;
      port.postMessage({ ok: true, bytes } satisfies ReplyMessage, [bytes]);
    } catch (error) {
      const { message, stack } = error instanceof Error ? error : new Error(String(error));
      port.postMessage({ ok: false, message, ...(stack ? { stack } : {}) } satisfies ReplyMessage);
    }
  });
}
