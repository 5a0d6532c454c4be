import { expect } from 'chai';
import express, { type ErrorRequestHandler } from 'express';
import { Readable } from 'node:stream';
import request from 'supertest';
import { asciiFilename, contentDisposition, sendDownload, type Download } from '../../src/web/downloads.js';

function appSending(download: () => Download) {
  const app = express();
  app.get('/fil', async (_req, res) => {
    await sendDownload(res, download());
  });
  const errorPage: ErrorRequestHandler = (error: Error, _req, res, _next) => {
    if (res.headersSent) return void res.end();
    res.status(500).type('text/plain').send(`error page: ${error.message}`);
  };
  app.use(errorPage);
  return app;
}

/** The name a browser saves the file as: the RFC 5987 `filename*` when present. */
function savedName(disposition: string): string {
  const match = /filename\*=UTF-8''([^;]+)/.exec(disposition);
  if (!match) throw new Error(`no filename* in ${disposition}`);
  return decodeURIComponent(match[1]!);
}

describe('web/downloads', () => {
  it('when a Buffer is sent, then it arrives whole with type, length, a safe name and no caching', async () => {
    const body = Buffer.from('%PDF-1.7 Åsa');
    const response = await request(
      appSending(() => ({ filename: 'Faktura 1024 Åsa Öberg.pdf', contentType: 'application/pdf', body })),
    )
      .get('/fil')
      .buffer(true)
      .parse((res, callback) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => callback(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect((response.body as Buffer).equals(body)).to.equal(true);
    expect(response.headers).to.include({
      'content-type': 'application/pdf',
      'content-length': String(body.length),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
      'content-disposition': `attachment; filename="Faktura_1024_Asa_Oberg.pdf"; filename*=UTF-8''Faktura%201024%20%C3%85sa%20%C3%96berg.pdf`,
    });
  });

  it('when the name holds Swedish and Sámi letters, then the ASCII name drops their marks and filename* keeps them', () => {
    const name = 'Lönebesked Áilu Ŋuolla Čeavččageađge Ŧeahkká Žužžu Šiellá Đuoddara (mars).pdf';
    const disposition = contentDisposition(name);
    expect(disposition).to.match(
      /^attachment; filename="Lonebesked_Ailu_Nuolla_Ceavccageadge_Teahkka_Zuzzu_Siella_Duoddara_mars.pdf"; /,
    );
    expect(savedName(disposition)).to.equal(name);
    expect(disposition).to.include('%28mars%29'); // ( and ) are not RFC 5987 attr-chars
    expect(disposition).to.match(/^[\x20-\x7e]+$/); // a header value in plain ASCII
  });

  it('when the name tries a path, quotes or a header break, then none of it gets through', () => {
    const disposition = contentDisposition('../../etc/pass"wd\r\nSet-Cookie: a=b.csv', 'inline');
    expect(disposition).to.match(/^inline; filename="pass_wd_Set-Cookie_a_b.csv"; filename\*=UTF-8''/);
    expect(savedName(disposition)).to.equal('pass_wd__Set-Cookie_ a=b.csv');
    expect(savedName(disposition)).not.to.match(/[\r\n"/\\]/);
    expect(disposition).not.to.match(/[\r\n]/);
    expect(asciiFilename('..')).to.equal('download');
    expect(asciiFilename('Åäö.xlsx')).to.equal('Aao.xlsx');
    expect(asciiFilename('   ')).to.equal('download');
    expect(asciiFilename('Rapport ___ 2026 .csv')).to.equal('Rapport_2026.csv');
  });

  it('when a stream is sent, then it is piped through with the same headers and no length', async () => {
    const response = await request(
      appSending(() => ({
        filename: 'export.csv',
        contentType: 'text/csv; charset=utf-8',
        body: Readable.from(['Namn;By\r\n', 'Åsa;Rusksele\r\n']),
      })),
    )
      .get('/fil')
      .expect(200);
    expect(response.text).to.equal('Namn;By\r\nÅsa;Rusksele\r\n');
    expect(response.headers['content-length']).to.equal(undefined);
    expect(response.headers['content-disposition']).to.equal(`attachment; filename="export.csv"; filename*=UTF-8''export.csv`);
    expect(response.headers['cache-control']).to.equal('no-store');
  });

  it('when a stream fails before its first bytes, then the error page is shown, not a download', async () => {
    const failing = () =>
      new Readable({
        read() {
          this.destroy(new Error('query failed'));
        },
      });
    const response = await request(appSending(() => ({ filename: 'export.csv', contentType: 'text/csv', body: failing() })))
      .get('/fil')
      .expect(500);
    expect(response.text).to.equal('error page: query failed');
    expect(response.headers['content-disposition']).to.equal(undefined);
  });

  it('when a stream fails midway, then the response is cut short instead of ending like a whole file', async () => {
    async function* halfThenFail() {
      yield 'Namn;By\r\n';
      await new Promise((resolve) => setTimeout(resolve, 10));
      throw new Error('connection lost');
    }
    const app = appSending(() => ({ filename: 'export.csv', contentType: 'text/csv', body: Readable.from(halfThenFail()) }));
    let failure: unknown;
    try {
      await request(app).get('/fil');
    } catch (error) {
      failure = error;
    }
    expect(failure, 'the client must see the download fail').to.be.instanceOf(Error);
  });
});
