import type { Knex } from 'knex';

// Skills and competence (issue 15). One vocabulary of skills, certificates and languages (seeds/skills.ts keeps the
// curated part; a resident's word that matches nothing is kept as a free tag an admin can later merge), and what
// residents say about themselves against it: skills with a level, certificates with an expiry, languages, what they
// offer, what they want to learn, and who may see it. Organisations confirm skills after completed work, invite
// people to apply, and name the skills an assignment asks for (demand, beside the residents' supply).
//
// `match_keys` hold each name and synonym folded as src/modules/skills/vocabulary.ts folds a typed word (lower
// case, diacritics and punctuation dropped: "Motorsåg" and "motorsag" are one key), so a typed tag finds its skill
// with one indexed lookup. A merged skill keeps its row (links and old confirmations stay readable) and points to
// the one it became.

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE skills (
      id serial PRIMARY KEY,
      slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND char_length(slug) <= 80),
      kind text NOT NULL CHECK (kind IN ('skill', 'certificate', 'language')),
      name_sv text NOT NULL CHECK (char_length(name_sv) BETWEEN 1 AND 60),
      name_en text NOT NULL CHECK (char_length(name_en) BETWEEN 1 AND 60),
      category_id integer REFERENCES categories(id),
      synonyms text[] NOT NULL DEFAULT '{}',
      match_keys text[] NOT NULL DEFAULT '{}',
      curated boolean NOT NULL DEFAULT false,
      merged_into_id integer REFERENCES skills(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK (merged_into_id IS DISTINCT FROM id)
    );
    CREATE INDEX skills_match_keys ON skills USING gin (match_keys);

    CREATE TABLE resident_skills (
      user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      skill_id integer NOT NULL REFERENCES skills(id),
      level text CHECK (level IN ('beginner', 'experienced', 'can_teach')),
      expires_on date,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (user_id, skill_id)
    );
    CREATE INDEX resident_skills_skill ON resident_skills (skill_id);

    CREATE TABLE resident_learning_wishes (
      user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      skill_id integer NOT NULL REFERENCES skills(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (user_id, skill_id)
    );
    CREATE INDEX resident_learning_wishes_skill ON resident_learning_wishes (skill_id);

    CREATE TABLE resident_offers (
      id bigserial PRIMARY KEY,
      user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 80),
      description text NOT NULL DEFAULT '' CHECK (char_length(description) <= 500),
      price_ore bigint CHECK (price_ore BETWEEN 0 AND 100000000),
      volunteer boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (NOT (volunteer AND price_ore IS NOT NULL))
    );
    CREATE INDEX resident_offers_user ON resident_offers (user_id);

    CREATE TABLE skill_confirmations (
      id bigserial PRIMARY KEY,
      user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      skill_id integer NOT NULL REFERENCES skills(id),
      assignment_id bigint NOT NULL REFERENCES assignments(id) ON DELETE CASCADE,
      organisation_id bigint NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      confirmed_by_user_id bigint REFERENCES users(id) ON DELETE SET NULL,
      confirmed_at timestamptz NOT NULL DEFAULT now(),
      hidden boolean NOT NULL DEFAULT false,
      UNIQUE (assignment_id, user_id, skill_id)
    );
    CREATE INDEX skill_confirmations_user ON skill_confirmations (user_id);

    CREATE TABLE assignment_skills (
      assignment_id bigint NOT NULL REFERENCES assignments(id) ON DELETE CASCADE,
      skill_id integer NOT NULL REFERENCES skills(id),
      PRIMARY KEY (assignment_id, skill_id)
    );
    CREATE INDEX assignment_skills_skill ON assignment_skills (skill_id);

    CREATE TABLE skill_invites (
      id bigserial PRIMARY KEY,
      assignment_id bigint NOT NULL REFERENCES assignments(id) ON DELETE CASCADE,
      user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      organisation_id bigint NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
      invited_by_user_id bigint REFERENCES users(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (assignment_id, user_id)
    );
    -- The rate limit counts an organisation's invites in a recent window.
    CREATE INDEX skill_invites_organisation_created ON skill_invites (organisation_id, created_at);
    CREATE INDEX skill_invites_user ON skill_invites (user_id);

    -- Who sees the competence profile (hidden by default: privacy is the resident's choice), whether
    -- organisations may invite them, whether they take part in learn-from-each-other matches (opt-in), and an
    -- opaque id for the person's card URL (no user id or name in a link).
    ALTER TABLE resident_profiles
      ADD COLUMN visibility text NOT NULL DEFAULT 'hidden' CHECK (visibility IN ('hidden', 'organisations', 'public')),
      ADD COLUMN invites_allowed boolean NOT NULL DEFAULT true,
      ADD COLUMN learning_matches boolean NOT NULL DEFAULT false,
      ADD COLUMN public_id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE;
    UPDATE resident_profiles SET visibility = 'organisations' WHERE visible_to_organisations;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE resident_profiles
      DROP COLUMN visibility, DROP COLUMN invites_allowed, DROP COLUMN learning_matches, DROP COLUMN public_id;
    DROP TABLE skill_invites, assignment_skills, skill_confirmations, resident_offers, resident_learning_wishes,
      resident_skills, skills;
  `);
}
