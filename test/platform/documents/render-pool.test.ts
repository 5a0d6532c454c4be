import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { threadId } from 'node:worker_threads';
import { createRenderPool, type RenderPool } from '../../../src/platform/documents/render-pool.js';
import type { EchoAnswer, renderers } from './fixtures/echo-worker.js';

// The pool with a real worker script (fixtures/echo-worker.ts) in real threads, loaded through tsx as the app's are.

const script = new URL('./fixtures/echo-worker.ts', import.meta.url);
const answerOf = (body: Buffer) => JSON.parse(body.toString('utf8')) as EchoAnswer;

describe('render pool (platform/documents/render-pool.ts)', function () {
  // Each worker loads TypeScript through tsx when it starts: a second or two on a busy machine.
  this.timeout(30_000);
  let pool: RenderPool<typeof renderers> | undefined;
  afterEach(async () => {
    await pool?.close();
    pool = undefined;
  });

  it('gives back what the worker rendered, as a Buffer, off the calling thread, with Dates intact', async () => {
    pool = createRenderPool<typeof renderers>({ script, size: 2 });
    const small = await pool.run('echo', { text: 'Åsa Öberg', date: new Date('2026-04-01T10:00:00Z') });
    expect(Buffer.isBuffer(small)).to.equal(true);
    const answer = answerOf(small);
    expect(answer).to.include({ text: 'Åsa Öberg', date: '2026-04-01T10:00:00.000Z' });
    expect(answer.thread).to.not.equal(threadId);
    // Large enough for its own memory rather than a slice of Node's shared small-buffer pool.
    const large = await pool.run('echo', { text: 'stor', padding: 200_000 });
    expect(answerOf(large).padding).to.have.length(200_000);
  });

  it('runs jobs side by side, one per worker, up to its size', async () => {
    pool = createRenderPool<typeof renderers>({ script, size: 2 });
    // Each job waits until both are under way at once: only two threads running together get there.
    const meeting = { counter: new Int32Array(new SharedArrayBuffer(4)), expected: 2 };
    const answers = (await Promise.all([pool.run('echo', { text: 'a', meeting }), pool.run('echo', { text: 'b', meeting })])).map(
      answerOf,
    );
    expect(answers.map((answer) => [answer.text, answer.met])).to.deep.equal([
      ['a', true],
      ['b', true],
    ]);
    expect(answers[0]!.thread).to.not.equal(answers[1]!.thread);
    // More jobs than workers wait their turn and all come back, each to its own caller.
    const texts = Array.from({ length: 7 }, (_, index) => `job ${index}`);
    const more = await Promise.all(texts.map((text) => pool!.run('echo', { text })));
    expect(more.map((body) => answerOf(body).text)).to.deep.equal(texts);
    expect(new Set(more.map((body) => answerOf(body).thread)).size).to.be.at.most(2);
  });

  it('rejects a job that throws with its message and goes on with the next', async () => {
    pool = createRenderPool<typeof renderers>({ script, size: 1 });
    let error: unknown;
    await pool.run('fail', 'Noto Sans saknas').catch((thrown: unknown) => (error = thrown));
    expect(error).to.be.instanceOf(Error).with.property('message', 'Noto Sans saknas');
    expect(answerOf(await pool.run('echo', { text: 'efter' })).text).to.equal('efter');
  });

  it('rejects an input that cannot be cloned without losing the worker', async () => {
    pool = createRenderPool<typeof renderers>({ script, size: 1 });
    const notCloneable = { text: 'funktion', toString: () => 'x' } as unknown as { text: string };
    let error: unknown;
    await pool.run('echo', notCloneable).catch((thrown: unknown) => (error = thrown));
    expect(error).to.be.instanceOf(Error).with.property('name', 'DataCloneError');
    expect(answerOf(await pool.run('echo', { text: 'efter' })).text).to.equal('efter');
  });

  it('rejects the job of a worker that dies, and starts another for the next job', async () => {
    pool = createRenderPool<typeof renderers>({ script, size: 1 });
    const before = answerOf(await pool.run('echo', { text: 'före' })).thread;
    let error: unknown;
    await pool.run('crash', 3).catch((thrown: unknown) => (error = thrown));
    expect(error).to.be.instanceOf(Error);
    expect((error as Error).message).to.match(/exit code 3/);
    const after = answerOf(await pool.run('echo', { text: 'efter' })).thread;
    expect(after).to.not.equal(before);
  });

  it('on close, fails the jobs under way and waiting, ends its workers and takes no more jobs', async () => {
    pool = createRenderPool<typeof renderers>({ script, size: 1 });
    await pool.run('echo', { text: 'started' });
    const underWay = pool.run('hang', undefined).then(
      () => 'rendered',
      (error: Error) => error.message,
    );
    const waiting = pool.run('echo', { text: 'waiting' }).then(
      () => 'rendered',
      (error: Error) => error.message,
    );
    await pool.close();
    expect(await underWay).to.match(/closed/);
    expect(await waiting).to.match(/closed/);
    let error: unknown;
    await pool.run('echo', { text: 'too late' }).catch((thrown: unknown) => (error = thrown));
    expect(error)
      .to.be.instanceOf(Error)
      .with.property('message')
      .that.matches(/closed/);
  });

  it('with size 0, renders in the calling thread with the script’s own renderers', async () => {
    pool = createRenderPool<typeof renderers>({ script, size: 0 });
    const answer = answerOf(await pool.run('echo', { text: 'här', date: new Date('2026-04-01T10:00:00Z') }));
    expect(answer).to.include({ text: 'här', thread: threadId, date: '2026-04-01T10:00:00.000Z' });
    let error: unknown;
    await pool.run('fail', 'inline').catch((thrown: unknown) => (error = thrown));
    expect(error).to.be.instanceOf(Error).with.property('message', 'inline');
  });

  it('keeps no process alive once its jobs are done, even unclosed', async () => {
    // fixtures/unclosed-pool.ts renders once and ends without closing the pool; were a worker to hold it, the
    // timeout would kill it and fail the test.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [...process.execArgv, fileURLToPath(new URL('./fixtures/unclosed-pool.ts', import.meta.url))],
      { timeout: 20_000 },
    );
    expect(stdout.trim()).to.equal('ensam');
  });
});
