import { expect } from 'chai';
import type { Express } from 'express';
import sharp from 'sharp';
import request from 'supertest';
import { buildApp } from '../../src/app.js';
import { SEARCH_PARAMETERS } from '../../src/modules/search/index.js';
import { ESTIMATE_PARAMETERS } from '../../src/modules/billing/calculator-service.js';
import { issueToken } from '../../src/modules/accounts/tokens.js';
import { hashInviteToken, newInviteToken } from '../../src/modules/organisations/invite-tokens.js';
import { unsubscribeToken } from '../../src/modules/saved-searches/tokens.js';
import { issueTestInvoice } from '../support/billing-factories-d.js';
import { addEnterpriseAccount, createBasis, createWorkFor } from '../support/billing-factories-e.js';
import { bgmaxFile, latin1, makePayroll } from '../support/billing-factories-f.js';
import { insertSalary } from '../support/payroll-factories-p2.js';
import { createApplication, createOrganisation, createStoredMail, createTestAssignment, isoDay } from '../support/factories.js';
import { createReport } from '../support/moderation-factories.js';
import { registeredRoutes, routePattern } from '../support/routes.js';
import { createSavedSearch } from '../support/saved-search-factories.js';
import { useTestApp } from '../support/test-app.js';
import { createUser, csrfFrom, logInAs } from '../support/users.js';

// Hostile input at every edge: each registered route, used by someone who may
// use it, gets NUL, impossible and out-of-range dates and a lone UTF-16
// surrogate in each of its fields. The answer must be a 4xx or the form
// again (2xx/3xx when the value happens to be acceptable text) — never a 5xx.
//
// The fields come from the forms themselves: every GET page is fetched as
// every role and its <form>s read, so a new field is attacked without anyone
// adding it here. POST routes are listed in POSTS and GET routes in GETS, and
// a route missing from either table fails the test (as in test/access/access.test.ts).
//
// A lone surrogate cannot be written in UTF-8: a browser sends the bytes
// ED A0 80 (what a UTF-8 encoder that does not check would make of U+D800),
// percent-encoded in a form or URL, and a careless client sends them raw. Both
// are sent (raw only in bodies: Node's HTTP parser refuses raw bytes above
// 0x7F in a request line with its own 400 before the app sees them).

// The worker has a simplified-enterprise account and bills organisation A; the resident has none (its
// activation form is attacked). Payroll staff have a place of their own (/lon).
type Role = 'visitor' | 'resident' | 'worker' | 'member' | 'payroll' | 'admin';
const ROLES: readonly Role[] = ['visitor', 'resident', 'worker', 'member', 'payroll', 'admin'];

interface Hostile {
  label: string;
  /** In an application/x-www-form-urlencoded body (and, when `query` is true, a query string). */
  form: Buffer;
  /** In a multipart/form-data part. */
  multipart: Buffer;
  query: boolean;
}

const bytes = (...parts: Array<string | number[]>) =>
  Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part))));
const LONG_WITH_NUL = 'Ett längre värde med\u0000NUL mitt i, långt nog för varje fält';

const HOSTILE: readonly Hostile[] = [
  { label: 'NUL', form: bytes('a%00b'), multipart: bytes('a', [0], 'b'), query: true },
  {
    label: 'NUL in a long text',
    form: bytes(encodeURIComponent(LONG_WITH_NUL)),
    multipart: Buffer.from(LONG_WITH_NUL),
    query: true,
  },
  { label: '0000-00-00', form: bytes('0000-00-00'), multipart: bytes('0000-00-00'), query: true },
  { label: '2026-02-30', form: bytes('2026-02-30'), multipart: bytes('2026-02-30'), query: true },
  { label: '9999-12-31', form: bytes('9999-12-31'), multipart: bytes('9999-12-31'), query: true },
  { label: 'lone surrogate, percent-encoded', form: bytes('a%ED%A0%80b'), multipart: bytes('a%ED%A0%80b'), query: true },
  {
    label: 'lone surrogate, raw bytes',
    form: bytes('a', [0xed, 0xa0, 0x80], 'b'),
    multipart: bytes('a', [0xed, 0xa0, 0x80], 'b'),
    query: false,
  },
];

// ---------------------------------------------------------------------------
// Reading forms out of a page (the views write attributes in double quotes).

interface Control {
  name: string;
  /** input type, or textarea / select / button. */
  kind: string;
  value: string;
  /** Sent when the form is submitted as it stands (checked boxes, the selected option, text). */
  sent: boolean;
  accept?: string;
}

interface PageForm {
  action: string;
  method: 'get' | 'post';
  multipart: boolean;
  controls: Control[];
}

const decode = (text: string) =>
  text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, entity: string) => {
    if (entity[0] === '#')
      return String.fromCodePoint(
        entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : Number(entity.slice(1)),
      );
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[entity.toLowerCase()]!;
  });

function attributes(tag: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const match of tag.matchAll(/\s([a-zA-Z_:-]+)(?:="([^"]*)")?/g)) found[match[1]!.toLowerCase()] = decode(match[2] ?? '');
  return found;
}

