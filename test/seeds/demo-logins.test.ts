import { expect } from 'chai';
import type { Knex } from 'knex';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { ASSIGNMENTS } from '../../seeds/demo-content.js';
import { seedDemo } from '../../seeds/demo.js';
import { DEMO_LOGINS, forgetDemoLogins, PILOT_MUNICIPALITIES } from '../../seeds/demo-logins.js';
import { loadActor } from '../../src/modules/access/index.js';
import { parseOrganisationsnummer } from '../../src/platform/identifiers.js';
import { createLogger } from '../../src/platform/logger.js';
import { hasValidLuhnCheckDigit } from '../../src/platform/luhn.js';
import { testServices } from '../support/root-hooks.js';
import { startProcess, type LogLine } from '../support/processes.js';
import { useTestApp, type TestApp } from '../support/test-app.js';
import { csrfFrom, logInAs, postForm } from '../support/users.js';

// One demo account per role (seeds/demo-logins.ts): made by `npm run
// seed:demo` (the same seedDemo the first `npm start` runs), printed in its
// log, usable at once through the real login form, listed at /dev/konton,
// and never made or kept in production.

const ROLES = ['resident', 'member', 'officer', 'admin', 'payroll'];
const PASSWORD = /^[0-9a-hjkmnp-tv-z]{4}(-[0-9a-hjkmnp-tv-z]{4}){3}$/;

interface Printed {
  role: string;
  email: string;
  password: string;
}

