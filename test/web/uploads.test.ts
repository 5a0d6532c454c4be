import { expect } from 'chai';
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import request from 'supertest';
import { contentTypeOfKey, createFileStorage } from '../../src/platform/storage.js';
import { createOrganisation } from '../support/factories.js';
import { fileOptions, filesUnder, HTML, jpegWithExif, MB, minimalPdf, png } from '../support/files.js';
import { useTestApp } from '../support/test-app.js';
import { createUser, csrfFrom, logInAs, TEST_PASSWORD, type LoggedIn } from '../support/users.js';

// Uploads through HTTP with real files made here: the organisation logo and
// the resident's CV. Every attack the issues name — wrong type by magic bytes,
// a polyglot, an oversized file, two files, a path in the file name, no CSRF
// token, someone else's file — ends in a clear 4xx with nothing on disk.

/** The EXIF tag that points at the GPS block (0x8825), in either byte order. */
const hasGpsPointer = (exif: Buffer) => exif.includes(Buffer.from([0x88, 0x25])) || exif.includes(Buffer.from([0x25, 0x88]));

describe('Uploads: organisation logo and resident CV', function () {
  this.timeout(60_000);
  const ctx = useTestApp();

  type Client = LoggedIn & { id: number; email: string };
  const logIn = async (overrides: Parameters<typeof createUser>[1] = {}): Promise<Client> => {
    const user = await createUser(ctx.db, overrides);
    return { ...user, ...(await logInAs(ctx.app, user.email)) };
  };

  const filesOnDisk = () => filesUnder(ctx.uploadsDir);

  let orgAdmin: Client;
  let orgMember: Client;
  let otherOrgAdmin: Client;
  let platformAdmin: Client;
  let slug: string;
  let orgId: number;

  before(async () => {
    const org = await createOrganisation(ctx.db, { name: 'Loggföreningen' });
    const other = await createOrganisation(ctx.db, { name: 'Andra föreningen' });
    orgId = org.id;
    slug = (await ctx.db('organisations').where('id', org.id).first('slug')).slug;
    orgAdmin = await logIn();
    orgMember = await logIn();
    otherOrgAdmin = await logIn();
    platformAdmin = await logIn({ isAdmin: true });
    await ctx.db('organisation_members').insert([
      { organisation_id: org.id, user_id: orgAdmin.id, role: 'admin' },
      { organisation_id: org.id, user_id: orgMember.id, role: 'member' },
      { organisation_id: other.id, user_id: otherOrgAdmin.id, role: 'admin' },
    ]);
  });

  const logoKey = async (): Promise<string | null> =>
    (await ctx.db('organisations').where('id', orgId).first('logo_key')).logo_key;

  /** Posts a logo as the edit page's form does: multipart, the token in the action URL. */
  const uploadLogo = (
    client: LoggedIn,
    bytes: Buffer,
    options: { filename?: string; contentType?: string; csrf?: string | false } = {},
  ) => {
    const csrf = options.csrf === false ? '' : `?_csrf=${encodeURIComponent(options.csrf ?? client.csrf)}`;
    return client.agent
      .post(`/organisationer/${slug}/logo${csrf}`)
      .attach('logo', bytes, fileOptions(options.filename ?? 'logo.png', options.contentType ?? 'image/png'));
  };

  const removeLogo = async () => {
    await orgAdmin.agent.post(`/organisationer/${slug}/logo/ta-bort`).type('form').send({ _csrf: orgAdmin.csrf }).expect(303);
  };

  describe('the logo', () => {
    afterEach(removeLogo);

    it('when the edit page is opened, then it has a multipart form with the token in its action and a described file field', async () => {
      const res = await orgAdmin.agent.get(`/organisationer/${slug}/redigera`).expect(200);
      expect(res.text).to.match(
        new RegExp(`action="/organisationer/${slug}/logo\\?_csrf=[^"]+" method="post" enctype="multipart/form-data"`),
      );
      expect(res.text).to.match(/<label for="logo">/);
      expect(res.text).to.match(/id="logo" name="logo" type="file"[^>]*aria-describedby="logo-hint"/);
    });

    it('when an org admin uploads a PNG, then a WebP of at most 512 × 512 is stored under a server-made key and shown with alt text', async () => {
      const res = await uploadLogo(orgAdmin, await png(800, 600)).expect(303);
      expect(res.headers.location).to.equal(`/organisationer/${slug}/redigera?done=logoSaved`);
      const key = await logoKey();
      expect(key).to.match(/^logos\/[A-Za-z0-9_-]{32}\.webp$/);
      expect(await filesOnDisk()).to.deep.equal([key]);

      const page = await request(ctx.app).get(`/organisationer/${slug}`).expect(200);
      const version = key!.slice('logos/'.length, -'.webp'.length);
      expect(page.text).to.contain(
        `<img class="organisation-logo" src="/organisationer/${slug}/logo?v=${version}" alt="Logotyp för Loggföreningen">`,
      );

      const logo = await request(ctx.app).get(`/organisationer/${slug}/logo?v=${version}`).buffer(true).expect(200);
      expect(logo.headers['content-type']).to.equal('image/webp');
      expect(logo.headers['x-content-type-options']).to.equal('nosniff');
      expect(logo.headers['cache-control']).to.equal('public, max-age=604800, immutable');
      expect(logo.headers['content-security-policy']).to.equal("default-src 'none'; sandbox");
      const meta = await sharp(logo.body as Buffer).metadata();
      expect(meta).to.include({ format: 'webp', width: 512, height: 384 });
      // Without the current version the answer is cached only briefly.
      const unversioned = await request(ctx.app).get(`/organisationer/${slug}/logo`).expect(200);
      expect(unversioned.headers['cache-control']).to.equal('public, max-age=300');
    });

    it('when a JPEG carries EXIF with GPS, then the stored logo has no EXIF left and is turned the right way up', async () => {
      const jpeg = await jpegWithExif({ orientation: 6 });
      const input = await sharp(jpeg).metadata();
      expect(input.orientation).to.equal(6);
      expect(input.exif!.includes('Spionkamera')).to.equal(true);
      expect(hasGpsPointer(input.exif!)).to.equal(true);

      await uploadLogo(orgAdmin, jpeg, { filename: 'IMG_0001.JPG', contentType: 'image/jpeg' }).expect(303);
      const stored = await fs.readFile(path.join(ctx.uploadsDir, (await logoKey())!));
      const meta = await sharp(stored).metadata();
      expect(meta.format).to.equal('webp');
      expect(meta.exif, 'EXIF').to.equal(undefined);
      expect(meta.xmp, 'XMP').to.equal(undefined);
      expect(meta.orientation).to.equal(undefined);
      expect([meta.width, meta.height]).to.deep.equal([100, 300]); // rotated before the tag was dropped
      expect(stored.includes('Spionkamera')).to.equal(false);
      expect(stored.includes('Hemligt')).to.equal(false);
    });

    it('when a WebP is uploaded, then it is accepted too', async () => {
      const webp = await sharp(await png(64, 64))
        .webp()
        .toBuffer();
      await uploadLogo(orgAdmin, webp, { filename: 'logo.webp', contentType: 'image/webp' }).expect(303);
      expect(await logoKey()).to.match(/^logos\/.+\.webp$/);
    });

    it('when a valid JPEG has a script appended, then only the re-encoded picture is stored', async () => {
      const jpeg = await sharp(await png(40, 40))
        .jpeg()
        .toBuffer();
      await uploadLogo(orgAdmin, Buffer.concat([jpeg, HTML]), { contentType: 'image/jpeg' }).expect(303);
      const stored = await fs.readFile(path.join(ctx.uploadsDir, (await logoKey())!));
      expect(stored.includes('<script>')).to.equal(false);
    });

    it('when a new logo replaces the old one, then the old file is deleted', async () => {
      await uploadLogo(orgAdmin, await png(100, 100)).expect(303);
      const first = await logoKey();
      await uploadLogo(orgAdmin, await png(120, 100)).expect(303);
      const second = await logoKey();
      expect(second).to.not.equal(first);
      expect(await filesOnDisk()).to.deep.equal([second]);
    });

    it('when the logo is removed, then the file, the key and the route are gone', async () => {
      await uploadLogo(orgAdmin, await png(100, 100)).expect(303);
      const res = await orgAdmin.agent
        .post(`/organisationer/${slug}/logo/ta-bort`)
        .type('form')
        .send({ _csrf: orgAdmin.csrf })
        .expect(303);
      expect(res.headers.location).to.equal(`/organisationer/${slug}/redigera?done=logoRemoved`);
      expect(await logoKey()).to.equal(null);
      expect(await filesOnDisk()).to.deep.equal([]);
      await request(ctx.app).get(`/organisationer/${slug}/logo`).expect(404);
      const page = await request(ctx.app).get(`/organisationer/${slug}`).expect(200);
      expect(page.text).to.not.contain('organisation-logo');
    });

    it('when a platform admin uploads, then it is stored', async () => {
      await uploadLogo(platformAdmin, await png(50, 50)).expect(303);
      expect(await logoKey()).to.match(/^logos\//);
    });

    const refused: Array<[string, () => Promise<{ bytes: Buffer; filename?: string; contentType?: string }>, number, string]> = [
      [
        'a GIF',
        async () => ({
          bytes: await sharp(await png(20, 20))
            .gif()
            .toBuffer(),
          filename: 'logo.gif',
          contentType: 'image/gif',
        }),
        400,
        'Filen är ingen PNG-, JPEG- eller WebP-bild.',
      ],
      [
        'an SVG with a script',
        async () => ({
          bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
          filename: 'logo.svg',
          contentType: 'image/svg+xml',
        }),
        400,
        'Filen är ingen PNG-, JPEG- eller WebP-bild.',
      ],
      ['an HTML file named .png', async () => ({ bytes: HTML }), 400, 'Filen är ingen PNG-, JPEG- eller WebP-bild.'],
      [
        'a polyglot: a JPEG header followed by HTML',
        async () => ({
          bytes: Buffer.concat([
            (
              await sharp(await png(20, 20))
                .jpeg()
                .toBuffer()
            ).subarray(0, 20),
            HTML,
          ]),
          contentType: 'image/jpeg',
        }),
        400,
        'Bilden går inte att läsa.',
      ],
      [
        'a PNG signature followed by garbage',
        async () => ({ bytes: Buffer.concat([(await png(20, 20)).subarray(0, 16), Buffer.alloc(200, 7)]) }),
        400,
        'Bilden går inte att läsa.',
      ],
      ['a PDF', async () => ({ bytes: minimalPdf(), filename: 'logo.png' }), 400, 'Filen är ingen PNG-, JPEG- eller WebP-bild.'],
      [
        'a file of 2 MB and one byte',
        async () => ({ bytes: Buffer.concat([await png(20, 20), Buffer.alloc(2 * MB, 1)]).subarray(0, 2 * MB + 1) }),
        413,
        'Filen är större än 2 MB.',
      ],
      [
        'a path in the file name',
        async () => ({ bytes: await png(20, 20), filename: '../../etc/passwd.png' }),
        400,
        'Filnamnet får inte innehålla en sökväg.',
      ],
      [
        'a Windows path in the file name',
        async () => ({ bytes: await png(20, 20), filename: '..\\..\\windows\\win.ini.png' }),
        400,
        'Filnamnet får inte innehålla en sökväg.',
      ],
      ['an empty file', async () => ({ bytes: Buffer.alloc(0) }), 400, 'Välj en fil.'],
    ];
    for (const [what, make, status, message] of refused) {
      it(`when ${what} is uploaded, then ${status} beside the field and nothing is stored`, async () => {
        const { bytes, filename, contentType } = await make();
        const res = await uploadLogo(orgAdmin, bytes, { filename, contentType }).expect(status);
        expect(res.text).to.contain('id="logo-error"').and.contain(message);
        expect(res.text).to.match(/id="logo"[^>]*aria-describedby="logo-hint logo-error" aria-invalid="true"/);
        expect(await logoKey()).to.equal(null);
        expect(await filesOnDisk()).to.deep.equal([]);
      });
    }

    it('when two files are sent, then 400 and nothing is stored', async () => {
      const image = await png(20, 20);
      const res = await orgAdmin.agent
        .post(`/organisationer/${slug}/logo?_csrf=${encodeURIComponent(orgAdmin.csrf)}`)
        .attach('logo', image, { filename: 'a.png', contentType: 'image/png' })
        .attach('logo', image, { filename: 'b.png', contentType: 'image/png' })
        .expect(400);
      expect(res.text).to.contain('Skicka en fil i taget.');
      expect(await filesOnDisk()).to.deep.equal([]);
    });

    it('when the file comes in another field, or many fields come along, then 400 and nothing is stored', async () => {
      const url = `/organisationer/${slug}/logo?_csrf=${encodeURIComponent(orgAdmin.csrf)}`;
      await orgAdmin.agent
        .post(url)
        .attach('avatar', await png(20, 20), { filename: 'a.png', contentType: 'image/png' })
        .expect(400);
      const many = orgAdmin.agent.post(url);
      for (let i = 0; i < 10; i++) void many.field(`f${i}`, 'x');
      await many.attach('logo', await png(20, 20), { filename: 'a.png', contentType: 'image/png' }).expect(400);
      await orgAdmin.agent
        .post(url)
        .field('note', 'x'.repeat(5000))
        .attach('logo', await png(20, 20), { filename: 'a.png', contentType: 'image/png' })
        .expect(400);
      expect(await filesOnDisk()).to.deep.equal([]);
    });

    it('when a multipart body is cut off, then 400, not 500', async () => {
      await orgAdmin.agent
        .post(`/organisationer/${slug}/logo?_csrf=${encodeURIComponent(orgAdmin.csrf)}`)
        .set('Content-Type', 'multipart/form-data; boundary=XYZ')
        .send('--XYZ\r\nContent-Disposition: form-data; name="logo"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n\x89PNG')
        .expect(400);
      expect(await filesOnDisk()).to.deep.equal([]);
    });

    it('when no CSRF token, a wrong one, or one only in the multipart body is sent, then 403 and nothing is stored', async () => {
      const image = await png(20, 20);
      await uploadLogo(orgAdmin, image, { csrf: false }).expect(403);
      await uploadLogo(orgAdmin, image, { csrf: 'not-the-token' }).expect(403);
      await orgAdmin.agent
        .post(`/organisationer/${slug}/logo`)
        .field('_csrf', orgAdmin.csrf)
        .attach('logo', image, { filename: 'logo.png', contentType: 'image/png' })
        .expect(403);
      expect(await logoKey()).to.equal(null);
      expect(await filesOnDisk()).to.deep.equal([]);
    });

    it('when a form that is not multipart puts the token in the query string, then it is not accepted', async () => {
      await orgAdmin.agent
        .post(`/organisationer/${slug}/logo/ta-bort?_csrf=${encodeURIComponent(orgAdmin.csrf)}`)
        .type('form')
        .send({})
        .expect(403);
    });

    it('when a plain member, another organisation’s admin or a visitor uploads, then 403/401 and nothing is stored', async () => {
      const image = await png(20, 20);
      await uploadLogo(orgMember, image).expect(403);
      await uploadLogo(otherOrgAdmin, image).expect(403);
      const visitor = request.agent(ctx.app);
      const csrf = csrfFrom((await visitor.get('/logga-in')).text);
      await visitor
        .post(`/organisationer/${slug}/logo?_csrf=${encodeURIComponent(csrf)}`)
        .attach('logo', image, { filename: 'logo.png', contentType: 'image/png' })
        .expect(401);
      await orgMember.agent.post(`/organisationer/${slug}/logo/ta-bort`).type('form').send({ _csrf: orgMember.csrf }).expect(403);
      expect(await logoKey()).to.equal(null);
      expect(await filesOnDisk()).to.deep.equal([]);
    });

    it('when an organisation has no logo or does not exist, then its logo route answers 404', async () => {
      await request(ctx.app).get(`/organisationer/${slug}/logo`).expect(404);
      await request(ctx.app).get('/organisationer/finns-inte/logo').expect(404);
      await request(ctx.app).get('/organisationer/..%2F..%2Fetc/logo').expect(404);
    });
  });

  // -------------------------------------------------------------------------

  describe('the CV', () => {
    let resident: Client;
    let neighbour: Client;

    before(async () => {
      resident = await logIn({ name: 'Cilla CV' });
      neighbour = await logIn();
    });

    const uploadCv = (
      client: LoggedIn,
      bytes: Buffer,
      options: { filename?: string; contentType?: string; csrf?: string | false } = {},
    ) => {
      const csrf = options.csrf === false ? '' : `?_csrf=${encodeURIComponent(options.csrf ?? client.csrf)}`;
      return client.agent
        .post(`/konto/profil/cv${csrf}`)
        .attach('cv', bytes, fileOptions(options.filename ?? 'Mitt CV 2026.pdf', options.contentType ?? 'application/pdf'));
    };
    const cvRow = async (userId: number) =>
      ctx.db('resident_profiles').where('user_id', userId).first('cv_key', 'cv_size', 'cv_uploaded_at');
    const removeCv = (client: LoggedIn) =>
      client.agent.post('/konto/profil/cv/ta-bort').type('form').send({ _csrf: client.csrf }).expect(303);

    afterEach(async () => {
      await removeCv(resident);
    });

    it('when the profile page is opened, then it has a separate multipart CV form with a described file field', async () => {
      const res = await resident.agent.get('/konto/profil').expect(200);
      expect(res.text).to.match(/action="\/konto\/profil\/cv\?_csrf=[^"]+" method="post" enctype="multipart\/form-data"/);
      expect(res.text).to.match(/<label for="cv">/);
      expect(res.text).to.match(/id="cv" name="cv" type="file"[^>]*aria-describedby="cv-hint"/);
      expect(res.text).to.contain('Du har inte laddat upp något CV.');
    });

    it('when a PDF is uploaded, then it is stored under a server-made key, without its name, and only the owner can download it', async () => {
      const pdf = minimalPdf();
      const res = await uploadCv(resident, pdf).expect(303);
      expect(res.headers.location).to.equal('/konto/profil?done=cvSaved');
      const row = await cvRow(resident.id);
      expect(row.cv_key).to.match(/^cvs\/[A-Za-z0-9_-]{32}\.pdf$/);
      expect(row.cv_size).to.equal(pdf.length);
      expect(row.cv_uploaded_at).to.be.instanceOf(Date);
      expect(await filesOnDisk()).to.deep.equal([row.cv_key]);
      const { rows } = await ctx.db.raw(`SELECT to_jsonb(p)::text AS json FROM resident_profiles p WHERE user_id = ?`, [
        resident.id,
      ]);
      expect(rows[0].json).to.not.contain('Mitt CV 2026');

      const page = await resident.agent.get('/konto/profil?done=cvSaved').expect(200);
      expect(page.text).to.contain('Ditt CV är sparat.').and.contain('href="/konto/profil/cv"');

      const download = await resident.agent.get('/konto/profil/cv').buffer(true).expect(200);
      expect(download.headers['content-type']).to.equal('application/pdf');
      expect(download.headers['content-disposition']).to.equal('attachment; filename="cv.pdf"');
      expect(download.headers['x-content-type-options']).to.equal('nosniff');
      expect(download.headers['cache-control']).to.equal('no-store');
      expect(Buffer.compare(download.body as Buffer, pdf)).to.equal(0);

      // Another resident asks the same address: they get their own (none), never mine.
      await neighbour.agent.get('/konto/profil/cv').expect(404);
      const visitor = await request(ctx.app).get('/konto/profil/cv').expect(303);
      expect(visitor.headers.location).to.equal('/logga-in?next=%2Fkonto%2Fprofil%2Fcv');
    });

    it('when a new CV replaces the old one, then the old file is deleted', async () => {
      await uploadCv(resident, minimalPdf('Ett')).expect(303);
      const first = (await cvRow(resident.id)).cv_key;
      await uploadCv(resident, minimalPdf('Tva')).expect(303);
      const second = (await cvRow(resident.id)).cv_key;
      expect(second).to.not.equal(first);
      expect(await filesOnDisk()).to.deep.equal([second]);
    });

    it('when the CV is removed, then a confirmation step comes first, and then the file and its metadata are gone', async () => {
      const noCv = await resident.agent.get('/konto/profil/cv/ta-bort').expect(303);
      expect(noCv.headers.location).to.equal('/konto/profil');
      await uploadCv(resident, minimalPdf()).expect(303);
      const profile = await resident.agent.get('/konto/profil').expect(200);
      expect(profile.text).to.include('href="/konto/profil/cv/ta-bort"').and.not.include('action="/konto/profil/cv/ta-bort"');
      const confirmation = await resident.agent.get('/konto/profil/cv/ta-bort').expect(200);
      expect(confirmation.text).to.include('Vill du ta bort ditt CV?').and.include('action="/konto/profil/cv/ta-bort"');
      expect((await cvRow(resident.id)).cv_key).to.not.equal(null); // asking removes nothing
      const res = await removeCv(resident);
      expect(res.headers.location).to.equal('/konto/profil?done=cvRemoved');
      expect(await cvRow(resident.id)).to.deep.equal({ cv_key: null, cv_size: null, cv_uploaded_at: null });
      expect(await filesOnDisk()).to.deep.equal([]);
      await resident.agent.get('/konto/profil/cv').expect(404);
    });

    it('when the profile form is saved, then the CV stays', async () => {
      await uploadCv(resident, minimalPdf()).expect(303);
      await resident.agent.post('/konto/profil').type('form').send({ _csrf: resident.csrf, bio: 'Hej' }).expect(303);
      expect((await cvRow(resident.id)).cv_key).to.match(/^cvs\//);
    });

    const refused: Array<[string, () => { bytes: Buffer; filename?: string; contentType?: string }, number, string]> = [
      ['an HTML file named .pdf', () => ({ bytes: HTML }), 400, 'Filen är ingen PDF.'],
      [
        'a PNG',
        () => ({ bytes: Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), filename: 'cv.pdf' }),
        400,
        'Filen är ingen PDF.',
      ],
      ['text that mentions %PDF- later', () => ({ bytes: Buffer.from('hello %PDF-1.4 <script>') }), 400, 'Filen är ingen PDF.'],
      [
        'a PDF of 5 MB and one byte',
        () => ({ bytes: Buffer.concat([minimalPdf(), Buffer.alloc(5 * MB, 32)]).subarray(0, 5 * MB + 1) }),
        413,
        'Filen är större än 5 MB.',
      ],
      ['a path in the file name', () => ({ bytes: minimalPdf(), filename: '../../etc/passwd.pdf' }), 400, 'sökväg'],
      ['an empty file', () => ({ bytes: Buffer.alloc(0) }), 400, 'Välj en fil.'],
    ];
    for (const [what, make, status, message] of refused) {
      it(`when ${what} is uploaded as CV, then ${status} beside the field and nothing is stored`, async () => {
        const { bytes, filename, contentType } = make();
        const res = await uploadCv(resident, bytes, { filename, contentType }).expect(status);
        expect(res.text).to.contain('id="cv-error"').and.contain(message);
        expect(res.text).to.match(/id="cv"[^>]*aria-describedby="cv-hint cv-error" aria-invalid="true"/);
        expect((await cvRow(resident.id))?.cv_key ?? null).to.equal(null);
        expect(await filesOnDisk()).to.deep.equal([]);
      });
    }

    it('when the CV is sent without a CSRF token, then 403 and nothing is stored', async () => {
      await uploadCv(resident, minimalPdf(), { csrf: false }).expect(403);
      expect(await filesOnDisk()).to.deep.equal([]);
      await resident.agent.post('/konto/profil/cv/ta-bort').type('form').send({}).expect(403);
    });

    it('when a visitor uploads a CV, then 401 and nothing is stored', async () => {
      const visitor = request.agent(ctx.app);
      const csrf = csrfFrom((await visitor.get('/logga-in')).text);
      await visitor
        .post(`/konto/profil/cv?_csrf=${encodeURIComponent(csrf)}`)
        .attach('cv', minimalPdf(), { filename: 'cv.pdf', contentType: 'application/pdf' })
        .expect(401);
      expect(await filesOnDisk()).to.deep.equal([]);
    });

    it('when the owner downloads their data, then the CV metadata is in it but not the storage key', async () => {
      await uploadCv(resident, minimalPdf()).expect(303);
      const res = await resident.agent.get('/konto/mina-uppgifter.json').expect(200);
      const data = JSON.parse(res.text);
      const [profile] = data['resident_profiles.user_id'];
      expect(profile.cv_size).to.equal(minimalPdf().length);
      expect(profile.cv_uploaded_at).to.be.a('string');
      expect(res.text).to.not.contain('cvs/');
    });

    it('when the account is deleted, then the CV file goes with it', async () => {
      const leaving = await logIn();
      await uploadCv(leaving, minimalPdf()).expect(303);
      const key = (await cvRow(leaving.id)).cv_key as string;
      expect(await filesOnDisk()).to.include(key);
      await leaving.agent.post('/konto/ta-bort').type('form').send({ _csrf: leaving.csrf, password: TEST_PASSWORD }).expect(200);
      expect(await filesOnDisk()).to.not.include(key);
      expect(await ctx.db('resident_profiles').where('user_id', leaving.id).first()).to.equal(undefined);
    });
  });

  // -------------------------------------------------------------------------

  describe('the file storage', () => {
    it('when a key is not one the server makes, then it is refused before touching the disk', async () => {
      const storage = createFileStorage(ctx.uploadsDir);
      for (const key of [
        '../secrets.json.webp',
        'logos/../../x.webp',
        '/etc/passwd.webp',
        'logos/a.b.webp',
        'logos\\a.webp',
        'logos/a.html',
        'logos/a.webp\0',
        'a.webp',
      ]) {
        expect(() => contentTypeOfKey(key), key).to.throw();
        let refused = false;
        await storage.get(key).catch(() => (refused = true));
        expect(refused, key).to.equal(true);
      }
      let mismatch = false;
      await storage.put('logos/abc.webp', HTML, 'text/html').catch(() => (mismatch = true));
      expect(mismatch).to.equal(true);
      expect(await filesOnDisk()).to.deep.equal([]);
    });
  });
});