function formsOf(html: string): PageForm[] {
  const forms: PageForm[] = [];
  for (const [, open, inner] of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const form = attributes(open!);
    const controls: Control[] = [];
    const elements = /<(input|button)\b[^>]*>|<(textarea)\b[^>]*>([\s\S]*?)<\/textarea>|<(select)\b[^>]*>([\s\S]*?)<\/select>/g;
    for (const match of inner!.matchAll(elements)) {
      const element = match[1] ?? match[2] ?? match[4]!;
      const open = match[0].slice(0, match[0].indexOf('>') + 1);
      const attrs = attributes(open);
      if (!attrs.name) continue;
      const kind = element === 'input' ? (attrs.type ?? 'text') : element;
      if (element === 'button' || ['submit', 'button', 'image', 'reset'].includes(kind)) {
        controls.push({ name: attrs.name, kind: 'button', value: attrs.value ?? '', sent: false });
      } else if (kind === 'textarea') {
        controls.push({ name: attrs.name, kind, value: decode(match[3]!.replace(/^\n/, '')), sent: true });
      } else if (kind === 'select') {
        const options = [...match[5]!.matchAll(/<option\b([^>]*)>([^<]*)/g)].map(
          ([, optionTag, label]): Record<string, string> => ({ ...attributes(optionTag!), label: decode(label!.trim()) }),
        );
        const chosen = options.find((option) => 'selected' in option) ?? options[0];
        controls.push({
          name: attrs.name,
          kind,
          value: chosen ? (chosen.value ?? chosen.label!) : '',
          sent: chosen !== undefined,
        });
      } else if (kind === 'checkbox' || kind === 'radio') {
        controls.push({ name: attrs.name, kind, value: attrs.value ?? 'on', sent: 'checked' in attrs });
      } else {
        controls.push({ name: attrs.name, kind, value: attrs.value ?? '', sent: true, accept: attrs.accept });
      }
    }
    forms.push({
      action: form.action ?? '',
      method: (form.method ?? 'get').toLowerCase() === 'post' ? 'post' : 'get',
      multipart: form.enctype === 'multipart/form-data',
      controls,
    });
  }
  return forms;
}

// ---------------------------------------------------------------------------
// Filling a form as a person would, so that only the attacked field is wrong
// and the request reaches as deep as an honest one: a value for every field
// the page leaves empty (never a right password: no attack may log anyone in
// or change an account).

const FILL: Record<string, string> = {
  name: 'Testbyns idrottsförening',
  email: 'ny.person@example.se',
  billingEmail: 'kassor@example.se',
  password: 'ett helt annat lösenord 7',
  currentPassword: 'ett helt annat lösenord 7',
  newPassword: 'ett nytt långt lösenord 8',
  homeMunicipality: '2481',
  organisationNumber: '802405-1008',
  type: 'forening',
  municipality: '2481',
  address: 'Byvägen 1, 930 10 Testbyn',
  description: 'En beskrivning som är lång nog för varje formulär som vill ha en riktig text.',
  website: 'www.example.se',
  title: 'Skotta snö vid bygdegården',
  category: 'ovrigt',
  compensationType: 'fixed',
  amountSek: '500',
  estimatedHours: '3',
  startsOn: isoDay(30),
  endsOn: isoDay(31),
  applyBy: isoDay(20),
  peopleNeeded: '1',
  requirements: 'Egna handskar.',
  message: 'Hej! Jag bor nära och kan göra det här.',
  declineMessage: 'Tack, men vi har hittat någon.',
  body: 'Hej, när passar det?',
  comment: 'Bra gjort.',
  rating: '5',
  reason: 'other',
  details: 'Något är fel med annonsen.',
  bio: 'Jag tycker om att hjälpa till.',
  skills: 'motorsåg, vedhuggning',
  availability: 'Kvällar och helger',
  frequency: 'daily',
  role: 'member',
};

/** The pairs a browser sends for the form as it stands, with FILL where the page left a field empty or a choice unmade. */
function defaults(form: PageForm, own: Record<string, string> = {}): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const control of form.controls) {
    if (control.kind === 'file' || control.kind === 'button') continue;
    const fill = own[control.name] ?? FILL[control.name];
    if (control.sent) pairs.push([control.name, control.value === '' && fill ? fill : control.value]);
    else if (control.kind === 'radio' && fill === control.value && !form.controls.some((c) => c.name === control.name && c.sent))
      pairs.push([control.name, fill]);
  }
  return pairs;
}

/** The form's fields as an attacker sees them: every named control but the CSRF token. */
const attackable = (form: PageForm) =>
  [...new Set(form.controls.map((control) => control.name))].filter((name) => name !== '_csrf');

const urlencoded = (pairs: Array<[string, Buffer]>) =>
  Buffer.concat(pairs.flatMap(([name, value], i) => [Buffer.from(`${i ? '&' : ''}${encodeURIComponent(name)}=`), value]));

const encodedValue = (value: string) => Buffer.from(encodeURIComponent(value));

