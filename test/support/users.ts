import request from 'supertest';
import type { Express } from 'express';
import type { Db } from '../../src/platform/db.js';
import { hashPassword } from '../../src/modules/accounts/passwords.js';

// Users for tests that are about something else than signing up: created
// straight in the database (verified, with a known password) and logged in
// through the real login form.

export const TEST_PASSWORD = 'ett långt testlösenord';
let sequence = 0;

export async function createUser(
  db: Db,
  overrides: Partial<{ email: string; name: string; isAdmin: boolean; verified: boolean; password: string }> = {},
): Promise<{ id: number; email: string; name: string }> {
  const n = ++sequence;
  const email = overrides.email ?? `user${n}.${process.pid}@example.se`;
  const name = overrides.name ?? `Testperson ${n}`;
  const [row] = await db('users')
    .insert({
      email,
      name,
      password_hash: await hashPassword(overrides.password ?? TEST_PASSWORD),
      is_admin: overrides.isAdmin ?? false,
      email_verified_at: overrides.verified === false ? null : new Date(),
      home_municipality_code: '2481',
    })
    .returning<{ id: number }[]>('id');
  return { id: row!.id, email, name };
}

export const csrfFrom = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

export interface LoggedIn {
  agent: ReturnType<typeof request.agent>;
  /** A CSRF token of this session (from a page that has a form). */
  csrf: string;
}

/** `app` is the Express app, or the base URL of a running server. */
export async function logInAs(app: Express | string, email: string, password = TEST_PASSWORD): Promise<LoggedIn> {
  const agent = request.agent(app);
  const form = await agent.get('/logga-in').expect(200);
  await agent
    .post('/logga-in')
    .type('form')
    .send({ email, password, _csrf: csrfFrom(form.text) })
    .expect(303);
  const page = await agent.get('/konto').expect(200);
  return { agent, csrf: csrfFrom(page.text) };
}

/**
 * Sends a form as the logged-in user would: url-encoded, with the session's CSRF
 * token. A string is sent as the raw body (for repeated or malformed fields).
 */
export const postForm = (client: LoggedIn, path: string, fields: Record<string, unknown> | string = {}) =>
  typeof fields === 'string'
    ? client.agent
        .post(path)
        .type('form')
        .send(`${fields}&_csrf=${encodeURIComponent(client.csrf)}`)
    : client.agent
        .post(path)
        .type('form')
        .send({ ...fields, _csrf: client.csrf });
