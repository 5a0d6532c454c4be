import { expect } from 'chai';
import sharp from 'sharp';
import request from 'supertest';
import { issueTestInvoice } from '../support/billing-factories-d.js';
import { insertSalary } from '../support/payroll-factories-p2.js';
import { createApplication, createOrganisation, createStoredMail, createTestAssignment } from '../support/factories.js';
import { createSavedSearch } from '../support/saved-search-factories.js';
import { registeredRoutes } from '../support/routes.js';
import { useTestApp } from '../support/test-app.js';
import { createUser, csrfFrom, logInAs } from '../support/users.js';

// Every registered route, asked by every role: the answer must be the one in
// ACCESS. A route missing from the table fails the test, so a new route cannot
// ship without someone deciding who may use it.
//
// Outcomes: ok = answered (2xx, 3xx elsewhere, or 400 for an empty form);
// login = sent to the login page; 401 = login refused; 403 = forbidden;
// 404 = does not exist for this role.

const ROLES = ['visitor', 'resident', 'memberA', 'memberB', 'officerX', 'officerY', 'payroll', 'admin'] as const;
type Role = (typeof ROLES)[number];
type Outcome = 'ok' | 'login' | '401' | '403' | '404';
type Rule = Outcome | Partial<Record<Role | 'others', Outcome>>;

const everyone = 'ok';
const adminOnly: Rule = { admin: 'ok', others: '404' };
const loggedIn: Rule = { visitor: 'login', others: 'ok' };

