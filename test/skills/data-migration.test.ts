import { expect } from 'chai';
import { useTestApp } from '../support/test-app.js';
import { createUser } from '../support/users.js';

// The old profile's free-text skills (resident_profiles.skill_tags) and visibility switch move to the skills tables
// (migrations/202612062210_move_profile_skills.ts): each tag matched to the vocabulary on its folded key, a free tag
// for the rest, and a down that puts the columns back.

const MIGRATION = '202612062210_move_profile_skills.ts';

describe('Moving the profile skills to the skills tables (migration)', function () {
  this.timeout(120_000);
  const ctx = useTestApp();

  const columns = async () =>
    (
      await ctx.db.raw<{ rows: Array<{ column_name: string }> }>(
        `SELECT column_name FROM information_schema.columns WHERE table_name = 'resident_profiles' ORDER BY 1`,
      )
    ).rows.map((row) => row.column_name);

  const skillsOf = async (userId: number) =>
    ctx
      .db('resident_skills as rs')
      .join('skills as s', 's.id', 'rs.skill_id')
      .where('rs.user_id', userId)
      .orderBy('s.slug')
      .select('s.slug', 's.name_sv as name', 's.curated', 's.kind', 's.match_keys as keys');

  it('when profiles hold tags with duplicates, spelling variants and hostile text, then each becomes one skill or free tag; down puts the tags back', async () => {
    await ctx.db.migrate.down({ name: MIGRATION });
    expect(await columns()).to.include.members(['skill_tags', 'visible_to_organisations', 'visibility']);

    // On an existing database the vocabulary is seeded after the migrations: here it is not there yet.
    const before = await ctx.db('skills').count<{ n: string }[]>({ n: '*' });
    expect(Number(before[0]!.n)).to.be.greaterThan(0);
    await ctx.db('skills').delete();

    // One after the other: the tags are read in user order, and the first spelling names a free tag.
    const anna = await createUser(ctx.db);
    const bo = await createUser(ctx.db);
    const cissi = await createUser(ctx.db);
    const dan = await createUser(ctx.db);
    const long = 'Restaurering av gamla timmerhus med handverktyg och linolja i fjällmiljö';
    await ctx.db('resident_profiles').insert([
      {
        user_id: anna.id,
        // One certificate however spelled; a synonym of a curated entry; a skill's own name.
        skill_tags: ['Motorsåg', 'motorsag', ' MOTORSÅG ', 'körkort', 'vedhuggning'],
        visible_to_organisations: true,
        visibility: 'organisations',
      },
      {
        user_id: bo.id,
        // Hostile text becomes plain words, punctuation alone nothing; a free tag shared with the next resident.
        skill_tags: ['<script>alert(1)</script>', "' OR 1=1 --", '!!!', '', 'Näverslöjd', 'tab\there', long],
        visible_to_organisations: false,
      },
      { user_id: cissi.id, skill_tags: ['naverslojd', 'NÄVERSLÖJD'], visible_to_organisations: true, visibility: 'public' },
      { user_id: dan.id, skill_tags: [], visible_to_organisations: false },
    ]);

    await ctx.db.migrate.up({ name: MIGRATION });
    expect(await columns()).to.not.include.members(['skill_tags']);
    expect(await columns()).to.not.include('visible_to_organisations');

    // The vocabulary was seeded by the migration, so the synonyms found their curated entries.
    expect((await skillsOf(anna.id)).map(({ keys: _keys, ...skill }) => skill)).to.deep.equal([
      { slug: 'b-korkort', name: 'B-körkort', curated: true, kind: 'certificate' },
      { slug: 'motorsagskorkort', name: 'Motorsågskörkort', curated: true, kind: 'certificate' },
      { slug: 'vedhuggning', name: 'Vedhuggning', curated: true, kind: 'skill' },
    ]);

    const boSkills = await skillsOf(bo.id);
    expect(boSkills.map((skill) => skill.name).sort()).to.deep.equal(
      ['Näverslöjd', "' OR 1=1 --", 'script alert(1) /script', 'tab here', long.slice(0, 60).trim()].sort(),
    );
    for (const skill of boSkills) {
      expect(skill).to.include({ curated: false, kind: 'skill' });
      expect(skill.slug).to.match(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(skill.keys).to.have.length(1);
      expect(skill.name).to.not.match(/[<>\t]/);
    }
    // Two residents, three spellings: one free tag, named as its first writer typed it.
    const cissiSkills = await skillsOf(cissi.id);
    expect(cissiSkills.map((skill) => skill.slug)).to.deep.equal(['naverslojd']);
    expect(boSkills.find((skill) => skill.slug === 'naverslojd')).to.include({ name: 'Näverslöjd' });
    expect(await skillsOf(dan.id)).to.deep.equal([]);
    expect(await ctx.db('skills').where('slug', 'naverslojd').count<{ n: string }[]>({ n: '*' })).to.deep.equal([{ n: 1 }]);

    // Down: the columns again, the tags from the skills' names, visible unless hidden.
    await ctx.db.migrate.down({ name: MIGRATION });
    const restored = await ctx
      .db('resident_profiles')
      .whereIn('user_id', [anna.id, bo.id, cissi.id, dan.id])
      .orderBy('user_id')
      .select('user_id', 'skill_tags', 'visible_to_organisations');
    const byUser = new Map(restored.map((row) => [Number(row.user_id), row]));
    expect([...byUser.get(anna.id)!.skill_tags].sort()).to.deep.equal(['b-körkort', 'motorsågskörkort', 'vedhuggning']);
    expect(byUser.get(anna.id)!.visible_to_organisations).to.equal(true);
    expect(byUser.get(bo.id)!.visible_to_organisations).to.equal(false);
    expect(byUser.get(bo.id)!.skill_tags).to.include('näverslöjd');
    expect(byUser.get(cissi.id)).to.include({ visible_to_organisations: true });
    expect(byUser.get(cissi.id)!.skill_tags).to.deep.equal(['näverslöjd']);
    expect(byUser.get(dan.id)).to.deep.include({ skill_tags: [], visible_to_organisations: false });

    // Up again on the restored tags: nothing doubles.
    await ctx.db.migrate.up({ name: MIGRATION });
    expect((await skillsOf(anna.id)).map((skill) => skill.slug)).to.deep.equal(['b-korkort', 'motorsagskorkort', 'vedhuggning']);
    expect((await skillsOf(cissi.id)).map((skill) => skill.slug)).to.deep.equal(['naverslojd']);
  });
});
