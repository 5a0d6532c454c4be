import type { DbOrTrx } from '../../platform/db.js';
import type { CompetenceVisibility } from '../access/index.js';

// Learn from each other (issue 15, item 6): "can teach" × "want to learn" among residents who both opted in
// (resident_profiles.learning_matches), near each other, each allowed to see the other's card; and the short
// messages they send one another (learning_contacts, migration 202612062230).
//
// "The same or a neighbouring municipality", made concrete: the same home municipality, or a place of one (home
// village or a village they chose on their profile) within NEIGHBOUR_KM of a place of the other, measured between
// the villages' coordinates. The reference data has no list of which municipalities border which, and in the north
// a border says little (Lycksele's villages lie up to 100 km apart, some of Norsjö's closer to Lycksele than to
// their own centre); the distance between the villages is what decides whether two people can meet to teach and
// learn. 60 km is about 45 minutes by car on the inland's roads, which people drive for a course or a club evening.

export const NEIGHBOUR_KM = 60;

export interface LearningSettings {
  learningMatches: boolean;
  visibility: CompetenceVisibility;
  publicId: string;
}

export async function selectLearningSettings(db: DbOrTrx, userId: number): Promise<LearningSettings | undefined> {
  return db('resident_profiles')
    .where('user_id', userId)
    .first({ learningMatches: 'learning_matches', visibility: 'visibility', publicId: db.raw('public_id::text') });
}

export interface LearningMatchRow {
  userId: number;
  publicId: string;
  name: string;
  villages: string[];
  /** Skills they can teach that I want to learn (Swedish and English names). */
  theyTeach: Array<{ nameSv: string; nameEn: string }>;
  /** Skills I can teach that they want to learn. */
  iTeach: Array<{ nameSv: string; nameEn: string }>;
}

/**
 * The actor's current matches, the most shared skills first. Both opted in, neither hidden, each may see the
 * other's card (a 'public' one anyone; an 'organisations' one only a member of an organisation: the access rule,
 * in SQL), near each other (see NEIGHBOUR_KM), and a skill one can teach that the other wants to learn.
 * `onlyUserId` narrows the answer to one person (is this one a match?).
 */
export async function selectLearningMatches(
  db: DbOrTrx,
  me: { userId: number; isMember: boolean },
  options: { limit: number; onlyUserId?: number },
): Promise<LearningMatchRow[]> {
  const { rows } = await db.raw<{ rows: LearningMatchRow[] }>(
    `WITH me AS (
      SELECT u.id, u.home_municipality_code, p.visibility
      FROM users u JOIN resident_profiles p ON p.user_id = u.id
      WHERE u.id = :me AND p.learning_matches AND p.visibility <> 'hidden'
    ), places AS (
      SELECT u.id AS user_id, l.lat, l.lng FROM users u JOIN localities l ON l.id = u.home_locality_id
      UNION
      SELECT rl.user_id, l.lat, l.lng FROM resident_localities rl JOIN localities l ON l.id = rl.locality_id
    ), others AS (
      SELECT u.id, u.name, p.public_id::text AS public_id
      FROM users u
      JOIN resident_profiles p ON p.user_id = u.id
      CROSS JOIN me
      WHERE u.id <> me.id AND p.learning_matches AND p.visibility <> 'hidden'
        AND (CAST(:onlyUserId AS bigint) IS NULL OR u.id = :onlyUserId)
        -- I may see their card, and they mine.
        AND (p.visibility = 'public' OR :isMember)
        AND (me.visibility = 'public' OR EXISTS (SELECT 1 FROM organisation_members om WHERE om.user_id = u.id))
        AND (
          u.home_municipality_code = me.home_municipality_code
          OR EXISTS (
            SELECT 1 FROM places mine JOIN places theirs ON theirs.user_id = u.id
            WHERE mine.user_id = me.id
              AND 2 * 6371 * asin(sqrt(
                power(sin(radians(theirs.lat - mine.lat) / 2), 2)
                + cos(radians(mine.lat)) * cos(radians(theirs.lat)) * power(sin(radians(theirs.lng - mine.lng) / 2), 2)
              )) <= :neighbourKm
          )
        )
    ), they_teach AS (
      SELECT rs.user_id, json_agg(json_build_object('nameSv', s.name_sv, 'nameEn', s.name_en) ORDER BY s.name_sv) AS skills,
        count(*) AS n
      FROM resident_skills rs
      JOIN others o ON o.id = rs.user_id
      JOIN resident_learning_wishes w ON w.user_id = :me AND w.skill_id = rs.skill_id
      JOIN skills s ON s.id = rs.skill_id
      WHERE rs.level = 'can_teach'
      GROUP BY rs.user_id
    ), i_teach AS (
      SELECT w.user_id, json_agg(json_build_object('nameSv', s.name_sv, 'nameEn', s.name_en) ORDER BY s.name_sv) AS skills,
        count(*) AS n
      FROM resident_learning_wishes w
      JOIN others o ON o.id = w.user_id
      JOIN resident_skills rs ON rs.user_id = :me AND rs.skill_id = w.skill_id AND rs.level = 'can_teach'
      JOIN skills s ON s.id = w.skill_id
      GROUP BY w.user_id
    )
    SELECT o.id AS "userId", o.public_id AS "publicId", o.name,
      coalesce((
        SELECT array_agg(DISTINCT l.name ORDER BY l.name)
        FROM localities l
        WHERE l.id IN (SELECT rl.locality_id FROM resident_localities rl WHERE rl.user_id = o.id)
      ), '{}') AS villages,
      coalesce(tt.skills, '[]') AS "theyTeach", coalesce(it.skills, '[]') AS "iTeach"
    FROM others o
    LEFT JOIN they_teach tt ON tt.user_id = o.id
    LEFT JOIN i_teach it ON it.user_id = o.id
    WHERE tt.user_id IS NOT NULL OR it.user_id IS NOT NULL
    ORDER BY coalesce(tt.n, 0) + coalesce(it.n, 0) DESC, o.name, o.id
    LIMIT :limit`,
    {
      me: me.userId,
      isMember: me.isMember,
      onlyUserId: options.onlyUserId ?? null,
      neighbourKm: NEIGHBOUR_KM,
      limit: options.limit,
    },
  );
  return rows;
}