const ACCESS: Record<string, Rule> = {
  // Billing rows (issue 11) are added beside their routes' neighbours; payroll staff are a role of their own.
  'GET /healthz': everyone,
  'GET /api/v1/assignments': everyone,
  'GET /api/v1/openapi.json': everyone,
  'GET /api/v1/salary-estimate': everyone, // 400 without its parameters
  'GET /egenanstallning/rakna': everyone,
  // Statistics (issue 13): open data for everyone; the dashboard for officers of the municipality (X: 2481) and admins.
  'GET /api/v1/statistics': everyone,
  'GET /statistik': everyone,
  'GET /statistik/data.csv': everyone,
  'GET /statistik/kommun': { officerX: 'ok', officerY: 'ok', admin: 'ok', others: '404' },
  'GET /statistik/kommun/:code': { officerX: 'ok', admin: 'ok', others: '404' },
  'GET /statistik/kommun/:code/export.csv': { officerX: 'ok', admin: 'ok', others: '404' },
  'GET /statistik/kommun/:code/export.xlsx': { officerX: 'ok', admin: 'ok', others: '404' },
  'GET /uppdrag.atom': everyone,
  'GET /uppdrag': everyone,
  // Find people (issue 15): for everyone; what each sees is scoped in the service (test/skills/people-search.test.ts).
  'GET /kompetens': everyone,
  'GET /': everyone,
  'GET /uppdrag/:ref': everyone,
  'GET /registrera': everyone,
  'POST /registrera': everyone, // 400 for the empty form
  'GET /logga-in': everyone,
  'POST /logga-in': '401', // an empty login fails alike for everyone
  'POST /logga-ut': everyone,
  'GET /verifiera-epost': everyone, // 400 page without a token
  'POST /verifiera-epost': everyone,
  'GET /konto': loggedIn,
  'GET /glomt-losenord': everyone,
  'POST /glomt-losenord': everyone,
  'GET /aterstall-losenord': everyone, // 400 page without a token
  'POST /aterstall-losenord': everyone,
  'GET /bekrafta-ny-epost': everyone,
  'POST /bekrafta-ny-epost': everyone,
  'GET /konto/losenord': loggedIn,
  'POST /konto/losenord': { visitor: '401', others: 'ok' },
  'GET /konto/epost': loggedIn,
  'POST /konto/epost': { visitor: '401', others: 'ok' },
  'GET /konto/mina-uppgifter': loggedIn,
  'GET /konto/profil': loggedIn,
  'POST /konto/profil': { visitor: '401', others: 'ok' },
  // Only ever the asker's own CV, and nobody here has one: 404 for every user.
  'GET /konto/profil/cv': { visitor: 'login', others: '404' },
  'POST /konto/profil/cv': { visitor: '401', others: 'ok' }, // 400: no file
  'GET /konto/profil/cv/ta-bort': { visitor: 'login', others: 'ok' }, // 303 to the profile without a CV
  'POST /konto/profil/cv/ta-bort': { visitor: '401', others: 'ok' },
  // The competence profile (issue 15): one's own. :offerId and :confirmationId are the resident's (the offer is
  // removed last); anyone else's is a 404. The resident's card (:publicId) is shown to organisations: their members
  // and the owner see it, everyone else gets the 404 of a card that does not exist.
  'GET /konto/kompetens': loggedIn,
  'POST /konto/kompetens': { visitor: '401', others: 'ok' }, // 400: the empty form
  'GET /konto/kompetens/erbjudanden/ny': loggedIn,
  'POST /konto/kompetens/erbjudanden/ny': { visitor: '401', others: 'ok' }, // 400: the empty form
  'GET /konto/kompetens/erbjudanden/:offerId': { visitor: 'login', resident: 'ok', others: '404' },
  'POST /konto/kompetens/erbjudanden/:offerId': { visitor: '401', resident: 'ok', others: '404' },
  'GET /konto/kompetens/erbjudanden/:offerId/ta-bort': { visitor: 'login', resident: 'ok', others: '404' },
  'POST /konto/kompetens/erbjudanden/:offerId/ta-bort': { visitor: '401', resident: 'ok', others: '404' },
  'POST /konto/kompetens/bekraftelser/:confirmationId': { visitor: '401', resident: 'ok', others: '404' },
  'GET /kompetens/person/:publicId': { resident: 'ok', memberA: 'ok', memberB: 'ok', others: '404' },
  // Invitations to apply (issue 15): organisation members invite from the card (the resident's, shown to
  // organisations); the empty form is a 400 ("ok"); anyone without an organisation is refused. The resident's own
  // invitations and learn-from-each-other page are their own (the empty contact form: 400).
  'GET /kompetens/person/:publicId/bjud-in': { visitor: 'login', memberA: 'ok', memberB: 'ok', others: '403' },
  'POST /kompetens/person/:publicId/bjud-in': { visitor: '401', memberA: 'ok', memberB: 'ok', others: '403' },
  'GET /konto/kompetens/inbjudningar': loggedIn,
  'GET /konto/lara-av-varandra': loggedIn,
  'POST /konto/lara-av-varandra/kontakt': { visitor: '401', others: 'ok' },
  'GET /konto/mina-uppgifter.json': loggedIn,
  'POST /konto/ta-bort': { visitor: '401', others: 'ok' }, // 400: the empty form has no password
  // The simplified-enterprise account: one's own. The empty activation form is a 400; nobody here has an
  // account, so changing it or showing its number is a 404 for every user.
  'GET /konto/egenanstallning': loggedIn,
  'POST /konto/egenanstallning': { visitor: '401', others: 'ok' },
  'POST /konto/egenanstallning/bankkonto': { visitor: '401', others: '404' },
  'POST /konto/egenanstallning/skatt': { visitor: '401', others: '404' },
  'POST /konto/egenanstallning/visa-personnummer': { visitor: '401', others: '404' },
  'GET /organisationer/ny': loggedIn,
  'POST /organisationer/ny': { visitor: '401', others: 'ok' },
  'GET /konto/organisationer': loggedIn,
  'GET /lagg-ut-uppdrag': everyone, // the guide for visitors; members are sent on to their new-assignment form
  'GET /inbjudan': everyone,
  'POST /inbjudan': { visitor: '401', others: 'ok' },
  'GET /organisationer/:slug': everyone,
  'GET /organisationer/:slug/redigera': { visitor: 'login', memberA: 'ok', admin: 'ok', others: '403' },
  'POST /organisationer/:slug/redigera': { visitor: '401', memberA: 'ok', admin: 'ok', others: '403' },
  // Organisation A has a logo (see before); the GET is registered before the removal below.
  'GET /organisationer/:slug/logo': everyone,
  'POST /organisationer/:slug/logo': { visitor: '401', memberA: 'ok', admin: 'ok', others: '403' }, // 400: no file
  'POST /organisationer/:slug/logo/ta-bort': { visitor: '401', memberA: 'ok', admin: 'ok', others: '403' },
  'POST /organisationer/:slug/verifiera': adminOnly,
  'GET /organisationer/:slug/medlemmar': { visitor: 'login', memberA: 'ok', admin: 'ok', others: '403' },
  'POST /organisationer/:slug/medlemmar/bjud-in': { visitor: '401', memberA: 'ok', admin: 'ok', others: '403' },
  // :inviteId and :userId below name organisation B's invite and member under organisation A's path
  // (see params): another organisation's object is a 404 for the allowed roles; others are refused first.
  'GET /organisationer/:slug/medlemmar/inbjudningar/:inviteId/aterkalla': {
    visitor: 'login',
    memberA: '404',
    admin: '404',
    others: '403',
  },
  'POST /organisationer/:slug/medlemmar/inbjudningar/:inviteId/aterkalla': {
    visitor: '401',
    memberA: '404',
    admin: '404',
    others: '403',
  },
  'POST /organisationer/:slug/medlemmar/:userId/roll': { visitor: '401', memberA: '404', admin: '404', others: '403' },
  // Confirmation steps (a page that posts to the action): refused as the action itself would be, visitors to the login.
  'GET /organisationer/:slug/medlemmar/:userId/ta-bort': { visitor: 'login', memberA: '404', admin: '404', others: '403' },
  'POST /organisationer/:slug/medlemmar/:userId/ta-bort': { visitor: '401', memberA: '404', admin: '404', others: '403' },
  // Posting: members of organisation A only. :assignmentId is a draft of A; publish, cancel
  // and close run in this order (→ 303, 303, then 409 for a cancelled one: all "ok").
  'GET /organisationer/:slug/uppdrag': { visitor: 'login', memberA: 'ok', others: '403' },
  'GET /organisationer/:slug/uppdrag/nytt': { visitor: 'login', memberA: 'ok', others: '403' },
  'POST /organisationer/:slug/uppdrag/nytt': { visitor: '401', memberA: 'ok', others: '403' }, // 400: empty form
  'GET /organisationer/:slug/uppdrag/:assignmentId/redigera': { visitor: 'login', memberA: 'ok', others: '403' },
  'POST /organisationer/:slug/uppdrag/:assignmentId/redigera': { visitor: '401', memberA: 'ok', others: '403' },
  'GET /organisationer/:slug/uppdrag/:assignmentId/forhandsgranska': { visitor: 'login', memberA: 'ok', others: '403' },
  'POST /organisationer/:slug/uppdrag/:assignmentId/publicera': { visitor: '401', memberA: 'ok', others: '403' },
  'GET /organisationer/:slug/uppdrag/:assignmentId/avbryt': { visitor: 'login', memberA: 'ok', others: '403' },
  'POST /organisationer/:slug/uppdrag/:assignmentId/avbryt': { visitor: '401', memberA: 'ok', others: '403' },
  'POST /organisationer/:slug/uppdrag/:assignmentId/stang': { visitor: '401', memberA: 'ok', others: '403' },
  // Registered after the others: the draft is cancelled by then, so 409 for members ("ok").
  'GET /organisationer/:slug/uppdrag/:assignmentId/klar': { visitor: 'login', memberA: 'ok', others: '403' }, // 409: nobody accepted
  'POST /organisationer/:slug/uppdrag/:assignmentId/klar': { visitor: '401', memberA: 'ok', others: '403' },
  // By now the draft is cancelled: 409 for members (deletion is for drafts only).
  'GET /organisationer/:slug/uppdrag/:assignmentId/ta-bort': { visitor: 'login', memberA: 'ok', others: '403' },
  'POST /organisationer/:slug/uppdrag/:assignmentId/ta-bort': { visitor: '401', memberA: 'ok', others: '403' },
  // Feedback: the two sides of the application only (409 for them: not accepted, not completed);
  // everyone else, platform admins too, 404.
  'GET /ansokningar/:applicationId/omdome': { visitor: 'login', resident: 'ok', memberA: 'ok', others: '404' },
  'POST /ansokningar/:applicationId/omdome': { visitor: '401', resident: 'ok', memberA: 'ok', others: '404' },
  // Confirming skills after completed work (issue 15): the organisation's members only (:assignmentId is A's draft:
  // 409 "not completed" for them, "ok"); everyone else is refused.
  'GET /kompetens/bekrafta/:assignmentId': { visitor: 'login', memberA: 'ok', others: '403' },
  'POST /kompetens/bekrafta/:assignmentId': { visitor: '401', memberA: 'ok', others: '403' },
  // Messages: the two sides of the application only; everyone else, platform admins too, 404.
  // The empty form is a 400 (or 409 once the application is no longer open): "ok".
  'GET /ansokningar/:applicationId/meddelanden': { visitor: 'login', resident: 'ok', memberA: 'ok', others: '404' },
  'POST /ansokningar/:applicationId/meddelanden': { visitor: '401', resident: 'ok', memberA: 'ok', others: '404' },
  // Notifications: one's own. :notificationId is the resident's; anyone else's is a 404.
  'GET /konto/notiser': loggedIn,
  'POST /konto/notiser/lasta': { visitor: '401', others: 'ok' },
  'POST /konto/notiser/:notificationId/oppna': { visitor: '401', resident: 'ok', others: '404' },
  'GET /konto/notiser/installningar': loggedIn,
  'POST /konto/notiser/installningar': { visitor: '401', others: 'ok' },
  // Saved searches: one's own. :savedSearchId is the resident's (deleted last); anyone else's is a 404.
  // The unsubscribe link needs no login: without a token it is a 400 page for everyone.
  'GET /konto/bevakningar': loggedIn,
  'GET /konto/bevakningar/ny': loggedIn,
  'POST /konto/bevakningar/ny': { visitor: '401', others: 'ok' }, // 400: the empty form
  'GET /konto/bevakningar/:savedSearchId/redigera': { visitor: 'login', resident: 'ok', others: '404' },
  'POST /konto/bevakningar/:savedSearchId/redigera': { visitor: '401', resident: 'ok', others: '404' },
  'GET /konto/bevakningar/:savedSearchId/ta-bort': { visitor: 'login', resident: 'ok', others: '404' },
  'POST /konto/bevakningar/:savedSearchId/ta-bort': { visitor: '401', resident: 'ok', others: '404' },
  'GET /bevakningar/avsluta': everyone,
  'POST /bevakningar/avsluta': everyone,
  'GET /bevakningar/avsluta/ett-klick': everyone, // → the page with the button
  'POST /bevakningar/avsluta/ett-klick': everyone, // 400: no token
  // Applications. The resident has applied to :ref already (400 for the empty form before that
  // 409); members of its organisation may not apply (403); anyone else gets 400 for the empty form.
  'GET /konto/ansokningar': loggedIn,
  // Invoices: :invoiceId is organisation A's invoice for the resident's work; platform admins are no party to it.
  'GET /organisationer/:slug/fakturor': { visitor: 'login', memberA: 'ok', others: '403' },
  'GET /konto/fakturor': loggedIn,
  'GET /fakturor/:invoiceId/pdf': { visitor: 'login', resident: 'ok', memberA: 'ok', payroll: 'ok', others: '404' },
  // Payslips: :salaryId is the salary of the resident's invoice, the worker's own only (payroll staff too get 404).
  'GET /konto/lonebesked': loggedIn,
  'GET /konto/lonebesked/:salaryId/pdf': { visitor: 'login', resident: 'ok', others: '404' },
  'GET /konto/lonebesked/ar/:year/pdf': loggedIn,
  'GET /konto/lonebesked/ar/:year/csv': loggedIn,
  'POST /uppdrag/:ref/ansok': { visitor: '401', memberA: '403', others: 'ok' },
  // :applicationId is the resident's application to :ref: its two sides only, 404 for all others.
  'GET /ansokningar/:applicationId': { visitor: 'login', resident: 'ok', memberA: 'ok', others: '404' },
  // The CV is for the organisation's members (the resident has none here: 404); the applicant has /konto/profil/cv.
  'GET /ansokningar/:applicationId/cv': { visitor: 'login', resident: '403', others: '404' },
  // Decisions run in this order: shortlisted, accepted (:ref fills up), declined → 409, withdrawn by
  // the resident (:ref opens again).
  'POST /ansokningar/:applicationId/kortlista': { visitor: '401', resident: '403', memberA: 'ok', others: '404' },
  'POST /ansokningar/:applicationId/acceptera': { visitor: '401', resident: '403', memberA: 'ok', others: '404' },
  'POST /ansokningar/:applicationId/avboj': { visitor: '401', resident: '403', memberA: 'ok', others: '404' },
  'GET /ansokningar/:applicationId/aterkalla': { visitor: 'login', resident: 'ok', memberA: '403', others: '404' },
  'POST /ansokningar/:applicationId/aterkalla': { visitor: '401', resident: 'ok', memberA: '403', others: '404' },
  // Billing bases. The worker's pages name the resident's application (withdrawn by now: 409 for the
  // resident, "ok"); its organisation's members are refused (403), everyone else does not see it (404).
  'GET /konto/fakturaunderlag': loggedIn,
  'GET /konto/fakturaunderlag/:applicationId': { visitor: 'login', resident: 'ok', memberA: '403', others: '404' },
  'POST /konto/fakturaunderlag/:applicationId': { visitor: '401', resident: 'ok', memberA: '403', others: '404' },
  'POST /konto/fakturaunderlag/:applicationId/skicka': { visitor: '401', resident: 'ok', memberA: '403', others: '404' },
  'POST /konto/fakturaunderlag/:applicationId/utlagg': { visitor: '401', resident: 'ok', memberA: '403', others: '404' },
  'POST /konto/fakturaunderlag/:applicationId/utlagg/:expenseId/ta-bort': {
    visitor: '401',
    resident: 'ok',
    memberA: '403',
    others: '404',
  },
  // :basisId is the resident's disputed basis with organisation A, :expenseId its receipt: the worker, A's
  // members and payroll. Approval and dispute answer A's members 409 (not waiting): "ok".
  'GET /fakturaunderlag/:basisId/kvitton/:expenseId': {
    visitor: 'login',
    resident: 'ok',
    memberA: 'ok',
    payroll: 'ok',
    others: '404',
  },
  'GET /organisationer/:slug/fakturaunderlag': { visitor: 'login', memberA: 'ok', others: '403' },
  'GET /organisationer/:slug/fakturaunderlag/:basisId': { visitor: 'login', memberA: 'ok', others: '403' },
  'GET /organisationer/:slug/fakturaunderlag/:basisId/godkann': { visitor: 'login', memberA: 'ok', others: '403' },
  'POST /organisationer/:slug/fakturaunderlag/:basisId/godkann': { visitor: '401', memberA: 'ok', others: '403' },
  'POST /organisationer/:slug/fakturaunderlag/:basisId/bestrid': { visitor: '401', memberA: 'ok', others: '403' },
  // Payroll's queue: payroll staff only, no such place for anyone else. Payroll's empty forms are 400s;
  // :paymentId is a payment that matched no invoice.
  'GET /lon': { payroll: 'ok', others: '404' },
  'POST /lon/betalningar': { payroll: 'ok', others: '404' },
  'POST /lon/bankfil': { payroll: 'ok', others: '404' },
  'POST /lon/betalningar/:paymentId/koppla': { payroll: 'ok', others: '404' },
  'GET /lon/arbetsgivardeklaration': { payroll: 'ok', others: '404' },
  'GET /lon/arbetsgivardeklaration.xml': { payroll: 'ok', others: '404' },
  'GET /lon/loner': { payroll: 'ok', others: '404' },
  'GET /lon/fakturor': { payroll: 'ok', others: '404' },
  'GET /lon/fakturor/:invoiceId': { payroll: 'ok', others: '404' },
  'POST /lon/fakturor/:invoiceId/kreditera': { payroll: 'ok', others: '404' }, // 400 for payroll: no reason
  'GET /lon/logg': { payroll: 'ok', others: '404' },
  'GET /lon/loner/csv': { payroll: 'ok', others: '404' },
  // Payroll's books: the files answer payroll 400 without a period ("ok").
  'GET /lon/bokforing': { payroll: 'ok', others: '404' },
  'GET /lon/bokforing.se': { payroll: 'ok', others: '404' },
  'GET /lon/bokforing/fakturor.csv': { payroll: 'ok', others: '404' },
  'GET /lon/bokforing/betalningar.csv': { payroll: 'ok', others: '404' },
  'GET /lon/bokforing/loner.csv': { payroll: 'ok', others: '404' },
  'POST /lon/loner/utbetalda': { payroll: 'ok', others: '404' }, // 400 for payroll: nothing chosen
  'GET /organisationer/:slug/uppdrag/:assignmentId/ansokningar': { visitor: 'login', memberA: 'ok', others: '403' },
  'POST /admin/uppdrag/:assignmentId/godkann': adminOnly, // 409 for the admin: nothing to approve
  'GET /admin/uppdrag/:assignmentId/granska': adminOnly, // 409 for the admin: nothing waits for review
  'POST /admin/uppdrag/:assignmentId/skicka-tillbaka': adminOnly, // 400 for the admin: no reason
  // Attachments. The upload answers 400 to members (no file); the removal names an
  // attachment of the published assignment under the draft's id, so 404 for members.
  'POST /organisationer/:slug/uppdrag/:assignmentId/bilagor': { visitor: '401', memberA: 'ok', others: '403' },
  'POST /organisationer/:slug/uppdrag/:assignmentId/bilagor/:attachmentId/ta-bort': {
    visitor: '401',
    memberA: '404',
    others: '403',
  },
  // An image attached to the published assignment: public, with its thumbnail.
  'GET /uppdrag/:ref/bilagor/:attachmentId': everyone,
  'GET /uppdrag/:ref/bilagor/:attachmentId/miniatyr': everyone,
  // Moderation. Reporting is for everyone (400 for the empty form); the queue and its actions
  // for platform admins only. Empty forms: hide, warn and suspend 400; restore and lift 409
  // (nothing hidden or suspended); :reportId is an open report on :ref, dismissed by the admin.
  'GET /uppdrag/:ref/rapportera': everyone,
  'POST /uppdrag/:ref/rapportera': everyone,
  'GET /uppdrag/:ref/rapportera/tack': everyone,
  'GET /admin/moderering': adminOnly,
  'POST /admin/uppdrag/:assignmentId/dolj': adminOnly,
  'POST /admin/uppdrag/:assignmentId/aterstall': adminOnly,
  'POST /admin/rapporter/:reportId/avfarda': adminOnly,
  'POST /admin/organisationer/:slug/varna': adminOnly,
  'POST /admin/organisationer/:slug/stang-av': adminOnly,
  'POST /admin/organisationer/:slug/oppna': adminOnly,
  'GET /admin': adminOnly,
  'GET /admin/handlaggare': adminOnly,
  'POST /admin/handlaggare': adminOnly,
  'POST /admin/handlaggare/ta-bort': adminOnly,
  'GET /admin/operator': adminOnly,
  'GET /admin/logg': adminOnly,
  'POST /admin/operator': adminOnly, // 400: the empty form
  'GET /admin/lon': adminOnly,
  'POST /admin/lon': adminOnly, // 400: the empty form
  'GET /admin/kompetens': adminOnly,
  'GET /admin/kompetens/sammanfoga': adminOnly,
  'POST /admin/kompetens/sammanfoga': adminOnly, // 400: the empty form
  'POST /admin/lon/ta-bort': adminOnly, // 400: no user named
  // Development only (absent in production, see test/app/production.test.ts).
  'GET /dev/mail': everyone,
  'GET /dev/mail/:id': everyone,
  'GET /dev/mail/:id/html': everyone,
  'GET /dev/konton': everyone,
  'GET /dev/komponenter': everyone,
  'POST /dev/komponenter/exempel': everyone, // the examples' buttons: back to the page
};

