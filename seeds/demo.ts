import type { Knex } from 'knex';
import { createAssignment, type NewAssignment } from '../src/modules/assignments/index.js';
import { inTransaction } from '../src/platform/db.js';
import { loadReferenceData } from '../src/platform/reference-data.js';
import { todayInStockholm } from '../src/platform/calendar.js';
import type { DataKeys } from '../src/platform/encryption.js';
import {
  ASSIGNMENTS,
  BILLED_WORK,
  ORGANISATIONS,
  RESIDENTS,
  type DemoAssignment,
  type DemoPerson,
  type Season,
} from './demo-content.js';
import { seedDemoBilling, type DemoBillingSummary } from './demo-billing.js';
import { seedDemoHistory } from './demo-history.js';
import { seedDemoCompetence } from './demo-skills.js';
import { parseOrganisationsnummer } from '../src/platform/identifiers.js';
import { luhnCheckDigit } from '../src/platform/luhn.js';
import { slugify } from '../src/platform/slugify.js';
import { DEMO_LOGINS, seedDemoLogins, type DemoLogin } from './demo-logins.js';

// Fills a fresh database (after seedReference) with demo organisations, people
// and assignments from ./demo-content.ts, the operator invoices come from, and
// billing in every state (./demo-billing.ts; needs the data encryption key, as
// the enterprise accounts hold sealed personnummer).
// Assignments go through the assignment service so that they are validated and
// queued for the search index exactly like real ones. With `logins`, one demo
// account per role gets a password (./demo-logins.ts) in the same transaction:
// all of it or none.

const DAY_MS = 86_400_000;

function organisationNumber(base: string): string {
  if (!/^\d{9}$/.test(base)) throw new Error(`Demo organisation number base must be 9 digits: ${base}`);
  const value = `${base}${luhnCheckDigit(base)}`;
  if (!parseOrganisationsnummer(value)?.legalPerson) throw new Error(`Invalid demo organisation number ${value}`);
  return value;
}

// Calendar arithmetic in UTC so that a date never shifts with the server's time zone.
function utcDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}
function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}
function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

const SEASON_MONTHS: Record<Season, readonly number[]> = {
  winter: [11, 12, 1, 2, 3],
  spring: [4, 5],
  summer: [6, 7, 8],
  autumn: [9, 10],
  'snow-free': [6, 7, 8, 9, 10],
  'growing-season': [5, 6, 7, 8, 9],
};

/** The earliest day on or after `from` that lies in the season (its first day, if `from` is outside it). */
function seasonStart(from: Date, season: Season): Date {
  const months = SEASON_MONTHS[season];
  if (months.includes(from.getUTCMonth() + 1)) return from;
  let candidate = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), 1));
  while (!months.includes(candidate.getUTCMonth() + 1) || candidate < from) {
    candidate = new Date(Date.UTC(candidate.getUTCFullYear(), candidate.getUTCMonth() + 1, 1));
  }
  return candidate;
}

/** Midsummer Eve is the Friday between 19 and 25 June. */
function midsummerEve(year: number): Date {
  for (let day = 19; day <= 25; day += 1) {
    const date = new Date(Date.UTC(year, 5, day));
    if (date.getUTCDay() === 5) return date;
  }
  throw new Error('unreachable: every 7-day span has a Friday');
}

function nextFixedDate(from: Date, spec: NonNullable<DemoAssignment['onDate']>): Date {
  for (let year = from.getUTCFullYear(); ; year += 1) {
    const date = spec === 'midsummer-eve' ? midsummerEve(year) : new Date(Date.UTC(year, spec.month - 1, spec.day));
    if (date >= from) return date;
  }
}

/** Turns the relative timing in the content into concrete dates, counted from `today`. */
export function demoSchedule(
  a: DemoAssignment,
  today: Date,
  now: Date,
  index: number,
): { publishedAt: Date; applyBy: string; startsOn: string; endsOn: string | null } {
  const gap = a.startAfterApply ?? 3;
  let applyBy = addDays(today, a.applyInDays);
  let start: Date;
  if (a.onDate) {
    // An event on a fixed day: the next one that still leaves at least three days to
    // apply, with the last day to apply pulled forward if needed so that it comes first.
    start = nextFixedDate(addDays(today, 3 + gap), a.onDate);
    const latestApplyBy = addDays(start, -gap);
    if (latestApplyBy < applyBy) applyBy = latestApplyBy;
  } else {
    const earliestStart = addDays(applyBy, gap);
    start = a.season ? seasonStart(earliestStart, a.season) : earliestStart;
  }
  // A few hours of spread so that "newest first" is not a tie between same-day posts.
  const publishedAt = new Date(now.getTime() - a.publishedDaysAgo * DAY_MS - ((index * 5) % 11) * 3_600_000);
  return {
    publishedAt,
    applyBy: isoDate(applyBy),
    startsOn: isoDate(start),
    endsOn: a.durationDays === undefined ? null : isoDate(addDays(start, a.durationDays)),
  };
}