/** Runs `npm run seed:demo` against the describe's database, as a user would, and returns its log lines. */
async function runSeedDemo(ctx: TestApp, extraEnv: Record<string, string> = {}): Promise<LogLine[]> {
  const services = testServices();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ub-demo-logins-'));
  try {
    const seed = startProcess('src/cli/seed-demo.ts', {
      DATA_DIR: dataDir,
      DATABASE_URL: ctx.databaseUrl,
      MEILI_HOST: services.meili.host,
      MEILI_MASTER_KEY: services.meili.apiKey ?? '',
      MEILI_INDEX_PREFIX: ctx.config.meili.indexPrefix, // removed with the describe's indexes
      SESSION_SECRET: 'demo-logins-test-session-secret-long-enough',
      DATA_ENCRYPTION_KEY: `test:${Buffer.alloc(32, 7).toString('base64')}`, // required in production
      ...extraEnv,
    });
    expect(await seed.exited(90_000), seed.stderr()).to.equal(0);
    return seed.lines;
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function printedLogins(lines: LogLine[]): Printed[] {
  return lines
    .filter((line) => line.demoLogin === true)
    .map((line) => {
      const [, label = '', email = '', password = ''] = /^\s+(.+?)\s+(\S+@\S+)\s+(\S+)$/.exec(line.msg) ?? [];
      return { role: DEMO_LOGINS.find((spec) => spec.logLabel === label)?.role ?? label, email, password };
    });
}

const countOf = async (query: Knex.QueryBuilder) => Number((await query.count({ count: '*' }))[0]?.count);

/** The /dev/konton table as text: header cells and rows of cells (tags removed). */
function readTable(html: string): { caption: string; headers: string[]; rows: string[][] } {
  const text = (cell: string) =>
    cell
      .replace(/<[^>]+>/g, '')
      .replace(/\s+/g, ' ')
      .trim();
  const table = /<table[^>]*>([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  const thead = /<thead[^>]*>([\s\S]*?)<\/thead>/.exec(table)?.[1] ?? '';
  const tbody = /<tbody[^>]*>([\s\S]*?)<\/tbody>/.exec(table)?.[1] ?? '';
  return {
    caption: text(/<caption>([\s\S]*?)<\/caption>/.exec(table)?.[1] ?? ''),
    headers: [...thead.matchAll(/<th scope="col"[^>]*>([\s\S]*?)<\/th>/g)].map((m) => text(m[1]!)),
    rows: [...tbody.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) =>
      [...row[1]!.matchAll(/<(th scope="row"|td)[^>]*>([\s\S]*?)<\/(th|td)>/g)].map((m) => text(m[2]!)),
    ),
  };
}

describe('Demo logins: npm run seed:demo on an empty database', function () {
  this.timeout(180_000);
  const ctx = useTestApp();
  let lines: LogLine[];
  let printed: Printed[];
  const login = (role: string) => printed.find((entry) => entry.role === role)!;

  before(async function () {
    this.timeout(120_000);
    lines = await runSeedDemo(ctx);
    printed = printedLogins(lines);
  });

  it('when it loads the demo data, then the log prints one login per role once, as one block with a heading', () => {
    expect(printed.map((entry) => entry.role)).to.deep.equal(ROLES);
    for (const entry of printed) {
      expect(entry.email).to.match(/@example\.se$/);
      expect(entry.password).to.match(PASSWORD);
    }
    expect(new Set(printed.map((entry) => entry.password)).size).to.equal(ROLES.length);
    const heading = lines.findIndex((line) => line.msg.startsWith('Demo logins for this new database'));
    expect(heading).to.be.greaterThan(-1);
    expect(lines.slice(heading + 1, heading + 1 + ROLES.length).every((line) => line.demoLogin === true)).to.equal(true);
    // The message is the only place a password appears: no other line, no field.
    for (const line of lines) {
      const others = line.demoLogin === true ? JSON.stringify({ ...line, msg: '' }) : JSON.stringify(line);
      for (const entry of printed) expect(others).to.not.include(entry.password);
    }
  });

  it('when the accounts are stored, then each has a confirmed e-mail and an argon2id hash, never the password', async () => {
    const users = await ctx
      .db('users')
      .whereIn(
        'email',
        printed.map((entry) => entry.email),
      )
      .select('email', 'password_hash', 'email_verified_at');
    expect(users).to.have.length(ROLES.length);
    for (const user of users) {
      expect(user.email_verified_at).to.be.an.instanceOf(Date);
      expect(user.password_hash).to.match(/^\$argon2id\$/);
    }
    expect(await countOf(ctx.db('users').whereNotNull('password_hash'))).to.equal(ROLES.length);
  });

  it('when the resident logs in with the printed password, then their account and demo profile open', async () => {
    const resident = await logInAs(ctx.app, login('resident').email, login('resident').password);
    const profile = await resident.agent.get('/konto/profil').expect(200);
    // Erik Nilsson's competence from the demo content, summed up with a link to /konto/kompetens.
    expect(profile.text).to.include('5 färdigheter, 4 certifikat, 2 språk, synlig för alla.');
  });

  it('when the association member logs in, then they admin an association and see its demo assignments', async () => {
    const member = await logInAs(ctx.app, login('member').email, login('member').password);
    const organisation = await ctx
      .db('organisation_members as om')
      .join('organisations as o', 'o.id', 'om.organisation_id')
      .join('users as u', 'u.id', 'om.user_id')
      .where('u.email', login('member').email)
      .first('o.slug', 'o.type', 'om.role');
    expect(organisation).to.include({ type: 'forening', role: 'admin' });
    const page = await member.agent.get(`/organisationer/${organisation.slug}/uppdrag`).expect(200);
    const titles = ASSIGNMENTS.filter((a) => a.org === 'rusksele').map((a) => a.title);
    expect(titles.length).to.be.greaterThan(0);
    for (const title of titles) expect(page.text).to.include(title);
  });

  it('when the officer logs in, then they hold the officer role for Lycksele, Norsjö and Norrtälje, appointed by the demo admin', async () => {
    await logInAs(ctx.app, login('officer').email, login('officer').password);
    const officer = await ctx.db('users').where('email', login('officer').email).first('id', 'is_admin');
    const actor = await loadActor(ctx.db, { id: Number(officer.id), isAdmin: officer.is_admin, emailVerified: true });
    expect([...actor.officerOf].sort()).to.deep.equal([...PILOT_MUNICIPALITIES].sort());
    expect(actor.isAdmin).to.equal(false);
    const admin = await ctx.db('users').where('email', login('admin').email).first('id');
    const appointedBy = await ctx.db('officer_municipalities').where('user_id', officer.id).pluck('appointed_by');
    expect(appointedBy.map(Number)).to.deep.equal([admin.id, admin.id, admin.id].map(Number));
  });

  it('when the platform admin logs in, then /admin and its officer list open (which the resident gets 404 for)', async () => {
    const admin = await logInAs(ctx.app, login('admin').email, login('admin').password);
    await admin.agent.get('/admin').expect(200);
    const officers = await admin.agent.get('/admin/handlaggare').expect(200);
    expect(officers.text.split(login('officer').email).length - 1).to.equal(3);
    const resident = await logInAs(ctx.app, login('resident').email, login('resident').password);
    await resident.agent.get('/admin').expect(404);
  });

  it('when the payroll staff member logs in, then they are payroll staff appointed by the demo admin, with Lön in the menu', async () => {
    const payroll = await logInAs(ctx.app, login('payroll').email, login('payroll').password);
    const user = await ctx.db('users').where('email', login('payroll').email).first('id', 'is_admin');
    const actor = await loadActor(ctx.db, { id: Number(user.id), isAdmin: user.is_admin, emailVerified: true });
    expect(actor).to.include({ isPayroll: true, isAdmin: false });
    const admin = await ctx.db('users').where('email', login('admin').email).first('id');
    const staff = await ctx.db('payroll_staff').where('user_id', user.id).first('appointed_by');
    expect(Number(staff.appointed_by)).to.equal(Number(admin.id));
    expect((await payroll.agent.get('/konto').expect(200)).text).to.include('<a href="/lon">Lön</a>');
    await payroll.agent.get('/admin').expect(404);
  });

  it('when the demo data is loaded, then the fictional demo operator is in force from 2026-01-01', async () => {
    const operator = await ctx.db('operator_settings').select('valid_from', 'name', 'organisation_number', 'bankgiro');
    expect(operator).to.have.length(1);
    expect(operator[0]).to.include({ valid_from: '2026-01-01', name: 'Uppdragsbanken Egenanställning AB (demo)' });
    expect(parseOrganisationsnummer(operator[0].organisation_number)?.legalPerson).to.equal(true);
    expect(hasValidLuhnCheckDigit(operator[0].bankgiro)).to.equal(true);
  });

  it('when /dev/konton is opened, then it lists the printed logins in a table with Roll, E-post, Lösenord, never cached', async () => {
    const res = await request(ctx.app).get('/dev/konton').expect(200);
    expect(res.headers['cache-control']).to.equal('no-store');
    const table = readTable(res.text);
    expect(table.caption).to.equal('Demokonton i den här databasen');
    expect(table.headers).to.deep.equal(['Roll', 'E-post', 'Lösenord']);
    expect(table.rows).to.deep.equal([
      ['Boende', login('resident').email, login('resident').password],
      ['Föreningsmedlem (administratör)', login('member').email, login('member').password],
      ['Kommunhandläggare', login('officer').email, login('officer').password],
      ['Plattformsadministratör', login('admin').email, login('admin').password],
      ['Lönehandläggare', login('payroll').email, login('payroll').password],
    ]);
    expect(res.text).to.include('href="/logga-in"');

    const english = readTable((await request(ctx.app).get('/dev/konton?lang=en').expect(200)).text);
    expect(english.headers).to.deep.equal(['Role', 'E-mail', 'Password']);
    expect(english.rows.map((row) => row[0])).to.deep.equal([
      'Resident',
      'Association member (admin)',
      'Municipality officer',
      'Platform admin',
      'Payroll staff',
    ]);
  });

  it('when the seed runs a second time, then it loads nothing, prints no logins and the first ones still work', async () => {
    const before = await countOf(ctx.db('users'));
    const again = await runSeedDemo(ctx);
    expect(printedLogins(again)).to.deep.equal([]);
    expect(again.map((line) => line.msg)).to.include('The database already has organisations: demo data not loaded');
    expect(await countOf(ctx.db('users'))).to.equal(before);
    expect(await countOf(ctx.db('demo_logins'))).to.equal(ROLES.length);
    await logInAs(ctx.app, login('resident').email, login('resident').password);
  });

  it('when a demo account changes its password, then /dev/konton no longer shows the old one', async () => {
    const member = await logInAs(ctx.app, login('member').email, login('member').password);
    await postForm(member, '/konto/losenord', {
      currentPassword: login('member').password,
      newPassword: 'ett nytt och långt lösenord',
    }).expect(200);
    const table = readTable((await request(ctx.app).get('/dev/konton').expect(200)).text);
    expect(table.rows[1]).to.deep.equal([
      'Föreningsmedlem (administratör)',
      login('member').email,
      'Ändrat efter att demodata lästes in',
    ]);
    expect(table.rows[0]![2]).to.equal(login('resident').password);
  });
});

describe('Demo logins: a database without them (external database, tests)', () => {
  const ctx = useTestApp();

  it('when /dev/konton is opened, then it says why there are none, and shows no table', async () => {
    const res = await request(ctx.app).get('/dev/konton').expect(200);
    expect(res.headers['cache-control']).to.equal('no-store');
    expect(res.text).to.not.include('<table');
    expect(res.text).to.include('Den här databasen har inga demokonton.');
  });

  it('when demo data is seeded without logins (as in production), then no account has a password', async () => {
    const { logins } = await seedDemo(ctx.db, () => {});
    expect(logins).to.deep.equal([]);
    expect(await countOf(ctx.db('demo_logins'))).to.equal(0);
    expect(await countOf(ctx.db('users').whereNotNull('password_hash'))).to.equal(0);
  });
});

describe('Demo logins in production', function () {
  this.timeout(180_000);
  const ctx = useTestApp((deps) => ({ config: { ...deps.config, isProduction: true } }));

  it('when /dev/konton is asked for, then it does not exist', async () => {
    await request(ctx.app).get('/dev/konton').expect(404);
  });

  it('when npm run seed:demo runs with NODE_ENV=production, then it loads the demo data but makes no login', async () => {
    const lines = await runSeedDemo(ctx, {
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://uppdragsbanken.test',
      DATA_ENCRYPTION_KEY: `demo:${Buffer.alloc(32, 1).toString('base64')}`,
    });
    expect(lines.some((line) => line.msg.startsWith('Demo data loaded'))).to.equal(true);
    expect(printedLogins(lines)).to.deep.equal([]);
    expect(await countOf(ctx.db('demo_logins'))).to.equal(0);
    expect(await countOf(ctx.db('users').whereNotNull('password_hash'))).to.equal(0);
  });
});

describe('Demo logins: a database seeded in development and then started in production', () => {
  const ctx = useTestApp();

  it('when forgetDemoLogins runs (as a production start does), then the passwords are gone and no longer log in', async () => {
    const { logins } = await seedDemo(ctx.db, () => {}, { logins: true });
    expect(logins.map((entry) => entry.role)).to.deep.equal(ROLES);
    const admin = logins.find((entry) => entry.role === 'admin')!;
    await logInAs(ctx.app, admin.email, admin.password);

    expect(await forgetDemoLogins(ctx.db, createLogger({ logLevel: 'silent' }))).to.equal(ROLES.length);
    expect(await countOf(ctx.db('demo_logins'))).to.equal(0);
    const agent = request.agent(ctx.app);
    const form = await agent.get('/logga-in').expect(200);
    await agent
      .post('/logga-in')
      .type('form')
      .send({ email: admin.email, password: admin.password, _csrf: csrfFrom(form.text) })
      .expect(401);
    expect(await forgetDemoLogins(ctx.db, createLogger({ logLevel: 'silent' }))).to.equal(0);
  });
});