/** The person behind a card's public id (already checked to be a UUID). */
export async function selectUserIdByPublicId(db: DbOrTrx, publicId: string): Promise<number | undefined> {
  const row = (await db('resident_profiles').where('public_id', publicId).first('user_id')) as { user_id: number } | undefined;
  return row?.user_id;
}

/** Serialises one sender's messages, so two at once cannot both pass the limit. */
export async function lockSender(db: DbOrTrx, userId: number): Promise<void> {
  await db.raw('SELECT 1 FROM users WHERE id = ? FOR UPDATE', [userId]);
}

export async function countContactsSince(db: DbOrTrx, fromUserId: number, since: Date, toUserId?: number): Promise<number> {
  const query = db('learning_contacts').where('from_user_id', fromUserId).where('created_at', '>', since);
  if (toUserId !== undefined) query.where('to_user_id', toUserId);
  const row = (await query.first({ count: db.raw('count(*)::int') })) as { count: number } | undefined;
  return row?.count ?? 0;
}

export async function insertContact(
  db: DbOrTrx,
  contact: { fromUserId: number; toUserId: number; message: string },
): Promise<void> {
  await db('learning_contacts').insert({
    from_user_id: contact.fromUserId,
    to_user_id: contact.toUserId,
    message: contact.message,
  });
}

export interface ReceivedContact {
  id: number;
  message: string;
  createdAt: Date;
  senderName: string;
  senderPublicId: string | null;
  senderVisibility: CompetenceVisibility | null;
  senderUserId: number;
}

/** Messages to the resident, newest first. */
export async function selectReceivedContacts(db: DbOrTrx, userId: number, limit: number): Promise<ReceivedContact[]> {
  return (await db('learning_contacts as c')
    .join('users as u', 'u.id', 'c.from_user_id')
    .leftJoin('resident_profiles as p', 'p.user_id', 'c.from_user_id')
    .where('c.to_user_id', userId)
    .orderBy([
      { column: 'c.created_at', order: 'desc' },
      { column: 'c.id', order: 'desc' },
    ])
    .limit(limit)
    .select({
      id: 'c.id',
      message: 'c.message',
      createdAt: 'c.created_at',
      senderName: 'u.name',
      senderPublicId: db.raw('p.public_id::text'),
      senderVisibility: 'p.visibility',
      senderUserId: 'c.from_user_id',
    })) as ReceivedContact[];
}
