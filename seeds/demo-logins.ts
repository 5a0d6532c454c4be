import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { Actor } from '../src/modules/access/index.js';
import { hashPassword } from '../src/modules/accounts/index.js';
import { appointOfficer, appointPayrollStaff } from '../src/modules/admin/index.js';
import type { ReferenceData } from '../src/platform/reference-data.js';
import { inTransaction, type Db } from '../src/platform/db.js';
import type { Logger } from '../src/platform/logger.js';
import type { DemoPerson } from './demo-content.js';

// One demo account per role, so a newcomer can try every part of the site:
// made with the demo data (seeds/demo.ts) outside production, each with a
// random password made at that moment, printed once in the start log and
// listed at /dev/konton (src/web/dev-accounts.ts) from the `demo_logins` table
// (why a table: migrations/202612061100_create_demo_logins.ts).
//
// A new role joins by adding one entry to DEMO_LOGINS (and its name to
// src/locales/*/dev-accounts.json): who logs in, and what makes them that role.

export interface DemoLoginGrant {
  trx: Knex.Transaction;
  user: { id: number; email: string };
  reference: ReferenceData;
  /** The demo platform admin, for what only an admin may do (appointing officers and payroll staff); throws when none is. */
  platformAdmin: () => Actor;
}

export interface DemoLoginSpec {
  /** Key of the role: the row in demo_logins and the text devAccounts.roles.<role>. */
  role: string;
  /** The role in English, for the start log (the page has its own texts). */
  logLabel: string;
  /** A person of the demo content (by e-mail), so logging in shows real content; or a person made for this login. */
  person: string | DemoPerson;
  /** Platform admin (users.is_admin), set when the account is made: the other roles' grants may need one. */
  platformAdmin?: true;
  /** What makes the account this role beyond the demo content; runs after every demo account exists, in list order. */
  grant?: (context: DemoLoginGrant) => Promise<void>;
}

/** The pilot municipalities: Lycksele, Norsjö, Norrtälje. */
export const PILOT_MUNICIPALITIES = ['2481', '2417', '0188'] as const;

export const DEMO_LOGINS: readonly DemoLoginSpec[] = [
  // Has a profile with skills, villages and availability (seeds/demo-content.ts RESIDENTS).
  { role: 'resident', logLabel: 'Resident', person: 'erik.nilsson@example.se' },
  // The first member, hence admin, of Rusksele byaförening, which has published assignments and drafts.
  { role: 'member', logLabel: 'Association member (admin)', person: 'kerstin.lundmark@example.se' },
  {
    role: 'officer',
    logLabel: 'Municipality officer',
    person: { name: 'Ulrika Vesterlund', email: 'ulrika.vesterlund@example.se', homeLocality: 'lycksele-lycksele' },
    // Appointed the way a platform admin does it at /admin/handlaggare.
    grant: async ({ trx, user, reference, platformAdmin }) => {
      for (const municipality of PILOT_MUNICIPALITIES)
        await appointOfficer(trx, platformAdmin(), { email: user.email, municipality }, reference);
    },
  },
  {
    role: 'admin',
    logLabel: 'Platform admin',
    person: { name: 'David Åkerlund', email: 'david.akerlund@example.se', homeLocality: 'norsjo-norsjo' },
    platformAdmin: true,
  },
  {
    role: 'payroll',
    logLabel: 'Payroll staff',
    person: { name: 'Maja Lindqvist', email: 'maja.lindqvist@example.se', homeLocality: 'lycksele-lycksele' },
    // Appointed the way a platform admin does it at /admin/lon.
    grant: async ({ trx, user, platformAdmin }) => appointPayrollStaff(trx, platformAdmin(), { email: user.email }),
  },
];

export interface DemoLogin {
  role: string;
  logLabel: string;
  email: string;
  password: string;
}

// Crockford's base32 alphabet: no i, l, o or u, so nothing reads as 1, 0 or v.
// 32 symbols divide 256, so a byte modulo 32 picks each one with equal chance.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** 16 random base32 characters (80 bits) in groups of four: e.g. "k7m2-x9qa-3hfp-w8ce". */
export function makeDemoPassword(): string {
  const characters = [...randomBytes(16)].map((byte) => ALPHABET[byte % 32]).join('');
  return characters.match(/.{4}/g)!.join('-');
}

/**
 * Makes the demo accounts of DEMO_LOGINS inside the demo seed's transaction
 * (after the demo people and organisations exist): a fresh password, a
 * confirmed e-mail address, the role's rights, and a row in demo_logins.
 */
