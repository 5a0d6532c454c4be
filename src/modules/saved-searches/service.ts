import { z } from 'zod';
import { inTransaction, type DbOrTrx } from '../../platform/db.js';
import { AppError, FormError, notFound } from '../../platform/errors.js';
import type { TFunction } from '../../platform/i18n.js';
import { fieldErrors, formText, textField } from '../../platform/validation.js';
import { authorize, type Actor } from '../access/index.js';
import type { ReferenceData } from '../../platform/reference-data.js';
import {
  countSavedSearches,
  deleteOwnSavedSearch,
  FREQUENCIES,
  insertSavedSearch,
  lockUser,
  selectOwnSavedSearch,
  selectOwnSavedSearches,
  selectSavedSearch,
  updateFrequency,
  updateOwnSavedSearch,
  type Frequency,
} from './queries.js';
import { defaultName, describeSearch, savedQueryFrom, searchPath, withVillageAsPoint } from './search-query.js';
import { verifyUnsubscribeToken } from './tokens.js';

// Saving, listing, editing and deleting one's saved searches, and the
// unsubscribe link of the alert mails. Each person sees only their own: any
// other id is a 404, whoever asks.

/** Saved searches per person: enough for every real use, and a bound on the alert job's work. */
export const MAX_SAVED_SEARCHES = 20;
export const MAX_NAME_LENGTH = 100;

export interface SavedSearchForm {
  name: string;
  frequency: string;
  /** The search's query string (hidden in the form). */
  query: string;
}

export interface SavedSearchView {
  id: number;
  name: string;
  frequency: Frequency;
  /** The search in words; empty when it matches everything. */
  description: string[];
  /** /uppdrag with the saved parameters. */
  searchUrl: string;
  /** False when the reference data changed so that the stored parameters no longer parse. */
  valid: boolean;
}

const formSchema = z.object({
  name: textField({ typeMessage: 'savedSearches.errors.nameRequired' })
    .transform((value) => value.replace(/\s+/g, ' ').trim())
    .pipe(
      z
        .string()
        .min(1, 'savedSearches.errors.nameRequired')
        .refine((value) => Array.from(value).length <= MAX_NAME_LENGTH, 'savedSearches.errors.nameTooLong'),
    ),
  frequency: z.enum(FREQUENCIES, { message: 'savedSearches.errors.frequency' }),
});

function validateForm(body: Record<string, unknown>): { name: string; frequency: Frequency } {
  const parsed = formSchema.safeParse(body);
  if (!parsed.success) throw new FormError(fieldErrors(parsed.error), echo(body));
  return parsed.data;
}

/** The submitted form as given (bounded), so a refused form keeps what was typed. */
function echo(body: Record<string, unknown>): SavedSearchForm {
  return { name: formText(body.name, 500), frequency: formText(body.frequency, 20), query: formText(body.query, 4000) };
}

/** The form for saving the search in `query` (the /uppdrag parameters): a default name and its words. */
export function newSavedSearchForm(
  actor: Actor,
  query: Record<string, unknown>,
  reference: ReferenceData,
  t: TFunction,
  lang: string,
): { form: SavedSearchForm; description: string[] } {
  authorize(actor, 'savedSearch.manage');
  const withPoint = withVillageAsPoint(query, reference);
  const saved = withPoint ? savedQueryFrom(withPoint, reference) : undefined;
  if (!saved?.ok) throw new AppError('bad_request', 'savedSearches.errors.query');
  return {
    form: { name: defaultName(saved.params, reference, t, lang), frequency: 'daily', query: saved.query },
    description: describeSearch(saved.params, reference, t, lang),
  };
}

/** The words of the search a (possibly refused) form carries; empty when it does not parse. */
export function describeForm(form: SavedSearchForm, reference: ReferenceData, t: TFunction, lang: string): string[] {
  const saved = savedQueryFrom(form.query, reference);
  return saved.ok ? describeSearch(saved.params, reference, t, lang) : [];
}

