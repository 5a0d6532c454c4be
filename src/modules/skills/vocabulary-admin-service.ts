import { inTransaction, type Db, type DbOrTrx } from '../../platform/db.js';
import { FormError } from '../../platform/errors.js';
import { authorize, type Actor } from '../access/index.js';
import { enqueuePeopleIndexSync } from './people-sync.js';
import {
  mergeSkillRows,
  selectMergeSkills,
  selectUsersOfSkill,
  selectVocabulary,
  type MergeSkill,
  type VocabularyEntry,
} from './vocabulary-admin-queries.js';

// Platform admins keep the vocabulary (issue 15, item 1): they see the free tags residents typed and how many use
// each, and merge a tag (or a curated skill) into another skill. For anyone else these pages do not exist (404).

const E = (key: string) => `competenceVocabulary.errors.${key}`;

export interface MergeForm {
  from: string;
  into: string;
}

function authorizeVocabulary(actor: Actor): void {
  authorize(actor, 'admin.view'); // 404 for anyone but an admin, as every /admin page
  authorize(actor, 'competence.vocabulary');
}

export async function listVocabulary(db: DbOrTrx, actor: Actor): Promise<VocabularyEntry[]> {
  authorizeVocabulary(actor);
  return selectVocabulary(db);
}

const idOf = (value: unknown): number | undefined =>
  typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : undefined;

/** The two skills of a merge, checked: both exist, differ, and neither was merged already. */
async function mergePair(
  db: DbOrTrx,
  input: Record<string, unknown>,
  lock: boolean,
): Promise<{ from: MergeSkill; into: MergeSkill }> {
  const form: MergeForm = {
    from: typeof input.from === 'string' ? input.from.slice(0, 12) : '',
    into: typeof input.into === 'string' ? input.into.slice(0, 12) : '',
  };
  const fromId = idOf(input.from);
  const intoId = idOf(input.into);
  const skills = await selectMergeSkills(
    db,
    [fromId, intoId].filter((id): id is number => id !== undefined),
    lock,
  );
  const errors: Record<string, string> = {};
  const from = fromId === undefined ? undefined : skills.get(fromId);
  const into = intoId === undefined ? undefined : skills.get(intoId);
  if (!from) errors.from = E(input.from === undefined || input.from === '' ? 'chooseFrom' : 'unknown');
  else if (from.mergedIntoId !== null) errors.from = E('alreadyMerged');
  if (!into) errors.into = E(input.into === undefined || input.into === '' ? 'chooseInto' : 'unknown');
  else if (into.mergedIntoId !== null) errors.into = E('intoMerged');
  if (from && into && from.id === into.id) errors.into = E('self');
  if (Object.keys(errors).length || !from || !into) throw new FormError(errors, form);
  return { from, into };
}

/** The confirmation step's facts: the two skills and how many residents it touches. */
export async function previewMerge(db: DbOrTrx, actor: Actor, input: Record<string, unknown>) {
  authorizeVocabulary(actor);
  const { from, into } = await mergePair(db, input, false);
  return { from, into, residents: (await selectUsersOfSkill(db, from.id)).length };
}

/** Merges `from` into `into` in one transaction, with a people-index update for every resident it touches. */
export async function mergeSkills(
  db: Db,
  actor: Actor,
  input: Record<string, unknown>,
): Promise<{ from: MergeSkill; into: MergeSkill }> {
  authorizeVocabulary(actor);
  return inTransaction(db, async (trx) => {
    const pair = await mergePair(trx, input, true);
    const affected = await selectUsersOfSkill(trx, pair.from.id);
    await mergeSkillRows(trx, pair.from.id, pair.into.id);
    await enqueuePeopleIndexSync(trx, affected);
    // No audit row: the audit log (billing's recordAudit) takes only its own kinds, enforced by a CHECK constraint.
    return pair;
  });
}
