import { inTransaction, type DbOrTrx } from '../../platform/db.js';
import { AppError, FormError, notFound } from '../../platform/errors.js';
import { authorize, type Actor } from '../access/index.js';
import { notify } from '../notifications/index.js';
import {
  insertConfirmations,
  selectAcceptedWorkers,
  selectAskedSkills,
  selectConfirmAssignment,
  selectConfirmedPairs,
  selectWorkerSkills,
  type ConfirmableSkill,
  type ConfirmAssignmentRow,
} from './confirm-queries.js';
import { enqueuePeopleIndexSync } from './people-sync.js';

// Confirming the skills used in a completed assignment (issue 15, item 3; PRODUCT.md "Skills and competence"). Only
// the organisation that completed the work, through its members (competence.confirm), once it has given its
// feedback about the worker: the confirmation is the organisation vouching for the work it rated. Each worker may
// get their own skills and the assignment's asked-for skills confirmed, once per assignment, person and skill (a
// unique index: a second time is a no-op with a notice). The resident is told, and may hide any confirmation on
// their own profile (the profile pages).

/** The most boxes one form can carry: far more than any assignment's workers × skills. */
const MAX_CHOICES = 500;
const CHOICE = /^(\d{1,15}):(\d{1,9})$/;

export const confirmPath = (assignmentId: number) => `/kompetens/bekrafta/${assignmentId}`;

export interface ConfirmOption extends ConfirmableSkill {
  /** The form value: "applicationId:skillId" (no user id in the page). */
  value: string;
  confirmed: boolean;
  /** The assignment asked for it (else it is on the worker's profile only). */
  asked: boolean;
}

export interface ConfirmWorker {
  applicationId: number;
  name: string;
  feedbackGiven: boolean;
  options: ConfirmOption[];
}

export interface ConfirmPage {
  assignment: { id: number; title: string; organisationName: string };
  workers: ConfirmWorker[];
}

export interface ConfirmForm {
  /** The boxes ticked, as sent. */
  chosen: string[];
}

async function loadAssignment(db: DbOrTrx, actor: Actor, assignmentId: number): Promise<ConfirmAssignmentRow> {
  if (!Number.isSafeInteger(assignmentId) || assignmentId <= 0) {
    if (actor.userId === undefined) throw new AppError('unauthenticated', 'Log in first');
    throw notFound();
  }
  const assignment = await selectConfirmAssignment(db, assignmentId);
  if (!assignment) {
    if (actor.userId === undefined) throw new AppError('unauthenticated', 'Log in first');
    throw notFound();
  }
  authorize(actor, 'competence.confirm', { organisationId: assignment.organisationId });
  if (assignment.status !== 'completed') throw new AppError('conflict', 'competenceConfirm.errors.notCompleted');
  return assignment;
}

async function buildPage(
  db: DbOrTrx,
  assignment: ConfirmAssignmentRow,
): Promise<{ page: ConfirmPage; userOf: Map<number, number> }> {
  const workers = await selectAcceptedWorkers(db, assignment.id);
  // One after another: inside the POST's transaction there is one connection.
  const own = await selectWorkerSkills(
    db,
    workers.map((worker) => worker.userId),
  );
  const asked = await selectAskedSkills(db, assignment.id);
  const confirmed = await selectConfirmedPairs(db, assignment.id);
  const askedIds = new Set(asked.map((skill) => skill.skillId));
  const userOf = new Map(workers.map((worker) => [worker.applicationId, worker.userId]));
  return {
    userOf,
    page: {
      assignment: { id: assignment.id, title: assignment.title, organisationName: assignment.organisationName },
      workers: workers.map((worker) => {
        const skills = new Map<number, ConfirmableSkill>();
        for (const skill of asked) skills.set(skill.skillId, skill);
        for (const skill of own.filter((row) => row.userId === worker.userId))
          skills.set(skill.skillId, { skillId: skill.skillId, kind: skill.kind, nameSv: skill.nameSv, nameEn: skill.nameEn });
        return {
          applicationId: worker.applicationId,
          name: worker.name,
          feedbackGiven: worker.feedbackGiven,
          options: [...skills.values()]
            .sort(
              (a, b) =>
                Number(askedIds.has(b.skillId)) - Number(askedIds.has(a.skillId)) || a.nameSv.localeCompare(b.nameSv, 'sv'),
            )
            .map((skill) => ({
              ...skill,
              value: `${worker.applicationId}:${skill.skillId}`,
              confirmed: confirmed.has(`${worker.userId}:${skill.skillId}`),
              asked: askedIds.has(skill.skillId),
            })),
        };
      }),
    },
  };
}

