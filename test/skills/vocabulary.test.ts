import { expect } from 'chai';
import { SKILL_VOCABULARY, vocabularyRow } from '../../seeds/skills.js';
import { resolveTypedSkills, selectCuratedSkills } from '../../src/modules/skills/index.js';
import { foldedKey } from '../../src/platform/slugify.js';
import { useTestApp } from '../support/test-app.js';

// The skill vocabulary (issue 15, item 1): typed words are matched to the curated skills with spelling variants and
// synonyms folded; words that match nothing become free tags, found again by their next writer.

describe('Skill vocabulary', function () {
  this.timeout(60_000);
  const ctx = useTestApp();

  it('when seeded, then every entry is there once and no two entries share a folded name or synonym', async () => {
    const curated = await selectCuratedSkills(ctx.db);
    expect(curated.map((skill) => skill.slug).sort()).to.deep.equal(
      SKILL_VOCABULARY.map((entry) => vocabularyRow(entry).slug).sort(),
    );
    const owner = new Map<string, string>();
    for (const entry of SKILL_VOCABULARY)
      for (const key of vocabularyRow(entry).match_keys) {
        expect(owner.get(key), `"${key}" of ${entry.nameSv}`).to.equal(undefined);
        owner.set(key, entry.nameSv);
      }
  });

  it('when words are typed with or without å, ä, ö, in capitals or with a hyphen, then they find the same skill', async () => {
    const typed = [
      'Motorsåg',
      'motorsag',
      'MOTORSÅG',
      'motorsågskörkort',
      'B körkort',
      'b-korkort',
      'körkort',
      'Vedhuggning',
      'hugga ved',
    ];
    const resolved = await resolveTypedSkills(ctx.db, typed, 'skill');
    const slugOf = (word: string) => resolved.get(word)?.slug;
    expect(typed.map(slugOf)).to.deep.equal([
      'motorsagskorkort',
      'motorsagskorkort',
      'motorsagskorkort',
      'motorsagskorkort',
      'b-korkort',
      'b-korkort',
      'b-korkort',
      'vedhuggning',
      'vedhuggning',
    ]);
    expect(resolved.get('Motorsåg')).to.include({ kind: 'certificate', nameSv: 'Motorsågskörkort', curated: true });
  });

  it('when a word matches nothing, then it becomes a free tag that its next writer finds under another spelling', async () => {
    const first = await resolveTypedSkills(ctx.db, ['Näverslöjd'], 'skill');
    expect(first.get('Näverslöjd')).to.include({ nameSv: 'Näverslöjd', curated: false, kind: 'skill' });
    const second = await resolveTypedSkills(ctx.db, ['naverslojd', ' NÄVERSLÖJD '], 'skill');
    expect(second.get('naverslojd')?.id).to.equal(first.get('Näverslöjd')!.id);
    expect(second.get('NÄVERSLÖJD')?.id).to.equal(first.get('Näverslöjd')!.id);
    const { rows } = await ctx.db.raw<{ rows: unknown[] }>("SELECT 1 FROM skills WHERE match_keys @> ARRAY['naverslojd']");
    expect(rows).to.have.length(1);
  });

  it('when a free tag was merged into another skill, then typing it finds the skill it was merged into', async () => {
    const free = (await resolveTypedSkills(ctx.db, ['Vedklyvare'], 'skill')).get('Vedklyvare')!;
    const target = (await resolveTypedSkills(ctx.db, ['Vedhuggning'], 'skill')).get('Vedhuggning')!;
    await ctx.db('skills').where('id', free.id).update({ merged_into_id: target.id });
    const again = await resolveTypedSkills(ctx.db, ['vedklyvare'], 'skill');
    expect(again.get('vedklyvare')?.id).to.equal(target.id);
  });

  it('when a word is only punctuation or hostile markup, then it is left out or kept as plain text', async () => {
    const resolved = await resolveTypedSkills(ctx.db, ['---', '  ', '<script>alert(1)</script>'], 'skill');
    expect([...resolved.keys()]).to.deep.equal(['<script>alert(1)</script>']);
    expect(resolved.get('<script>alert(1)</script>')).to.include({ slug: 'script-alert-1-script', curated: false });
    expect(foldedKey('---')).to.equal('');
  });
});