export async function createSavedSearch(
  db: DbOrTrx,
  actor: Actor,
  body: Record<string, unknown>,
  reference: ReferenceData,
): Promise<number> {
  authorize(actor, 'savedSearch.manage');
  const userId = actor.userId!;
  const saved = savedQueryFrom(formText(body.query), reference);
  const errors: Record<string, string> = {};
  if (typeof body.query !== 'string' || !saved.ok) errors.query = 'savedSearches.errors.query';
  let values: { name: string; frequency: Frequency } | undefined;
  try {
    values = validateForm(body);
  } catch (error) {
    if (!(error instanceof FormError)) throw error;
    Object.assign(errors, error.fields);
  }
  if (!values || !saved.ok || Object.keys(errors).length) throw new FormError(errors, echo(body));

  return inTransaction(db, async (trx) => {
    // The person's row is the lock: two saves at once cannot both pass the limit.
    await lockUser(trx, userId);
    if ((await countSavedSearches(trx, userId)) >= MAX_SAVED_SEARCHES)
      throw new FormError({ form: 'savedSearches.errors.limit' }, echo(body), 'conflict');
    return insertSavedSearch(trx, { user_id: userId, name: values.name, query: saved.query, frequency: values.frequency });
  });
}

export async function listSavedSearches(
  db: DbOrTrx,
  actor: Actor,
  reference: ReferenceData,
  t: TFunction,
  lang: string,
): Promise<SavedSearchView[]> {
  authorize(actor, 'savedSearch.manage');
  const rows = await selectOwnSavedSearches(db, actor.userId!);
  return rows.map((row) => {
    const saved = savedQueryFrom(row.query, reference);
    return {
      id: row.id,
      name: row.name,
      frequency: row.frequency,
      description: saved.ok ? describeSearch(saved.params, reference, t, lang) : [],
      searchUrl: searchPath(row.query),
      valid: saved.ok,
    };
  });
}

export async function getSavedSearchForEdit(
  db: DbOrTrx,
  actor: Actor,
  id: number,
): Promise<{ id: number; form: SavedSearchForm }> {
  authorize(actor, 'savedSearch.manage');
  const row = await selectOwnSavedSearch(db, actor.userId!, id);
  if (!row) throw notFound();
  return { id: row.id, form: { name: row.name, frequency: row.frequency, query: row.query } };
}

/** Changes the name and the frequency; the search itself is saved anew from the search page. */
export async function updateSavedSearch(db: DbOrTrx, actor: Actor, id: number, body: Record<string, unknown>): Promise<void> {
  const { form } = await getSavedSearchForEdit(db, actor, id);
  let values;
  try {
    values = validateForm(body);
  } catch (error) {
    if (error instanceof FormError) throw new FormError(error.fields, { ...error.form, query: form.query });
    throw error;
  }
  await updateOwnSavedSearch(db, actor.userId!, id, values);
}

export async function deleteSavedSearch(db: DbOrTrx, actor: Actor, id: number): Promise<void> {
  authorize(actor, 'savedSearch.manage');
  const deleted = Number.isSafeInteger(id) && id > 0 ? await deleteOwnSavedSearch(db, actor.userId!, id) : 0;
  if (!deleted) throw notFound();
}

/** What the unsubscribe page shows: the saved search the token names, and whether its mails are already off. */
export async function unsubscribeTarget(
  db: DbOrTrx,
  secret: string,
  token: unknown,
): Promise<{ id: number; name: string; alreadyOff: boolean }> {
  const id = verifyUnsubscribeToken(secret, token);
  // A tampered token and one for a saved search deleted since get the same answer.
  const row = id === undefined ? undefined : await selectSavedSearch(db, id);
  if (!row) throw new AppError('bad_request', 'savedSearches.unsubscribe.invalid');
  return { id: row.id, name: row.name, alreadyOff: row.frequency === 'off' };
}

/** Turns the saved search's mails off (it stays in the person's list). Repeating it changes nothing. */
export async function unsubscribe(db: DbOrTrx, secret: string, token: unknown): Promise<{ name: string }> {
  const target = await unsubscribeTarget(db, secret, token);
  if (!target.alreadyOff) await updateFrequency(db, target.id, 'off');
  return { name: target.name };
}