/** The smallest files the upload fields take (the file's name is what gets attacked). */
async function sampleFile(accept: string | undefined): Promise<{ bytes: Buffer; type: string; name: string }> {
  if (accept?.includes('image/')) {
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#2a6' } })
      .png()
      .toBuffer();
    return { bytes: png, type: 'image/png', name: 'bild.png' };
  }
  // The bank's file: one payment that names no invoice (imported once, then known by its bytes).
  if (accept?.includes('text/plain')) {
    const file = bgmaxFile([{ date: '2026-12-01', payments: [{ reference: 'Okänd betalare', amountOre: 10_000 }] }]);
    return { bytes: latin1(file), type: 'text/plain', name: 'bankfil.txt' };
  }
  return { bytes: Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'), type: 'application/pdf', name: 'cv.pdf' };
}

async function multipartBody(
  form: PageForm,
  attacked: string,
  value: Buffer,
  own: Record<string, string> = {},
): Promise<{ body: Buffer; type: string }> {
  const boundary = '----hostile-input-boundary';
  const parts: Buffer[] = [];
  for (const [name, text] of defaults(form, own)) {
    if (name === '_csrf' || name === attacked) continue;
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${text}\r\n`));
  }
  for (const control of form.controls.filter((c) => c.kind === 'file')) {
    const file = await sampleFile(control.accept);
    const filename = control.name === attacked ? value : Buffer.from(file.name);
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${control.name}"; filename="`),
      filename,
      Buffer.from(`"\r\nContent-Type: ${file.type}\r\n\r\n`),
      file.bytes,
      Buffer.from('\r\n'),
    );
  }
  const attackedControl = form.controls.find((c) => c.name === attacked);
  if (attackedControl && attackedControl.kind !== 'file')
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${attacked}"\r\n\r\n`),
      value,
      Buffer.from('\r\n'),
    );
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}` };
}

// ---------------------------------------------------------------------------
// Who uses each route. Fields come from the forms; `fields` only where no page
// shows the form (or only shows it in a state the walk does not reach), and
// `query` for the parameters a route reads from its URL.

interface PostUse {
  as: Role;
  /** Fields to attack when no crawled page holds this route's form ([] = a button without fields). */
  fields?: string[];
  query?: string[];
  /** Values for this form that win over FILL. */
  fill?: Record<string, string>;
}

const POSTS: Record<string, PostUse> = {
  'POST /registrera': { as: 'visitor' },
  // An address the sign-up walk never registers: no attack may log the visitor in.
  'POST /logga-in': { as: 'visitor', fill: { email: 'aldrig.registrerad@example.se' } },
  'POST /logga-ut': { as: 'resident' },
  'POST /verifiera-epost': { as: 'visitor' },
  'POST /glomt-losenord': { as: 'visitor' },
  'POST /aterstall-losenord': { as: 'visitor' },
  'POST /bekrafta-ny-epost': { as: 'visitor' },
  'POST /konto/losenord': { as: 'resident' },
  'POST /konto/epost': { as: 'resident' },
  'POST /konto/profil': { as: 'resident' },
  'POST /konto/profil/cv': { as: 'resident' },
  'POST /konto/profil/cv/ta-bort': { as: 'resident', fields: [] }, // shown only with a CV
  // The competence profile (issue 15): the resident has an offer and a confirmation to hide.
  'POST /konto/kompetens': { as: 'resident' },
  'POST /konto/kompetens/erbjudanden/ny': { as: 'resident' },
  'POST /konto/kompetens/erbjudanden/:offerId': { as: 'resident' },
  'POST /konto/kompetens/erbjudanden/:offerId/ta-bort': { as: 'resident' },
  'POST /konto/kompetens/bekraftelser/:confirmationId': { as: 'resident' },
  // Invitations (from the resident's public card, by organisation A's member) and learning from each other (the
  // resident has no matches, so the contact form is not on the page: its fields named here).
  'POST /kompetens/person/:publicId/bjud-in': { as: 'member' },
  'POST /konto/lara-av-varandra/kontakt': { as: 'resident', fields: ['to', 'message'] },
  'POST /konto/ta-bort': { as: 'resident' },
  'POST /konto/egenanstallning': { as: 'resident' },
  // Shown once the account is active: the worker's.
  'POST /konto/egenanstallning/bankkonto': { as: 'worker' },
  'POST /konto/egenanstallning/skatt': { as: 'worker' },
  'POST /konto/egenanstallning/visa-personnummer': { as: 'resident', fields: [] },
  'POST /organisationer/ny': { as: 'resident' },
  'POST /inbjudan': { as: 'resident' },
  'POST /organisationer/:slug/redigera': { as: 'member', fill: { organisationNumber: '802405-1016' } }, // not the new one's
  'POST /organisationer/:slug/logo': { as: 'member' },
  'POST /organisationer/:slug/logo/ta-bort': { as: 'member' },
  'POST /organisationer/:slug/verifiera': { as: 'admin' },
  'POST /organisationer/:slug/medlemmar/bjud-in': { as: 'member' },
  'POST /organisationer/:slug/medlemmar/inbjudningar/:inviteId/aterkalla': { as: 'member' },
  'POST /organisationer/:slug/medlemmar/:userId/roll': { as: 'member' },
  'POST /organisationer/:slug/medlemmar/:userId/ta-bort': { as: 'member' },
  'POST /organisationer/:slug/uppdrag/nytt': { as: 'member' },
  'POST /organisationer/:slug/uppdrag/:assignmentId/redigera': { as: 'member' },
  'POST /organisationer/:slug/uppdrag/:assignmentId/publicera': { as: 'member' },
  'POST /organisationer/:slug/uppdrag/:assignmentId/avbryt': { as: 'member' },
  'POST /organisationer/:slug/uppdrag/:assignmentId/stang': { as: 'member' },
  'POST /organisationer/:slug/uppdrag/:assignmentId/klar': { as: 'member', fields: [] }, // shown once someone is accepted
  'POST /organisationer/:slug/uppdrag/:assignmentId/ta-bort': { as: 'member' },
  'POST /organisationer/:slug/uppdrag/:assignmentId/bilagor': { as: 'member' },
  'POST /organisationer/:slug/uppdrag/:assignmentId/bilagor/:attachmentId/ta-bort': { as: 'member', fields: [] },
  'POST /admin/uppdrag/:assignmentId/godkann': { as: 'admin' },
  'POST /admin/uppdrag/:assignmentId/skicka-tillbaka': { as: 'admin' },
  'POST /ansokningar/:applicationId/omdome': { as: 'resident' },
  // Confirming skills: the form shows only for a completed assignment, which :assignmentId never is (409): named here.
  'POST /kompetens/bekrafta/:assignmentId': { as: 'member', fields: ['confirm'] },
  'POST /ansokningar/:applicationId/meddelanden': { as: 'resident' },
  'POST /konto/notiser/lasta': { as: 'resident' },
  'POST /konto/notiser/:notificationId/oppna': { as: 'resident' },
  'POST /konto/notiser/installningar': { as: 'resident' },
  'POST /konto/bevakningar/ny': { as: 'resident' },
  'POST /konto/bevakningar/:savedSearchId/redigera': { as: 'resident' },
  'POST /konto/bevakningar/:savedSearchId/ta-bort': { as: 'resident' },
  'POST /bevakningar/avsluta': { as: 'visitor' },
  'POST /dev/komponenter/exempel': { as: 'visitor' },
  // The mail program's one-click POST: the token is in the address, the body is fixed.
  'POST /bevakningar/avsluta/ett-klick': { as: 'visitor', fields: ['List-Unsubscribe'], query: ['token'] },
  'POST /uppdrag/:ref/ansok': { as: 'resident' },
  'POST /ansokningar/:applicationId/kortlista': { as: 'member' },
  'POST /ansokningar/:applicationId/acceptera': { as: 'member' },
  'POST /ansokningar/:applicationId/avboj': { as: 'member' },
  'POST /ansokningar/:applicationId/aterkalla': { as: 'resident' },
  'POST /uppdrag/:ref/rapportera': { as: 'visitor' },
  'POST /admin/uppdrag/:assignmentId/dolj': { as: 'admin' },
  'POST /admin/uppdrag/:assignmentId/aterstall': { as: 'admin' },
  'POST /admin/rapporter/:reportId/avfarda': { as: 'admin' },
  'POST /admin/organisationer/:slug/varna': { as: 'admin' },
  'POST /admin/organisationer/:slug/stang-av': { as: 'admin' },
  'POST /admin/organisationer/:slug/oppna': { as: 'admin' },
  'POST /admin/handlaggare': { as: 'admin' },
  'POST /admin/handlaggare/ta-bort': { as: 'admin' },
  'POST /admin/lon': { as: 'admin' },
  'POST /admin/kompetens/sammanfoga': { as: 'admin', fields: ['from', 'into'] }, // its form is on the confirmation step
  'POST /admin/lon/ta-bort': { as: 'admin' },
  'POST /admin/operator': { as: 'admin' },
  // The worker's draft basis. The expense form is filled in, so that an attack on one field reaches the upload.
  'POST /konto/fakturaunderlag/:applicationId': { as: 'worker' },
  'POST /konto/fakturaunderlag/:applicationId/skicka': { as: 'worker' },
  'POST /konto/fakturaunderlag/:applicationId/utlagg': {
    as: 'worker',
    fill: { expenseDescription: 'Sand till backen', expenseAmount: '120' },
  },
  'POST /konto/fakturaunderlag/:applicationId/utlagg/:expenseId/ta-bort': { as: 'worker' },
  // The worker's sent basis with organisation A.
  'POST /organisationer/:slug/fakturaunderlag/:basisId/godkann': { as: 'member' },
  'POST /organisationer/:slug/fakturaunderlag/:basisId/bestrid': { as: 'member' },
  // The invoice is chosen too, once the fixture has issued it.
  'POST /lon/betalningar': { as: 'payroll', fill: { amount: '100' } },
  'POST /lon/bankfil': { as: 'payroll' },
  'POST /lon/betalningar/:paymentId/koppla': { as: 'payroll' },
  // The list is empty in this fixture, so its form is not on the page: its fields named here.
  'POST /lon/loner/utbetalda': { as: 'payroll', fields: ['salary', 'paidOn'] },
  // The fixture's invoice has a salary, so its page shows no credit form: its fields named here.
  'POST /lon/fakturor/:invoiceId/kreditera': { as: 'payroll', fields: ['reason', 'step'] },
};

/** Every GET route, who fetches it, and the query parameters it reads (names from GET forms are added). */
const GETS: Record<string, { as: Role; query: string[] }> = {
  'GET /healthz': { as: 'visitor', query: [] },
  'GET /api/v1/assignments': {
    as: 'visitor',
    query: [...SEARCH_PARAMETERS],
  },
  'GET /api/v1/openapi.json': { as: 'visitor', query: [] },
  'GET /uppdrag.atom': { as: 'visitor', query: ['q', 'category', 'municipality', 'near', 'radiusKm', 'sort'] },
  'GET /uppdrag': { as: 'visitor', query: ['page', 'perPage'] }, // and the search form's fields
  'GET /kompetens': {
    as: 'visitor',
    query: ['q', 'kind', 'skill', 'category', 'municipality', 'level', 'confirmed', 'from', 'radiusKm', 'page'],
  },
  'GET /': { as: 'visitor', query: ['lang'] }, // lang is read on every page
  'GET /uppdrag/:ref': { as: 'resident', query: [] },
  'GET /registrera': { as: 'visitor', query: ['next'] },
  'GET /logga-in': { as: 'visitor', query: ['next'] },
  'GET /verifiera-epost': { as: 'visitor', query: ['token'] },
  'GET /konto': { as: 'resident', query: [] },
  'GET /konto/profil/cv/ta-bort': { as: 'resident', query: [] },
  'GET /konto/bevakningar/:savedSearchId/ta-bort': { as: 'resident', query: [] },
  'GET /glomt-losenord': { as: 'visitor', query: [] },
  'GET /aterstall-losenord': { as: 'visitor', query: ['token'] },
  'GET /bekrafta-ny-epost': { as: 'visitor', query: ['token'] },
  'GET /konto/losenord': { as: 'resident', query: [] },
  'GET /konto/epost': { as: 'resident', query: [] },
  'GET /konto/mina-uppgifter': { as: 'resident', query: [] },
  'GET /konto/profil': { as: 'resident', query: ['done', 'sparad'] },
  'GET /konto/profil/cv': { as: 'resident', query: [] },
  'GET /konto/kompetens': { as: 'resident', query: ['done'] },
  'GET /konto/kompetens/erbjudanden/ny': { as: 'resident', query: [] },
  'GET /konto/kompetens/erbjudanden/:offerId': { as: 'resident', query: [] },
  'GET /konto/kompetens/erbjudanden/:offerId/ta-bort': { as: 'resident', query: [] },
  'GET /kompetens/person/:publicId': { as: 'resident', query: [] },
  'GET /kompetens/person/:publicId/bjud-in': { as: 'member', query: ['done'] },
  'GET /konto/kompetens/inbjudningar': { as: 'resident', query: [] },
  'GET /konto/lara-av-varandra': { as: 'resident', query: ['done'] },
  'GET /konto/mina-uppgifter.json': { as: 'resident', query: [] },
  'GET /konto/egenanstallning': { as: 'resident', query: ['done'] },
  'GET /organisationer/ny': { as: 'resident', query: [] },
  'GET /konto/organisationer': { as: 'resident', query: [] },
  'GET /lagg-ut-uppdrag': { as: 'resident', query: [] },
  'GET /inbjudan': { as: 'resident', query: ['token'] },
  'GET /organisationer/:slug': { as: 'visitor', query: ['done'] },
  'GET /organisationer/:slug/redigera': { as: 'member', query: ['done'] },
  'GET /organisationer/:slug/logo': { as: 'visitor', query: ['v'] },
  'GET /organisationer/:slug/medlemmar': { as: 'member', query: ['done'] },
  'GET /organisationer/:slug/medlemmar/inbjudningar/:inviteId/aterkalla': { as: 'member', query: [] },
  'GET /organisationer/:slug/uppdrag': { as: 'member', query: ['done'] },
  'GET /organisationer/:slug/uppdrag/nytt': { as: 'member', query: [] },
  'GET /organisationer/:slug/uppdrag/:assignmentId/redigera': { as: 'member', query: ['done'] },
  'GET /organisationer/:slug/uppdrag/:assignmentId/forhandsgranska': { as: 'member', query: [] },
  'GET /organisationer/:slug/uppdrag/:assignmentId/avbryt': { as: 'member', query: [] },
  'GET /organisationer/:slug/uppdrag/:assignmentId/ta-bort': { as: 'member', query: [] },
  'GET /organisationer/:slug/fakturaunderlag/:basisId/godkann': { as: 'member', query: [] },
  'GET /organisationer/:slug/uppdrag/:assignmentId/klar': { as: 'member', query: [] },
  'GET /organisationer/:slug/medlemmar/:userId/ta-bort': { as: 'member', query: [] },
  'GET /ansokningar/:applicationId/omdome': { as: 'resident', query: ['done'] },
  'GET /kompetens/bekrafta/:assignmentId': { as: 'member', query: ['done'] },
  'GET /ansokningar/:applicationId/meddelanden': { as: 'resident', query: ['fore', 'done'] },
  'GET /konto/notiser': { as: 'resident', query: ['page', 'done'] },
  'GET /konto/notiser/installningar': { as: 'resident', query: ['done'] },
  'GET /konto/bevakningar': { as: 'resident', query: ['done'] },
  'GET /konto/bevakningar/ny': {
    as: 'resident',
    query: ['q', 'category', 'municipality', 'locality', 'compensation', 'workTraining', 'near', 'radiusKm', 'sort', 'from'],
  },
  'GET /konto/bevakningar/:savedSearchId/redigera': { as: 'resident', query: [] },
  'GET /bevakningar/avsluta': { as: 'visitor', query: ['token'] },
  'GET /bevakningar/avsluta/ett-klick': { as: 'visitor', query: ['token'] },
  'GET /konto/ansokningar': { as: 'resident', query: ['done'] },
  'GET /ansokningar/:applicationId': { as: 'resident', query: ['done'] },
  'GET /ansokningar/:applicationId/aterkalla': { as: 'resident', query: [] },
  'GET /ansokningar/:applicationId/cv': { as: 'member', query: [] },
  'GET /organisationer/:slug/uppdrag/:assignmentId/ansokningar': { as: 'member', query: ['done'] },
  'GET /uppdrag/:ref/bilagor/:attachmentId': { as: 'visitor', query: [] },
  'GET /uppdrag/:ref/bilagor/:attachmentId/miniatyr': { as: 'visitor', query: [] },
  'GET /uppdrag/:ref/rapportera': { as: 'visitor', query: [] },
  'GET /uppdrag/:ref/rapportera/tack': { as: 'visitor', query: [] },
  'GET /admin/moderering': { as: 'admin', query: ['done'] },
  'GET /admin': { as: 'admin', query: ['done'] },
  'GET /admin/uppdrag/:assignmentId/granska': { as: 'admin', query: [] },
  'GET /api/v1/statistics': { as: 'visitor', query: ['period', 'from', 'to', 'county', 'municipality'] },
  'GET /statistik': { as: 'visitor', query: ['period', 'from', 'to', 'county', 'municipality', 'sort'] },
  'GET /statistik/data.csv': { as: 'visitor', query: ['period', 'from', 'to', 'county', 'municipality'] },
  'GET /statistik/kommun': { as: 'admin', query: ['kommun'] },
  'GET /statistik/kommun/:code': { as: 'admin', query: ['period', 'from', 'to', 'category', 'village'] },
  'GET /statistik/kommun/:code/export.csv': { as: 'admin', query: ['period', 'from', 'to', 'category', 'village'] },
  'GET /statistik/kommun/:code/export.xlsx': { as: 'admin', query: ['period', 'from', 'to', 'category', 'village'] },
  'GET /admin/handlaggare': { as: 'admin', query: [] },
  'GET /admin/lon': { as: 'admin', query: [] },
  'GET /admin/kompetens': { as: 'admin', query: ['done'] },
  'GET /admin/kompetens/sammanfoga': { as: 'admin', query: ['from', 'into'] },
  'GET /admin/operator': { as: 'admin', query: ['done'] },
  'GET /admin/logg': { as: 'admin', query: ['typ'] },
  'GET /api/v1/salary-estimate': { as: 'visitor', query: [...ESTIMATE_PARAMETERS] },
  'GET /egenanstallning/rakna': { as: 'visitor', query: [] }, // the form's fields
  'GET /konto/fakturaunderlag': { as: 'worker', query: [] },
  'GET /konto/fakturaunderlag/:applicationId': { as: 'worker', query: ['done'] },
  'GET /fakturaunderlag/:basisId/kvitton/:expenseId': { as: 'worker', query: [] },
  'GET /organisationer/:slug/fakturaunderlag': { as: 'member', query: [] },
  'GET /organisationer/:slug/fakturaunderlag/:basisId': { as: 'member', query: ['done'] },
  'GET /organisationer/:slug/fakturor': { as: 'member', query: [] },
  'GET /konto/fakturor': { as: 'worker', query: [] },
  'GET /fakturor/:invoiceId/pdf': { as: 'worker', query: [] },
  'GET /konto/lonebesked': { as: 'worker', query: [] },
  'GET /konto/lonebesked/:salaryId/pdf': { as: 'worker', query: [] },
  'GET /konto/lonebesked/ar/:year/pdf': { as: 'worker', query: [] },
  'GET /konto/lonebesked/ar/:year/csv': { as: 'worker', query: [] },
  'GET /lon': { as: 'payroll', query: ['done', 'import'] },
  'GET /lon/arbetsgivardeklaration': { as: 'payroll', query: ['month'] },
  'GET /lon/arbetsgivardeklaration.xml': { as: 'payroll', query: ['month'] },
  'GET /lon/loner': { as: 'payroll', query: ['done', 'count'] },
  'GET /lon/fakturor': { as: 'payroll', query: ['faktura'] },
  'GET /lon/fakturor/:invoiceId': { as: 'payroll', query: ['done'] },
  'GET /lon/loner/csv': { as: 'payroll', query: [] },
  'GET /lon/logg': { as: 'payroll', query: ['typ'] },
  'GET /lon/bokforing': { as: 'payroll', query: ['from', 'to'] },
  'GET /lon/bokforing.se': { as: 'payroll', query: ['from', 'to'] },
  'GET /lon/bokforing/fakturor.csv': { as: 'payroll', query: ['from', 'to'] },
  'GET /lon/bokforing/betalningar.csv': { as: 'payroll', query: ['from', 'to'] },
  'GET /lon/bokforing/loner.csv': { as: 'payroll', query: ['from', 'to'] },
  'GET /dev/mail': { as: 'visitor', query: [] },
  'GET /dev/mail/:id': { as: 'visitor', query: [] },
  'GET /dev/mail/:id/html': { as: 'visitor', query: [] },
  'GET /dev/konton': { as: 'visitor', query: [] },
  'GET /dev/komponenter': { as: 'visitor', query: ['done'] },
};

// ---------------------------------------------------------------------------

const CSRF_REFUSED = 'Formuläret har gått ut eller kom inte från vår sida';

describe('Hostile input: every field of every form and query', function () {
  this.timeout(300_000);
  const ctx = useTestApp();
  /** Values for each path parameter; pages are fetched with every combination. */
  const params: Record<string, string[]> = {};
  /** Pages only reachable with a token in the address (the links in mails). */
  const linkPages: string[] = [];
  const emails = {} as Record<Exclude<Role, 'visitor'>, string>;
  const clients = {} as Record<Role, { app: Express; agent: ReturnType<typeof request.agent>; csrf: string }>;

  const connect = async (role: Role, app: Express) => {
    if (role === 'visitor') {
      const agent = request.agent(app);
      clients.visitor = { app, agent, csrf: csrfFrom((await agent.get('/logga-in').expect(200)).text) };
    } else {
      clients[role] = { app, ...(await logInAs(app, emails[role])) };
    }
  };

  /**
   * The rate limits would answer 429 long before the walk is through, and a
   * 429 proves nothing about the parser: their counters are cleared (kept in
   * the database, or in the app's memory: a new app) and the request is sent again.
   */
  const clearRateLimits = async (role: Role) => {
    if (await ctx.db.schema.hasTable('rate_limit_counters')) await ctx.db('rate_limit_counters').delete();
    await connect(role, buildApp(ctx.deps));
  };

  before(async () => {
    const orgA = await createOrganisation(ctx.db, { name: 'Förening A' });
    const unverified = await createOrganisation(ctx.db, { name: 'Förening B', verified_at: null });
    // Reports, hiding and suspending happen to an organisation of their own, so
    // they do not take organisation A's assignments away from the rest of the walk.
    const reported = await createOrganisation(ctx.db, { name: 'Förening M' });
    const reportedMember = await createUser(ctx.db);
    await ctx.db('organisation_members').insert({ organisation_id: reported.id, user_id: reportedMember.id, role: 'admin' });
    await ctx.db('officer_municipalities').insert({ user_id: reportedMember.id, municipality_code: '2481' });
    const suspended = await createOrganisation(ctx.db, { name: 'Förening S' });
    await ctx.db('organisations').where('id', suspended.id).update({ suspended_at: new Date(), suspended_reason: 'Test' });
    const slugOf = async (id: number) => (await ctx.db('organisations').where('id', id).first('slug')).slug as string;
    const slugA = await slugOf(orgA.id);

    const users = {
      resident: await createUser(ctx.db),
      worker: await createUser(ctx.db),
      member: await createUser(ctx.db),
      payroll: await createUser(ctx.db),
      admin: await createUser(ctx.db, { isAdmin: true }),
    };
    await addEnterpriseAccount(ctx.db, users.worker.id);
    await makePayroll(ctx.db, users.payroll.id);
    const colleague = await createUser(ctx.db);
    const linkHolder = await createUser(ctx.db, { verified: false });
    await ctx.db('organisation_members').insert([
      { organisation_id: orgA.id, user_id: users.member.id, role: 'admin' },
      { organisation_id: orgA.id, user_id: colleague.id, role: 'member' },
    ]);

    const applied = await createTestAssignment(ctx.db, { organisationId: orgA.id });
    const open = await createTestAssignment(ctx.db, { organisationId: orgA.id });
    const draft = await createTestAssignment(ctx.db, { organisationId: orgA.id, status: 'draft' });
    const done = await createTestAssignment(ctx.db, { organisationId: orgA.id });
    // Waiting for review: the admin's review page (approve, send back) shows only for such an assignment.
    const pending = await createTestAssignment(ctx.db, { organisationId: unverified.id, status: 'draft' });
    await ctx.db('assignments').where('id', pending).update({ status: 'pending_review' });
    const reportedAssignment = await createTestAssignment(ctx.db, { organisationId: reported.id });
    await createReport(ctx.db, { assignmentId: reportedAssignment, details: 'Ser ut som bluff.' });
    const hidden = await createTestAssignment(ctx.db, { organisationId: reported.id });
    await createReport(ctx.db, { assignmentId: hidden });
    await ctx.db('assignments').where('id', hidden).update({ hidden_at: new Date(), hidden_reason: 'Test' });

    const application = await createApplication(ctx.db, { assignmentId: applied, applicantId: users.resident.id });
    const completed = await createApplication(ctx.db, {
      assignmentId: done,
      applicantId: users.resident.id,
      status: 'accepted',
    });
    await ctx.db('assignments').where('id', done).update({ status: 'completed' });

    const logo = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#2a6' } })
      .webp()
      .toBuffer();
    await ctx.deps.storage.put('logos/hostile-test.webp', logo, 'image/webp');
    await ctx.db('organisations').where('id', orgA.id).update({ logo_key: 'logos/hostile-test.webp' });
    const mailId = await createStoredMail(ctx.db);
    const [notification] = await ctx
      .db('notifications')
      .insert({ user_id: users.resident.id, type: 'message_received', link: '/konto', email_wanted: false })
      .returning('id');
    const savedSearch = await createSavedSearch(ctx.db, { userId: users.resident.id, query: 'q=sn%C3%B6' });
    // The resident's competence (issue 15): a public card, an offer, a confirmation from organisation A.
    const [card] = await ctx
      .db('resident_profiles')
      .insert({ user_id: users.resident.id, visibility: 'public' })
      .onConflict('user_id')
      .merge(['visibility'])
      .returning('public_id');
    const [offer] = await ctx
      .db('resident_offers')
      .insert({ user_id: users.resident.id, title: 'Vedhuggning', price_ore: 35000 })
      .returning('id');
    const [confirmation] = await ctx
      .db('skill_confirmations')
      .insert({
        user_id: users.resident.id,
        skill_id: ctx.db('skills').where('slug', 'vedhuggning').select('id'),
        assignment_id: done,
        organisation_id: orgA.id,
      })
      .returning('id');
    await ctx.db('organisation_invites').insert({
      organisation_id: orgA.id,
      email: 'inbjuden@example.se',
      role: 'member',
      token_hash: hashInviteToken(newInviteToken()),
      invited_by: users.member.id,
      expires_at: new Date(Date.now() + 86_400_000),
    });
    const inviteToken = newInviteToken();
    await ctx.db('organisation_invites').insert({
      organisation_id: orgA.id,
      email: 'lank@example.se',
      role: 'member',
      token_hash: hashInviteToken(inviteToken),
      invited_by: users.member.id,
      expires_at: new Date(Date.now() + 86_400_000),
    });
    await ctx.db('users').where('id', linkHolder.id).update({ pending_email: 'nyadress@example.se' });
    linkPages.push(
      `/verifiera-epost?token=${await issueToken(ctx.db, linkHolder.id, 'verify_email', 86_400_000)}`,
      `/aterstall-losenord?token=${await issueToken(ctx.db, linkHolder.id, 'reset_password', 86_400_000)}`,
      `/bekrafta-ny-epost?token=${await issueToken(ctx.db, linkHolder.id, 'change_email', 86_400_000)}`,
      `/inbjudan?token=${inviteToken}`,
      `/bevakningar/avsluta?token=${unsubscribeToken(ctx.deps.sessionSecret, savedSearch)}`,
    );

    // The worker's work for organisation A: a draft basis to edit, a sent one to approve or dispute (each with
    // a receipt), and an invoice for a third, chosen in payroll's payment form; and a payment matching nothing.
    const receipt = 'receipts/hostile-test.webp';
    await ctx.deps.storage.put(receipt, logo, 'image/webp');
    const addReceipt = async (basisId: number) =>
      (
        await ctx
          .db('billing_basis_expenses')
          .insert({
            basis_id: basisId,
            description: 'Sand',
            amount_ore: 10_000,
            receipt_storage_key: receipt,
            receipt_content_type: 'image/webp',
          })
          .returning('id')
      )[0].id as number;
    const billedWork = async (status: 'draft' | 'submitted') => {
      const work = await createWorkFor(ctx.db, orgA.id, users.worker.id);
      const basisId = await createBasis(ctx.db, { ...work, organisationId: orgA.id, workerId: users.worker.id }, { status });
      return { ...work, basisId, expenseId: await addReceipt(basisId) };
    };
    const draftBasis = await billedWork('draft');
    const sentBasis = await billedWork('submitted');
    const invoiceId = await issueTestInvoice(ctx.db, {
      organisationId: orgA.id,
      workerId: users.worker.id,
      approverId: users.member.id,
    });
    POSTS['POST /lon/betalningar']!.fill!.invoice = String(invoiceId);
    const salary = await insertSalary(ctx.db, invoiceId, { payoutDate: '2026-04-30' });
    const [payment] = await ctx
      .db('payments')
      .insert({ amount_ore: 10_000, paid_on: '2026-12-01', reference: 'okänd', source: 'manual' })
      .returning('id');

    Object.assign(params, {
      ':ref': [String(applied), String(open)],
      ':slug': [slugA],
      ':assignmentId': [String(draft), String(applied), String(pending)],
      ':applicationId': [String(application), String(completed), String(draftBasis.applicationId)],
      ':savedSearchId': [String(savedSearch)],
      ':publicId': [String(card.public_id)],
      ':offerId': [String(offer.id)],
      ':confirmationId': [String(confirmation.id)],
      ':notificationId': [String(notification.id)],
      ':id': [String(mailId)],
      ':attachmentId': ['1'],
      ':inviteId': ['1'],
      ':userId': [String(colleague.id)],
      ':reportId': ['1'],
      ':basisId': [String(sentBasis.basisId)],
      ':expenseId': [String(sentBasis.expenseId)],
      ':invoiceId': [String(invoiceId)],
      ':salaryId': [String(salary.id)],
      ':year': ['2026'],
      ':code': ['2481', '0188'],
      ':paymentId': [String(payment.id)],
    });
    await ctx.syncIndex();
    for (const role of ROLES) {
      if (role !== 'visitor') emails[role] = users[role].email;
      await connect(role, ctx.app);
    }
  });

  /** The route's path with each parameter replaced, in every combination of the values in `params`. */
  const pathsOf = (pattern: string): string[] =>
    pattern.split('/').reduce<string[]>(
      (paths, segment) => {
        const values = segment.startsWith(':') ? (params[segment] ?? [segment]) : [segment];
        return paths.flatMap((path) => values.map((value) => (path === '' && segment === '' ? '' : `${path}/${value}`)));
      },
      [''],
    );

  it('when every field gets NUL, impossible dates and lone surrogates, then no answer is a 5xx', async () => {
    const routes = registeredRoutes(ctx.app);
    expect(
      routes.filter((route) => !(route.startsWith('POST ') ? route in POSTS : route in GETS)),
      'routes missing from POSTS / GETS',
    ).to.deep.equal([]);
    expect(
      [...Object.keys(POSTS), ...Object.keys(GETS)].filter((route) => !routes.includes(route)),
      'rows for routes that do not exist',
    ).to.deep.equal([]);

    // 1. Every page as every role: the forms on them.
    const forms = new Map<Role, PageForm[]>(ROLES.map((role) => [role, []]));
    const pages = [
      ...routes.filter((route) => route.startsWith('GET ')).flatMap((route) => pathsOf(route.slice(4))),
      ...linkPages,
    ];
    for (const role of ROLES) {
      for (const page of pages) {
        const res = await clients[role].agent.get(page).redirects(2);
        if (res.status >= 500) expect.fail(`GET ${page} as ${role} answered ${res.status}`);
        if (String(res.headers['content-type']).startsWith('text/html')) forms.get(role)!.push(...formsOf(res.text));
      }
    }

    const failures: string[] = [];
    let sent = 0;
    const check = (what: string, status: number) => {
      sent++;
      if (status >= 500) failures.push(`${what} → ${status}`);
    };
    const send = async (role: Role, what: string, build: (client: (typeof clients)[Role]) => request.Test) => {
      let res = await build(clients[role]);
      if (res.status === 429) {
        await clearRateLimits(role);
        res = await build(clients[role]);
      }
      if (res.status === 429) failures.push(`${what} → still 429 after the limits were cleared`);
      // A refused token means the walk lost its session, and with it every later answer's meaning.
      if (res.status === 403 && res.text.includes(CSRF_REFUSED)) failures.push(`${what} → CSRF token refused`);
      check(what, res.status);
    };

    // 2. Every POST route: each field of its form, each hostile value (value by
    // value, so every field has had the refused values before an accepted one
    // changes the state the next ones meet).
    for (const route of routes.filter((r) => r.startsWith('POST '))) {
      const use = POSTS[route]!;
      const pattern = routePattern(route.slice(5));
      const form =
        forms.get(use.as)!.find((f) => f.method === 'post' && pattern.test(f.action.split('?')[0]!)) ??
        (use.fields
          ? {
              action: pathsOf(route.slice(5))[0]!,
              method: 'post' as const,
              multipart: false,
              controls: use.fields.map((name) => ({ name, kind: 'text', value: '', sent: true })),
            }
          : undefined);
      if (!form) {
        failures.push(`${route}: no page shows its form to ${use.as} (fix the fixture, or list its fields in POSTS)`);
        continue;
      }
      const fields = attackable(form);
      for (const hostile of HOSTILE) {
        for (const field of fields) {
          const what = `${route} as ${use.as}: ${field} = ${hostile.label}`;
          if (form.multipart) {
            const { body, type } = await multipartBody(form, field, hostile.multipart, use.fill);
            await send(use.as, what, (client) =>
              client.agent
                .post(form.action.replace(/_csrf=[^&]*/, `_csrf=${encodeURIComponent(client.csrf)}`))
                .set('Content-Type', type)
                .serialize((data: unknown) => data as string)
                .send(body as unknown as string),
            );
            continue;
          }
          await send(use.as, what, (client) => {
            const pairs: Array<[string, Buffer]> = defaults(form, use.fill)
              .filter(([name]) => name !== field && name !== '_csrf')
              .map(([name, value]) => [name, encodedValue(value)]);
            const body = urlencoded([...pairs, [field, hostile.form], ['_csrf', encodedValue(client.csrf)]]);
            return client.agent
              .post(form.action)
              .set('Content-Type', 'application/x-www-form-urlencoded')
              .serialize((data: unknown) => data as string)
              .send(body as unknown as string);
          });
        }
        for (const name of use.query ?? []) {
          if (!hostile.query) continue;
          await send(use.as, `${route} as ${use.as}: ?${name} = ${hostile.label}`, (client) =>
            client.agent
              .post(`${form.action}?${name}=${hostile.form.toString('latin1')}`)
              .type('form')
              .send({ _csrf: client.csrf }),
          );
        }
      }
    }

    // 3. Every GET route that reads its query: each parameter, each hostile value.
    for (const route of routes.filter((r) => r.startsWith('GET '))) {
      const use = GETS[route]!;
      const pattern = routePattern(route.slice(4));
      const fromForms = [...forms.values()]
        .flat()
        .filter((f) => f.method === 'get' && pattern.test(f.action.split('?')[0]!))
        .flatMap(attackable);
      const names = [...new Set([...use.query, ...fromForms])];
      const path = pathsOf(route.slice(4))[0]!;
      for (const hostile of HOSTILE.filter((h) => h.query)) {
        for (const name of names) {
          await send(use.as, `${route} as ${use.as}: ?${name} = ${hostile.label}`, (client) =>
            client.agent.get(`${path}?${encodeURIComponent(name)}=${hostile.form.toString('latin1')}`),
          );
        }
      }
    }

    expect(failures).to.deep.equal([]);
    // The walk really walked: a broken crawl that finds no forms must not pass quietly.
    expect(sent).to.be.greaterThan(500);
  });
});