const expected = (rule: Rule, role: Role): Outcome => (typeof rule === 'string' ? rule : (rule[role] ?? rule.others ?? 'ok'));

describe('Access: every route × every role', function () {
  this.timeout(120_000);
  const ctx = useTestApp();
  const params: Record<string, string> = {};
  const agents = {} as Record<Role, { agent: ReturnType<typeof request.agent>; csrf: string }>;
  const emails = {} as Record<Role, string>;

  /** A visitor with a session that holds a CSRF token (from the login form). */
  const visitorAgent = async () => {
    const agent = request.agent(ctx.app);
    return { agent, csrf: csrfFrom((await agent.get('/logga-in').expect(200)).text) };
  };

  before(async () => {
    const orgA = await createOrganisation(ctx.db, { name: 'Förening A' });
    const orgB = await createOrganisation(ctx.db, { name: 'Förening B' });
    const assignment = await createTestAssignment(ctx.db, { organisationId: orgA.id });
    params[':ref'] = String(assignment);
    params[':assignmentId'] = String(await createTestAssignment(ctx.db, { organisationId: orgA.id, status: 'draft' }));
    params[':id'] = String(await createStoredMail(ctx.db));
    params[':slug'] = (await ctx.db('organisations').where('id', orgA.id).first('slug')).slug;
    const logo = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#2a6' } })
      .webp()
      .toBuffer();
    await ctx.deps.storage.put('logos/access-test.webp', logo, 'image/webp');
    await ctx.db('organisations').where('id', orgA.id).update({ logo_key: 'logos/access-test.webp' });
    await ctx.deps.storage.put('attachments/access-full.webp', logo, 'image/webp');
    await ctx.deps.storage.put('attachments/access-thumb.webp', logo, 'image/webp');
    const [attachment] = await ctx
      .db('assignment_attachments')
      .insert({
        assignment_id: assignment,
        storage_key: 'attachments/access-full.webp',
        thumbnail_key: 'attachments/access-thumb.webp',
        kind: 'image',
        byte_size: logo.length,
        position: 1,
      })
      .returning('id');
    params[':attachmentId'] = String(attachment.id);

    const users: Record<Exclude<Role, 'visitor'>, { id: number; email: string }> = {
      resident: await createUser(ctx.db),
      memberA: await createUser(ctx.db),
      memberB: await createUser(ctx.db),
      officerX: await createUser(ctx.db),
      officerY: await createUser(ctx.db),
      payroll: await createUser(ctx.db),
      admin: await createUser(ctx.db, { isAdmin: true }),
    };
    await ctx.db('payroll_staff').insert({ user_id: users.payroll.id });
    await ctx.db('organisation_members').insert([
      { organisation_id: orgA.id, user_id: users.memberA.id, role: 'admin' },
      { organisation_id: orgB.id, user_id: users.memberB.id, role: 'admin' },
    ]);
    // Organisation B's invite and member, named under organisation A's path below.
    const [invite] = await ctx
      .db('organisation_invites')
      .insert({
        organisation_id: orgB.id,
        email: 'inbjuden@example.se',
        role: 'member',
        token_hash: 'b'.repeat(64),
        invited_by: users.memberB.id,
        expires_at: new Date(Date.now() + 86_400_000),
      })
      .returning('id');
    params[':inviteId'] = String(invite.id);
    params[':userId'] = String(users.memberB.id);
    await ctx.db('officer_municipalities').insert([
      { user_id: users.officerX.id, municipality_code: '2481' },
      { user_id: users.officerY.id, municipality_code: '0188' },
    ]);
    // An application by the resident to organisation A's published assignment.
    params[':applicationId'] = String(
      await createApplication(ctx.db, { assignmentId: assignment, applicantId: users.resident.id }),
    );
    params[':invoiceId'] = String(
      await issueTestInvoice(ctx.db, { organisationId: orgA.id, workerId: users.resident.id, approverId: users.memberA.id }),
    );
    params[':salaryId'] = String((await insertSalary(ctx.db, Number(params[':invoiceId']), { payoutDate: '2026-04-30' })).id);
    params[':year'] = '2026';
    params[':code'] = '2481'; // officer X's municipality
    // The resident's accepted work for organisation A, billed and disputed, with a receipt.
    const billedAssignment = await createTestAssignment(ctx.db, { organisationId: orgA.id });
    const [basis] = await ctx
      .db('billing_bases')
      .insert({
        application_id: await createApplication(ctx.db, {
          assignmentId: billedAssignment,
          applicantId: users.resident.id,
          status: 'accepted',
        }),
        worker_user_id: users.resident.id,
        organisation_id: orgA.id,
        assignment_id: billedAssignment,
        status: 'disputed',
        period_start: '2026-03-01',
        period_end: '2026-03-01',
      })
      .returning('id');
    await ctx.deps.storage.put('attachments/access-receipt.webp', logo, 'image/webp');
    const [expense] = await ctx
      .db('billing_basis_expenses')
      .insert({
        basis_id: basis.id,
        description: 'Sand',
        amount_ore: 10_000,
        receipt_storage_key: 'attachments/access-receipt.webp',
        receipt_content_type: 'image/webp',
      })
      .returning('id');
    params[':basisId'] = String(basis.id);
    params[':expenseId'] = String(expense.id);
    const [notification] = await ctx
      .db('notifications')
      .insert({ user_id: users.resident.id, type: 'message_received', link: '/konto', email_wanted: false })
      .returning('id');
    params[':notificationId'] = String(notification.id);
    params[':savedSearchId'] = String(await createSavedSearch(ctx.db, { userId: users.resident.id }));
    // The resident's competence (issue 15): a card shown to organisations, an offer, a confirmation.
    const [card] = await ctx
      .db('resident_profiles')
      .insert({ user_id: users.resident.id, visibility: 'organisations' })
      .onConflict('user_id')
      .merge(['visibility'])
      .returning('public_id');
    params[':publicId'] = String(card.public_id);
    const [offer] = await ctx
      .db('resident_offers')
      .insert({ user_id: users.resident.id, title: 'Vedhuggning', volunteer: true })
      .returning('id');
    params[':offerId'] = String(offer.id);
    const [confirmation] = await ctx
      .db('skill_confirmations')
      .insert({
        user_id: users.resident.id,
        skill_id: ctx.db('skills').where('slug', 'vedhuggning').select('id'),
        assignment_id: assignment,
        organisation_id: orgA.id,
      })
      .returning('id');
    params[':confirmationId'] = String(confirmation.id);
    const [report] = await ctx.db('assignment_reports').insert({ assignment_id: assignment, reason: 'spam' }).returning('id');
    params[':reportId'] = String(report.id);
    const [payment] = await ctx
      .db('payments')
      .insert({ amount_ore: 10_000, paid_on: '2026-12-01', reference: 'okänd', source: 'manual' })
      .returning('id');
    params[':paymentId'] = String(payment.id);
    agents.visitor = await visitorAgent();
    await ctx.syncIndex();
    for (const [role, user] of Object.entries(users)) {
      emails[role as Role] = user.email;
      agents[role as Role] = await logInAs(ctx.app, user.email);
    }
  });

  it('when the routes are listed, then every one is in the access table and the table has no stale rows', () => {
    const routes = registeredRoutes(ctx.app);
    expect(
      routes.filter((route) => !(route in ACCESS)),
      'routes missing from ACCESS',
    ).to.deep.equal([]);
    expect(
      Object.keys(ACCESS).filter((route) => !routes.includes(route)),
      'rows for routes that do not exist',
    ).to.deep.equal([]);
  });

  it('when each role asks each route, then the outcome is the one in the table', async () => {
    const mismatches: string[] = [];
    for (const route of registeredRoutes(ctx.app)) {
      const rule = ACCESS[route];
      if (rule === undefined) continue;
      const [method, pattern] = route.split(' ') as [string, string];
      const path = pattern.replace(/:[a-z]+/gi, (name) => params[name] ?? name);
      for (const role of ROLES) {
        const { agent, csrf } = agents[role];
        const res = method === 'GET' ? await agent.get(path) : await agent.post(path).type('form').send({ _csrf: csrf });
        const outcome: Outcome | '500' =
          res.status >= 500
            ? '500'
            : res.status === 404
              ? '404'
              : res.status === 403
                ? '403'
                : res.status === 401
                  ? '401'
                  : res.status === 303 && String(res.headers.location).startsWith('/logga-in')
                    ? 'login'
                    : 'ok';
        if (outcome !== expected(rule, role))
          mismatches.push(`${route} as ${role}: ${outcome} (status ${res.status}), expected ${expected(rule, role)}`);
        // Logging out ends the session: log the role in again for the next routes.
        if (route === 'POST /logga-ut')
          agents[role] = role === 'visitor' ? await visitorAgent() : await logInAs(ctx.app, emails[role]);
      }
    }
    expect(mismatches).to.deep.equal([]);
    // Organisation B's invite and member, named under A's path, were left as they were.
    expect(await ctx.db('organisation_invites').where('id', params[':inviteId']).first('revoked_at')).to.deep.equal({
      revoked_at: null,
    });
    expect(await ctx.db('organisation_members').where('user_id', params[':userId']).select('role')).to.deep.equal([
      { role: 'admin' },
    ]);
  });
});
