import { expect } from 'chai';
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import request from 'supertest';
import { assignmentPath } from '../../src/modules/assignments/index.js';
import { createOrganisation, createTestAssignment } from '../support/factories.js';
import { fileOptions, filesUnder, HTML, jpegWithExif, MB, minimalPdf, png } from '../support/files.js';
import { useTestApp } from '../support/test-app.js';
import { createUser, csrfFrom, logInAs, type LoggedIn } from '../support/users.js';

// Attachments of an assignment through HTTP, with real files made here:
// members of the organisation attach images (re-encoded, EXIF gone, a
// thumbnail made) and PDFs to an editable assignment; at most six, also when
// uploads race; every refused upload stores nothing; drafts' files are only
// the members', published ones everyone's.

describe('Attachments of an assignment', function () {
  this.timeout(120_000);
  const ctx = useTestApp();

  type Client = LoggedIn & { id: number };
  const logIn = async (): Promise<Client> => {
    const user = await createUser(ctx.db);
    return { ...user, ...(await logInAs(ctx.app, user.email)) };
  };

  const filesOnDisk = () => filesUnder(ctx.uploadsDir);

  let member: Client;
  let resident: Client;
  let otherOrg: Client;
  let orgId: number;
  let slug: string;

  before(async () => {
    const org = await createOrganisation(ctx.db, { name: 'Bilageföreningen' });
    const other = await createOrganisation(ctx.db, { name: 'Grannföreningen' });
    orgId = org.id;
    slug = (await ctx.db('organisations').where('id', org.id).first('slug')).slug;
    member = await logIn();
    resident = await logIn();
    otherOrg = await logIn();
    await ctx.db('organisation_members').insert([
      { organisation_id: org.id, user_id: member.id, role: 'member' },
      { organisation_id: other.id, user_id: otherOrg.id, role: 'admin' },
    ]);
  });

  const draft = () => createTestAssignment(ctx.db, { organisationId: orgId, status: 'draft', title: 'Måla ladan' });

  const upload = (
    client: LoggedIn | undefined,
    id: number,
    bytes: Buffer,
    options: { filename?: string; contentType?: string; csrf?: string | false } = {},
  ) => {
    const agent = client?.agent ?? request(ctx.app);
    const token = options.csrf ?? client?.csrf;
    const csrf = options.csrf === false || !token ? '' : `?_csrf=${encodeURIComponent(token)}`;
    return agent
      .post(`/organisationer/${slug}/uppdrag/${id}/bilagor${csrf}`)
      .attach('attachment', bytes, fileOptions(options.filename ?? 'bild.png', options.contentType ?? 'image/png'));
  };

  const rows = (id: number) =>
    ctx.db('assignment_attachments').where('assignment_id', id).orderBy('position').select('*') as Promise<
      Array<{ id: string; kind: string; storage_key: string; thumbnail_key: string | null; position: number; byte_size: number }>
    >;

  const fileUrl = (id: number, attachmentId: string | number, thumbnail = false) =>
    `/uppdrag/${id}/bilagor/${attachmentId}${thumbnail ? '/miniatyr' : ''}`;

  it('when the edit page is opened, then it has a multipart "Bifoga fil" form with the token in its action', async () => {
    const id = await draft();
    const res = await member.agent.get(`/organisationer/${slug}/uppdrag/${id}/redigera`).expect(200);
    expect(res.text).to.match(
      new RegExp(
        `action="/organisationer/${slug}/uppdrag/${id}/bilagor\\?_csrf=[^"]+" method="post" enctype="multipart/form-data"`,
      ),
    );
    expect(res.text).to.contain('<label for="attachment">Bifoga fil</label>');
  });

  it('when a member attaches a PNG, then a WebP of at most 1600 px and a 400 px thumbnail are stored under server-made keys and served', async () => {
    const id = await draft();
    const res = await upload(member, id, await png(2400, 1200), { filename: 'ladan.png' }).expect(303);
    expect(res.headers.location).to.equal(`/organisationer/${slug}/uppdrag/${id}/redigera?done=attachmentSaved#bilagor`);
    const [row] = await rows(id);
    expect(row).to.include({ kind: 'image', position: 1 });
    expect(row!.storage_key).to.match(/^attachments\/[A-Za-z0-9_-]{32}\.webp$/);
    expect(row!.thumbnail_key).to.match(/^attachments\/[A-Za-z0-9_-]{32}\.webp$/);
    expect(await filesOnDisk()).to.include.members([row!.storage_key, row!.thumbnail_key]);
    expect((await filesOnDisk()).some((file) => file.includes('ladan'))).to.equal(false);

    const full = await member.agent.get(fileUrl(id, row!.id)).buffer(true).expect(200);
    expect(full.headers['content-type']).to.equal('image/webp');
    expect(full.headers['x-content-type-options']).to.equal('nosniff');
    expect(full.headers['content-disposition']).to.match(/^inline/);
    expect(await sharp(full.body as Buffer).metadata()).to.include({ format: 'webp', width: 1600, height: 800 });

    const thumb = await member.agent
      .get(fileUrl(id, row!.id, true))
      .buffer(true)
      .expect(200);
    expect(thumb.headers['content-type']).to.equal('image/webp');
    expect(thumb.headers['x-content-type-options']).to.equal('nosniff');
    expect(await sharp(thumb.body as Buffer).metadata()).to.include({ format: 'webp', width: 400, height: 200 });

    const page = await member.agent.get(`/organisationer/${slug}/uppdrag/${id}/redigera`).expect(200);
    expect(page.text).to.contain(`/organisationer/${slug}/uppdrag/${id}/bilagor/${row!.id}/ta-bort`);
    expect(page.text).to.contain('Ta bort');
  });

  it('when a JPEG carries EXIF with GPS, then neither stored file keeps any of it', async () => {
    const id = await draft();
    const jpeg = await jpegWithExif();
    expect((await sharp(jpeg).metadata()).exif!.includes('Spionkamera')).to.equal(true);
    await upload(member, id, jpeg, { filename: 'IMG_0001.JPG', contentType: 'image/jpeg' }).expect(303);
    const [row] = await rows(id);
    for (const key of [row!.storage_key, row!.thumbnail_key!]) {
      const stored = await fs.readFile(path.join(ctx.uploadsDir, key));
      const meta = await sharp(stored).metadata();
      expect(meta.format).to.equal('webp');
      expect(meta.exif, 'EXIF').to.equal(undefined);
      expect(meta.xmp, 'XMP').to.equal(undefined);
      expect(stored.includes('Spionkamera')).to.equal(false);
    }
  });

  it('when a member attaches a PDF, then it is stored as sent and served as a download named bilaga-<n>.pdf', async () => {
    const id = await draft();
    const pdf = minimalPdf();
    await upload(member, id, pdf, { filename: 'karta.pdf', contentType: 'application/pdf' }).expect(303);
    const [row] = await rows(id);
    expect(row).to.include({ kind: 'pdf', thumbnail_key: null, byte_size: pdf.length, position: 1 });
    expect(row!.storage_key).to.match(/^attachments\/[A-Za-z0-9_-]{32}\.pdf$/);
    const res = await member.agent.get(fileUrl(id, row!.id)).buffer(true).expect(200);
    expect(res.headers['content-type']).to.equal('application/pdf');
    expect(res.headers['x-content-type-options']).to.equal('nosniff');
    expect(res.headers['content-disposition']).to.equal('attachment; filename="bilaga-1.pdf"');
    expect(Buffer.compare(res.body as Buffer, pdf)).to.equal(0);
    await member.agent.get(fileUrl(id, row!.id, true)).expect(404); // a PDF has no thumbnail
  });

  it('when the assignment is a draft, then its files are 404 to visitors, residents and other organisations but 200 to members', async () => {
    const id = await draft();
    await upload(member, id, await png(100, 100)).expect(303);
    const [row] = await rows(id);
    for (const url of [fileUrl(id, row!.id), fileUrl(id, row!.id, true)]) {
      await request(ctx.app).get(url).expect(404);
      await resident.agent.get(url).expect(404);
      await otherOrg.agent.get(url).expect(404);
      const own = await member.agent.get(url).expect(200);
      expect(own.headers['cache-control']).to.equal('private, no-store');
    }
    // An attachment asked for under another assignment's id does not exist.
    const other = await draft();
    await member.agent.get(fileUrl(other, row!.id)).expect(404);
  });

  it('when the assignment is published, then its files are public and its page shows thumbnails with alt text and PDF links', async () => {
    const id = await draft();
    await upload(member, id, await png(500, 300)).expect(303);
    await upload(member, id, minimalPdf(), { filename: 'karta.pdf', contentType: 'application/pdf' }).expect(303);
    await upload(member, id, await png(300, 500)).expect(303);
    const [image1, pdf, image2] = await rows(id);

    // The preview shows them before publishing.
    const preview = await member.agent.get(`/organisationer/${slug}/uppdrag/${id}/forhandsgranska`).expect(200);
    expect(preview.text).to.contain('alt="Bild 1 till uppdraget Måla ladan"');

    await member.agent
      .post(`/organisationer/${slug}/uppdrag/${id}/publicera`)
      .type('form')
      .send({ _csrf: member.csrf })
      .expect(303);
    const base = `${assignmentPath({ id, title: 'Måla ladan' })}/bilagor`;
    const page = await request(ctx.app)
      .get(assignmentPath({ id, title: 'Måla ladan' }))
      .expect(200);
    expect(page.text).to.contain(
      `<a href="${base}/${image1!.id}"><img src="${base}/${image1!.id}/miniatyr" alt="Bild 1 till uppdraget Måla ladan"`,
    );
    expect(page.text).to.contain(
      `<a href="${base}/${image2!.id}"><img src="${base}/${image2!.id}/miniatyr" alt="Bild 2 till uppdraget Måla ladan"`,
    );
    expect(page.text).to.contain(`<a href="${base}/${pdf!.id}" download>`);

    const full = await request(ctx.app).get(`${base}/${image1!.id}`).expect(200);
    expect(full.headers['cache-control']).to.equal('public, max-age=300');
    await request(ctx.app).get(`${base}/${image1!.id}/miniatyr`).expect(200);
    const file = await request(ctx.app).get(`${base}/${pdf!.id}`).expect(200);
    expect(file.headers['content-disposition']).to.equal(`attachment; filename="bilaga-${pdf!.position}.pdf"`);

    // Hidden by moderation: gone for everyone.
    await ctx.db('assignments').where('id', id).update({ hidden_at: new Date() });
    await request(ctx.app).get(`${base}/${image1!.id}`).expect(404);
  });

  it('when eight uploads race for one assignment, then exactly six are stored and the rest get 409', async () => {
    const id = await draft();
    const before = await filesOnDisk();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        upload(member, id, minimalPdf(`Fil ${i}`), { filename: `fil-${i}.pdf`, contentType: 'application/pdf' }),
      ),
    );
    const statuses = results.map((res) => res.status).sort();
    expect(statuses).to.deep.equal([303, 303, 303, 303, 303, 303, 409, 409]);
    const stored = await rows(id);
    expect(stored.map((row) => row.position)).to.deep.equal([1, 2, 3, 4, 5, 6]);
    // The refused uploads' files were deleted again.
    const added = (await filesOnDisk()).filter((file) => !before.includes(file));
    expect(added.sort()).to.deep.equal(stored.map((row) => row.storage_key).sort());

    // A seventh later: 409 with the message beside the field, nothing stored.
    const res = await upload(member, id, await png(50, 50)).expect(409);
    expect(res.text).to.match(/<p class="field-error" id="attachment-error">Uppdraget har redan 6 bifogade filer/);
    expect(res.text).to.match(/id="attachment" name="attachment" type="file"[^>]*aria-invalid="true"/);
    expect(await rows(id)).to.have.length(6);
    expect((await filesOnDisk()).length).to.equal(before.length + 6);
  });

  describe('refused uploads store nothing', () => {
    let id: number;
    let before: string[];
    beforeEach(async () => {
      id = await draft();
      before = await filesOnDisk();
    });
    afterEach(async () => {
      expect(await rows(id)).to.deep.equal([]);
      expect(await filesOnDisk()).to.deep.equal(before);
    });

    it('when the bytes are HTML named and declared as PNG, then 400 with a message beside the field', async () => {
      const res = await upload(member, id, HTML, { filename: 'bild.png', contentType: 'image/png' }).expect(400);
      expect(res.text).to.contain('Filen är ingen PNG-, JPEG- eller WebP-bild och ingen PDF.');
    });

    it('when a PDF is declared but the bytes are an executable, then 400', async () => {
      const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(2000, 1)]);
      await upload(member, id, exe, { filename: 'karta.pdf', contentType: 'application/pdf' }).expect(400);
    });

    it('when an image is larger than 5 MB, then 413', async () => {
      const big = Buffer.concat([await png(20, 20), Buffer.alloc(5 * MB + 10, 7)]);
      const res = await upload(member, id, big).expect(413);
      expect(res.text).to.contain('Bilden är större än 5 MB');
    });

    it('when a PDF is larger than 10 MB, then 413', async () => {
      const big = Buffer.concat([minimalPdf(), Buffer.alloc(10 * MB + 10, 32)]);
      await upload(member, id, big, { filename: 'stor.pdf', contentType: 'application/pdf' }).expect(413);
    });

    it('when two files come in one request, then 400', async () => {
      await member.agent
        .post(`/organisationer/${slug}/uppdrag/${id}/bilagor?_csrf=${encodeURIComponent(member.csrf)}`)
        .attach('attachment', await png(20, 20), fileOptions('a.png', 'image/png'))
        .attach('attachment', await png(20, 20), fileOptions('b.png', 'image/png'))
        .expect(400);
    });

    it('when the file name carries a path, then 400', async () => {
      await upload(member, id, await png(20, 20), { filename: '../../../etc/passwd.png' }).expect(400);
    });

    it('when the image does not decode, then 400', async () => {
      const broken = (await png(200, 200)).subarray(0, 120);
      await upload(member, id, broken).expect(400);
    });

    it('when there is no CSRF token, then 403', async () => {
      await upload(member, id, await png(20, 20), { csrf: false }).expect(403);
    });

    it('when a visitor, a resident or another organisation uploads, then 401 or 403', async () => {
      const visitor = request.agent(ctx.app);
      const visitorCsrf = csrfFrom((await visitor.get('/logga-in').expect(200)).text);
      await upload({ agent: visitor, csrf: visitorCsrf }, id, await png(20, 20)).expect(401);
      await upload(resident, id, await png(20, 20)).expect(403);
      await upload(otherOrg, id, await png(20, 20)).expect(403);
    });

    it('when the assignment is cancelled, then 409', async () => {
      await ctx.db('assignments').where('id', id).update({ status: 'cancelled' });
      await upload(member, id, await png(20, 20)).expect(409);
    });
  });

  it('when a member removes an attachment, then its row and both files are gone and others cannot remove', async () => {
    const id = await draft();
    await upload(member, id, await png(200, 200)).expect(303);
    const [row] = await rows(id);
    const remove = (client: LoggedIn) =>
      client.agent
        .post(`/organisationer/${slug}/uppdrag/${id}/bilagor/${row!.id}/ta-bort`)
        .type('form')
        .send({ _csrf: client.csrf });
    await remove(resident).expect(403);
    await remove(otherOrg).expect(403);
    await member.agent.post(`/organisationer/${slug}/uppdrag/${id}/bilagor/${row!.id}/ta-bort`).type('form').expect(403); // no token

    const res = await remove(member).expect(303);
    expect(res.headers.location).to.equal(`/organisationer/${slug}/uppdrag/${id}/redigera?done=attachmentRemoved#bilagor`);
    expect(await rows(id)).to.deep.equal([]);
    const files = await filesOnDisk();
    expect(files).to.not.include(row!.storage_key);
    expect(files).to.not.include(row!.thumbnail_key);
    await member.agent.get(fileUrl(id, row!.id)).expect(404);
    await remove(member).expect(404);
  });
});