export async function seedDemoLogins(
  trx: Knex.Transaction,
  reference: ReferenceData,
  specs: readonly DemoLoginSpec[] = DEMO_LOGINS,
): Promise<DemoLogin[]> {
  const made: Array<{ spec: DemoLoginSpec; user: { id: number; email: string }; password: string }> = [];
  for (const spec of specs) {
    const password = makeDemoPassword();
    const account = {
      password_hash: await hashPassword(password),
      password_changed_at: trx.fn.now(),
      email_verified_at: trx.fn.now(),
      is_admin: spec.platformAdmin ?? false,
    };
    let id: number;
    if (typeof spec.person === 'string') {
      const [row] = await trx('users').where('email', spec.person).update(account).returning<{ id: number }[]>('id');
      if (!row) throw new Error(`Demo login "${spec.role}": ${spec.person} is not a demo person`);
      id = Number(row.id);
    } else {
      const home = await trx('localities').where('slug', spec.person.homeLocality).first('id', 'municipality_code');
      if (!home) throw new Error(`Demo login "${spec.role}": unknown locality ${spec.person.homeLocality}`);
      const [row] = await trx('users')
        .insert({
          ...account,
          email: spec.person.email,
          name: spec.person.name,
          home_municipality_code: home.municipality_code,
          home_locality_id: home.id,
        })
        .returning<{ id: number }[]>('id');
      id = Number(row!.id);
    }
    const email = typeof spec.person === 'string' ? spec.person : spec.person.email;
    made.push({ spec, user: { id, email }, password });
  }

  // Built here rather than by loadActor, whose parallel queries would share the
  // transaction's one connection; an admin's rights need no memberships.
  const admin = made.find((entry) => entry.spec.platformAdmin);
  const adminActor: Actor | undefined = admin && {
    userId: admin.user.id,
    isAdmin: true,
    emailVerified: true,
    memberships: new Map(),
    officerOf: new Set(),
    isPayroll: false,
  };
  const platformAdmin = () => {
    if (!adminActor) throw new Error('Demo logins: a grant needs an entry with platformAdmin');
    return adminActor;
  };
  for (const { spec, user } of made) await spec.grant?.({ trx, user, reference, platformAdmin });

  // The unique role makes a second set impossible, whatever calls this.
  await trx('demo_logins').insert(made.map(({ spec, user, password }) => ({ role: spec.role, user_id: user.id, password })));
  return made.map(({ spec, user, password }) => ({ role: spec.role, logLabel: spec.logLabel, email: user.email, password }));
}

/**
 * Prints the demo logins as one aligned block, one log line per account (the
 * columns line up in a terminal because every line of a process has the same
 * JSON prefix). These demo accounts on a local database are the only
 * passwords the app ever logs; the password is in the message only, as the
 * logger redacts any `password` field.
 */
export function logDemoLogins(log: Logger, logins: readonly DemoLogin[]): void {
  if (logins.length === 0) return;
  const labelWidth = Math.max(...logins.map((login) => login.logLabel.length));
  const emailWidth = Math.max(...logins.map((login) => login.email.length));
  log.info('Demo logins for this new database (printed only now; also listed at /dev/konton):');
  for (const login of logins)
    log.info(
      { demoLogin: true }, // the same for every line, so the messages stay aligned
      `  ${login.logLabel.padEnd(labelWidth)}  ${login.email.padEnd(emailWidth)}  ${login.password}`,
    );
}

/**
 * Production must not hold demo passwords (a database seeded in development
 * and then served in production): forgets them, and turns off the password of
 * each demo account that still has its demo one. Returns how many were found.
 */
export async function forgetDemoLogins(db: Db, log: Logger): Promise<number> {
  const forgotten = await inTransaction(
    db,
    async (trx) => {
      // Compared in SQL: a JavaScript Date would drop the timestamps' microseconds.
      await trx.raw(`
      UPDATE users SET password_hash = NULL, updated_at = now()
      FROM demo_logins
      WHERE demo_logins.user_id = users.id AND users.password_changed_at <= demo_logins.created_at`);
      const deleted: number = await trx('demo_logins').delete();
      return deleted;
    },
    { databaseErrors: 'raw' },
  );
  if (forgotten > 0)
    log.warn(
      { demoLogins: forgotten },
      `Production: forgot ${forgotten} demo login(s) made in development; those accounts keep no demo password (use "Glömt lösenord" or npm run create-admin)`,
    );
  return forgotten;
}
