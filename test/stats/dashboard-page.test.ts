import { expect } from 'chai';
import request from 'supertest';
import { createDashboardHistory, APPLICANT } from '../support/stats-history.js';
import { useTestApp } from '../support/test-app.js';
import { createUser, logInAs, type LoggedIn } from '../support/users.js';
import { addDays, todayInStockholm } from '../../src/platform/calendar.js';

// The officer's dashboard (issue 13 items 1–3): who sees it (the municipality's officers and admins; 404 for
// everyone else), what it shows of a small hand-made history (every figure of fewer than 5 as "<5"), the filter
// form (kept values, 400 beside the field, hostile input escaped) and a page fit for the strict CSP.

const LYCKSELE = '2481';
const NORSJO = '2417';
const PATH = `/statistik/kommun/${LYCKSELE}`;

/** The text of the page without tags, spaces folded: what a reader sees. */
const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;|\s+/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

describe('Statistics dashboard: /statistik/kommun/:code', () => {
  const ctx = useTestApp();
  let officer: LoggedIn;
  let history: Awaited<ReturnType<typeof createDashboardHistory>>;

  before(async function () {
    this.timeout(60_000);
    history = await createDashboardHistory(ctx.db);
    const user = await createUser(ctx.db);
    await ctx.db('officer_municipalities').insert({ user_id: user.id, municipality_code: LYCKSELE });
    officer = await logInAs(ctx.app, user.email);
  });

  it('shows the officer the figures of their municipality, small ones as "<5" with the explanation', async () => {
    const res = await officer.agent.get(`${PATH}?period=last30`).expect(200);
    const text = textOf(res.text);
    expect(text).to.include('Statistik för Lycksele kommun');
    expect(text).to.include('Färre än 5 personer eller uppdrag: visas inte för att ingen ska kunna pekas ut.');
    // 15 assignments posted, 0 before: no percentage, said in words.
    expect(res.text).to.match(/Publicerade uppdrag<\/span>\s*<span class="stats-figure-value">15<\/span>/);
    expect(text).to.include('Antalet publicerade uppdrag var noll föregående period');
    // The second village had 2: "<5" in the map's table, never the number.
    expect(res.text).to.match(new RegExp(`<th scope="row">${history.small.name}</th><td class="numeric">&lt;5</td>`));
    // Six workers were paid 1 000 kr each.
    expect(res.text).to.match(/Utbetald bruttolön<\/span>\s*<span class="stats-figure-value">6\s000 kr<\/span>/);
    // The unanswered list: titles and the organisation (escaped), no person.
    expect(text).to.include('Skotta taket 1');
    expect(res.text).to.include('&lt;script&gt;alert(&#34;org&#34;)&lt;/script&gt; Byaföreningen');
    expect(res.text).not.to.include('<script>alert');
    expect(res.text).not.to.include(APPLICANT.name);
    expect(res.text).not.to.include(APPLICANT.email);
    expect(res.text).not.to.include('Arbetare Hemlig');
    // Links to the exports with the same query.
    expect(res.text).to.include(`href="${PATH}/export.csv?period=last30"`);
    expect(res.text).to.include(`href="${PATH}/export.xlsx?period=last30"`);
  });

  it('writes one sentence per chart and draws charts that a strict CSP allows', async () => {
    const res = await officer.agent.get(`${PATH}?period=last30`).expect(200);
    expect(res.text.match(/<svg[^>]*class="chart"/g) ?? []).to.have.length(4);
    expect(res.text.match(/class="stats-summary"/g) ?? []).to.have.length(4);
    expect(res.text).not.to.match(/<style/i);
    expect(res.text).not.to.match(/\sstyle=/i);
    expect(res.text).to.include(`Flest uppdrag publicerades i ${history.big.name} (7).`);
    expect(res.text).to.include('/css/stats.css');
  });

  it('keeps the chosen filters in the form', async () => {
    const res = await officer.agent
      .get(
        `${PATH}?period=custom&from=${addDays(todayInStockholm(), -40)}&to=${todayInStockholm()}&category=snorojning&village=${history.big.id}`,
      )
      .expect(200);
    expect(res.text).to.match(/<option value="custom" selected>/);
    expect(res.text).to.include(`value="${addDays(todayInStockholm(), -40)}"`);
    expect(res.text).to.match(/<option value="snorojning" selected>/);
    expect(res.text).to.match(new RegExp(`<option value="${history.big.id}" selected>`));
    expect(res.text).to.include(`export.csv?period=custom&amp;from=${addDays(todayInStockholm(), -40)}`);
  });

  it('answers a bad query with 400, the message beside the field and the typed values kept', async () => {
    const res = await officer.agent.get(`${PATH}?period=custom&from=2026-13-45&to=igår&category=snorojning`).expect(400);
    expect(res.text).to.include('id="from-error"');
    expect(res.text).to.include('aria-invalid="true"');
    expect(res.text).to.include('value="2026-13-45"');
    expect(res.text).to.match(/<option value="snorojning" selected>/);
    expect(res.text).to.include('Skriv ett datum som ÅÅÅÅ-MM-DD');

    const future = await officer.agent.get(`${PATH}?period=custom&from=2020-01-01&to=2999-01-01`).expect(400);
    expect(future.text).to.include('id="to-error"');

    const period = await officer.agent.get(`${PATH}?period=decade`).expect(400);
    expect(period.text).to.include('id="period-error"');
    expect(period.text).to.include('Välj en av perioderna i listan.');

    const village = await officer.agent.get(`${PATH}?village=99999999`).expect(400);
    expect(village.text).to.include('id="village-error"');

    const repeated = await officer.agent.get(`${PATH}?period=year&period=month&category[a]=b`).expect(400);
    expect(repeated.text).to.include('id="period-error"');
  });

  it('escapes hostile input in every query value', async () => {
    const hostile = '"><script>alert(1)</script>';
    const sql = "' OR 1=1 --";
    for (const field of ['period', 'from', 'to', 'category', 'village']) {
      for (const value of [hostile, sql]) {
        const res = await officer.agent.get(PATH).query({ period: 'custom', [field]: value });
        expect(res.status, `${field}=${value}`).to.equal(400);
        expect(res.text).not.to.include('<script>alert(1)');
        expect(res.text).not.to.match(/\sstyle=/i);
      }
    }
  });

  it('is not there for anyone but the officers of the municipality and admins', async () => {
    await request(ctx.app).get(PATH).expect(404);
    await request(ctx.app).get(`${PATH}/export.csv`).expect(404);
    const resident = await createUser(ctx.db);
    const residentClient = await logInAs(ctx.app, resident.email);
    await residentClient.agent.get(PATH).expect(404);
    await residentClient.agent.get(`${PATH}/export.xlsx`).expect(404);
    await residentClient.agent.get('/statistik/kommun').expect(404);
    // An officer of Lycksele asking for Norsjö.
    await officer.agent.get(`/statistik/kommun/${NORSJO}`).expect(404);
    await officer.agent.get(`/statistik/kommun/${NORSJO}/export.csv`).expect(404);
    await officer.agent.get('/statistik/kommun/abc').expect(404);
    const admin = await createUser(ctx.db, { isAdmin: true });
    const adminClient = await logInAs(ctx.app, admin.email);
    await adminClient.agent.get(`/statistik/kommun/${NORSJO}`).expect(200);
  });

  it('is linked from the officer’s account page, and not from a resident’s', async () => {
    const account = await officer.agent.get('/konto').expect(200);
    expect(account.text).to.include('<a href="/statistik/kommun">Statistik för din kommun</a>');
    const resident = await createUser(ctx.db);
    const residentClient = await logInAs(ctx.app, resident.email);
    expect((await residentClient.agent.get('/konto').expect(200)).text).not.to.include('/statistik/kommun');
  });

  it('takes the officer from /statistik/kommun to their municipality, keeping the query', async () => {
    const res = await officer.agent.get('/statistik/kommun').expect(303);
    expect(res.headers.location).to.equal(PATH);
    const chosen = await officer.agent.get(`/statistik/kommun?kommun=${LYCKSELE}&period=year&category=`).expect(303);
    expect(chosen.headers.location).to.equal(`${PATH}?period=year`);
  });

  it('shows the English texts in English', async () => {
    const res = await officer.agent.get(`${PATH}?period=last30&lang=en`).expect(200);
    expect(res.text).to.include('Statistics for Lycksele kommun');
    expect(res.text).to.include('Fewer than 5 people or assignments');
  });
});