export async function getConfirmPage(db: DbOrTrx, actor: Actor, assignmentId: number): Promise<ConfirmPage> {
  return (await buildPage(db, await loadAssignment(db, actor, assignmentId))).page;
}

/** The ticked boxes as sent: one string or several; anything else is no choice. */
function chosenOf(body: Record<string, unknown>): { chosen: string[]; valid: boolean } {
  const raw = body.confirm;
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const valid = list.length <= MAX_CHOICES && list.every((value) => typeof value === 'string' && CHOICE.test(value));
  return { chosen: list.filter((value): value is string => typeof value === 'string').slice(0, MAX_CHOICES), valid };
}

/**
 * Confirms the ticked skills. Refused with the form again when nothing valid is ticked or a box names a worker or
 * skill the page does not offer (a worker not yet rated, another assignment's worker, a skill neither asked for nor
 * on the worker's profile). Returns how many confirmations are new: 0 when every one was given before.
 */
export async function confirmSkills(
  db: DbOrTrx,
  actor: Actor,
  assignmentId: number,
  body: Record<string, unknown>,
): Promise<{ confirmed: number }> {
  const { chosen, valid } = chosenOf(body);
  return inTransaction(db, async (trx) => {
    const assignment = await loadAssignment(trx, actor, assignmentId);
    const { page, userOf } = await buildPage(trx, assignment);
    const form: ConfirmForm = { chosen: valid ? chosen : [] };
    if (!valid) throw new FormError({ confirm: 'competenceConfirm.errors.invalid' }, form);
    if (chosen.length === 0) throw new FormError({ confirm: 'competenceConfirm.errors.chooseOne' }, form);
    const offered = new Map(
      page.workers
        .filter((worker) => worker.feedbackGiven)
        .flatMap((worker) => worker.options.map((option) => [option.value, option])),
    );
    if (chosen.some((value) => !offered.has(value))) throw new FormError({ confirm: 'competenceConfirm.errors.invalid' }, form);

    const rows = [...new Set(chosen)].map((value) => {
      const [applicationId, skillId] = value.split(':').map(Number) as [number, number];
      return { userId: userOf.get(applicationId)!, skillId };
    });
    const inserted = await insertConfirmations(trx, rows, {
      assignmentId: assignment.id,
      organisationId: assignment.organisationId,
      confirmedByUserId: actor.userId!,
    });
    const skillName = new Map([...offered.values()].map((option) => [option.skillId, option.nameSv]));
    const byUser = new Map<number, string[]>();
    for (const row of inserted) byUser.set(row.userId, [...(byUser.get(row.userId) ?? []), skillName.get(row.skillId) ?? '']);
    for (const [userId, skills] of byUser) {
      if (userId === actor.userId) continue; // a member who worked on their own organisation's assignment needs no notice
      await notify(trx, {
        userIds: [userId],
        type: 'skill_confirmed',
        link: '/konto/kompetens',
        params: { organisation: assignment.organisationName, assignment: assignment.title, skills: skills.join(', ') },
      });
    }
    await enqueuePeopleIndexSync(trx, byUser.keys());
    return { confirmed: inserted.length };
  });
}