/**
 * The operator the demo's invoices come from: fictional, with a made-up organisation number and bankgiro whose
 * check digits are right, so every form and invoice accepts them. Valid from the start of the billing rules.
 */
export function demoOperator() {
  const operatorNumber = organisationNumber('559912345');
  const bankgiroBody = '5599123';
  return {
    valid_from: '2026-01-01',
    name: 'Uppdragsbanken Egenanställning AB (demo)',
    organisation_number: operatorNumber,
    vat_number: `SE${operatorNumber}01`,
    street_address: 'Storgatan 1',
    postal_code: '92131',
    city: 'Lycksele',
    bankgiro: `${bankgiroBody}${luhnCheckDigit(bankgiroBody)}`,
    f_tax_approved: true,
    fee_bp: 600,
    payment_terms_days: 30,
    invoice_series: 'UB',
    email: 'faktura@uppdragsbanken-demo.example.se',
  };
}

interface IdRow {
  id: number | string;
}

export interface SeedDemoOptions {
  /** Make the demo logins (never in production: the callers pass !isProduction). */
  logins?: boolean;
  /** The data encryption key (infrastructure's dataKeys): without it there is no billing demo. */
  dataKeys?: DataKeys;
}

export async function seedDemo(
  db: Knex,
  log: (msg: string) => void,
  options: SeedDemoOptions = {},
): Promise<{ assignments: number; logins: DemoLogin[] }> {
  const existing = await db('organisations').first('id');
  if (existing) {
    log('Demo data not loaded: the database already has organisations');
    return { assignments: 0, logins: [] };
  }

  const now = new Date();
  const today = utcDay(now);
  // Read before the transaction: its parallel queries must not share the transaction's connection.
  const reference = options.logins ? await loadReferenceData(db) : undefined;

  return inTransaction(
    db,
    async (trx) => {
      const localitySlugs = new Set<string>();
      const people: DemoPerson[] = [...ORGANISATIONS.flatMap((o) => o.members), ...RESIDENTS];
      for (const o of ORGANISATIONS) localitySlugs.add(o.locality);
      for (const p of people) localitySlugs.add(p.homeLocality);
      for (const r of RESIDENTS) r.localities.forEach((s) => localitySlugs.add(s));
      for (const a of ASSIGNMENTS) localitySlugs.add(a.locality);
      for (const w of BILLED_WORK) localitySlugs.add(w.locality);

      const localityRows: Array<IdRow & { slug: string; municipality_code: string }> = await trx('localities')
        .whereIn('slug', [...localitySlugs])
        .select('id', 'slug', 'municipality_code');
      const locality = new Map(localityRows.map((r) => [r.slug, { id: Number(r.id), municipalityCode: r.municipality_code }]));
      const missing = [...localitySlugs].filter((s) => !locality.has(s));
      if (missing.length > 0)
        throw new Error(`Demo data refers to unknown localities (run seedReference first?): ${missing.join(', ')}`);
      const localityOf = (slug: string) => locality.get(slug) as { id: number; municipalityCode: string };

      const categoryRows: Array<IdRow & { slug: string }> = await trx('categories').select('id', 'slug');
      const categoryId = new Map(categoryRows.map((r) => [r.slug, Number(r.id)]));

      // Users: organisation members and residents. No password: only the demo logins (below) can log in.
      const userRows: Array<IdRow & { email: string }> = await trx('users')
        .insert(
          people.map((p) => ({
            email: p.email,
            name: p.name,
            password_hash: null,
            home_municipality_code: localityOf(p.homeLocality).municipalityCode,
            home_locality_id: localityOf(p.homeLocality).id,
          })),
        )
        .returning(['id', 'email']);
      const userId = new Map(userRows.map((r) => [r.email, Number(r.id)]));
      const userOf = (email: string) => userId.get(email) as number;

      const organisationId = new Map<string, number>();
      for (const [i, o] of ORGANISATIONS.entries()) {
        const [row]: IdRow[] = await trx('organisations')
          .insert({
            name: o.name,
            slug: slugify(o.name),
            type: o.type,
            organisation_number: organisationNumber(o.organisationNumberBase),
            municipality_code: o.municipalityCode,
            locality_id: localityOf(o.locality).id,
            description: o.description,
            address: o.address,
            billing_email: o.billingEmail,
            website: o.website,
            verified_at: o.verified ? addDays(now, -(40 + i * 9)) : null,
          })
          .returning('id');
        const id = Number((row as IdRow).id);
        organisationId.set(o.key, id);
        await trx('organisation_members').insert(
          o.members.map((m, position) => ({
            organisation_id: id,
            user_id: userOf(m.email),
            role: position === 0 ? 'admin' : 'member',
          })),
        );
      }

      for (const r of RESIDENTS) {
        const id = userOf(r.email);
        await trx('resident_profiles').insert({
          user_id: id,
          bio: r.bio,
          availability: r.availability,
          driving_licence: r.drivingLicence,
        });
        await trx('resident_categories').insert(
          r.categories.map((slug) => {
            const category = categoryId.get(slug);
            if (category === undefined) throw new Error(`Demo resident ${r.name}: unknown category ${slug}`);
            return { user_id: id, category_id: category };
          }),
        );
        await trx('resident_localities').insert(r.localities.map((slug) => ({ user_id: id, locality_id: localityOf(slug).id })));
      }

      const organisationByKey = new Map(ORGANISATIONS.map((o) => [o.key, o]));
      let published = 0;
      let drafts = 0;
      for (const [index, a] of ASSIGNMENTS.entries()) {
        const organisation = organisationByKey.get(a.org);
        if (!organisation) throw new Error(`Demo assignment "${a.title}": unknown organisation ${a.org}`);
        // Only verified organisations publish without review (PRODUCT.md flow 1).
        const status = a.draft || !organisation.verified ? 'draft' : 'published';
        const schedule = demoSchedule(a, today, now, index);
        const input: NewAssignment = {
          organisationId: organisationId.get(a.org) as number,
          createdBy: userOf((organisation.members[0] as DemoPerson).email),
          title: a.title,
          description: a.description,
          categorySlug: a.category,
          municipalityCode: organisation.municipalityCode,
          localitySlug: a.locality,
          lat: a.point?.lat ?? null,
          lng: a.point?.lng ?? null,
          compensationType: a.compensation.type,
          amountSek: 'amountSek' in a.compensation ? a.compensation.amountSek : null,
          estimatedHours: a.estimatedHours ?? null,
          startsOn: schedule.startsOn,
          endsOn: schedule.endsOn,
          applyBy: schedule.applyBy,
          peopleNeeded: a.peopleNeeded ?? 1,
          requirements: a.requirements ?? '',
          workTraining: a.workTraining ?? false,
          supervisorAvailable: a.supervisorAvailable ?? false,
          status,
          ...(status === 'published' ? { publishedAt: schedule.publishedAt } : {}),
        };
        await createAssignment(trx, input);
        if (status === 'published') published += 1;
        else drafts += 1;
      }

      // Skills, certificates, languages, offers and confirmed work (issue 15).
      const competence = await seedDemoCompetence({
        trx,
        today: todayInStockholm(now),
        userOf,
        organisationOf: (key) => {
          const organisation = organisationByKey.get(key);
          if (!organisation) throw new Error(`Demo competence: unknown organisation ${key}`);
          return {
            id: organisationId.get(key) as number,
            adminId: userOf((organisation.members[0] as DemoPerson).email),
            municipalityCode: organisation.municipalityCode,
          };
        },
      });

      // Settings are never changed once written: an operator already there (added by hand) is kept as it is.
      if (!(await trx('operator_settings').first('id'))) await trx('operator_settings').insert(demoOperator());

      const history = await seedDemoHistory(trx, { today: todayInStockholm(now), dataKeys: options.dataKeys });
      if (history)
        log(
          `Demo history loaded (18 months): ${history.assignments} assignments, ${history.applications} applications, ` +
            `${history.residents} residents, ${history.salaries} salaries`,
        );

      let billing: DemoBillingSummary | undefined;
      if (options.dataKeys) {
        const billingOrganisation = (key: string) => {
          const organisation = organisationByKey.get(key);
          if (!organisation) throw new Error(`Demo billing: unknown organisation ${key}`);
          return {
            id: organisationId.get(key) as number,
            adminId: userOf((organisation.members[0] as DemoPerson).email),
            municipalityCode: organisation.municipalityCode,
          };
        };
        billing = await seedDemoBilling({
          trx,
          dataKeys: options.dataKeys,
          today: todayInStockholm(now),
          now,
          userOf,
          organisationOf: billingOrganisation,
        });
      } else log('Billing demo not loaded: no data encryption key (DATA_ENCRYPTION_KEY) to seal personnummer with');

      const logins = reference ? await seedDemoLogins(trx, reference) : [];
      const users =
        people.length + (logins.length > 0 ? DEMO_LOGINS.filter((spec) => typeof spec.person !== 'string').length : 0);

      log(
        `Demo data loaded: ${ORGANISATIONS.length} organisations, ${users} users ` +
          `(${RESIDENTS.length} residents), ${published + drafts} assignments (${published} published, ${drafts} drafts)` +
          `, ${competence.confirmations} confirmed skills` +
          (billing
            ? `, ${billing.accounts} enterprise accounts, ${billing.bases} billing bases, ${billing.invoices} invoices`
            : '') +
          (logins.length > 0 ? `, ${logins.length} demo logins` : ''),
      );
      return { assignments: published + drafts, logins };
    },
    { databaseErrors: 'raw' },
  );
}
