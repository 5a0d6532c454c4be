import { expect } from 'chai';
import { seedReference } from '../../seeds/reference.js';
import { useTestApp } from '../support/test-app.js';

describe('Reference data (seeded by every migration run)', () => {
  const ctx = useTestApp();
  const count = async (table: string) => Number((await ctx.db(table).count<{ count: string }[]>({ count: '*' }))[0]!.count);

  it('when migrated, then all 290 municipalities are there with their county, codes keeping leading zeros', async () => {
    expect(await count('municipalities')).to.equal(290);
    const norrtalje = await ctx
      .db('municipalities as m')
      .join('counties as c', 'c.code', 'm.county_code')
      .where('m.code', '0188')
      .first('m.short_name', 'c.name');
    expect(norrtalje).to.deep.equal({ short_name: 'Norrtälje', name: 'Stockholms län' });
  });

  it('when migrated, then each pilot municipality has at least 8 villages with coordinates inside Sweden', async () => {
    for (const code of ['2481', '2417', '0188']) {
      const villages = await ctx.db('localities').where('municipality_code', code).select('name', 'lat', 'lng');
      expect(villages.length, code).to.be.at.least(8);
      for (const village of villages) {
        expect(village.lat, village.name).to.be.within(55, 69.1);
        expect(village.lng, village.name).to.be.within(10.9, 24.2);
      }
    }
    const names = (await ctx.db('localities').where('municipality_code', '2481').pluck('name')) as string[];
    expect(names).to.include.members(['Lycksele', 'Rusksele', 'Björksele']);
  });

  it('when migrated, then the 13 categories have Swedish and English names', async () => {
    const categories = await ctx.db('categories').orderBy('sort_order').select('slug', 'name_sv', 'name_en');
    expect(categories).to.have.length(13);
    expect(categories[0]).to.deep.equal({ slug: 'snorojning', name_sv: 'Snöröjning', name_en: 'Snow clearing' });
    expect(categories.map((c) => c.slug)).to.include.members([
      'it-och-webb',
      'omsorg-och-sallskap',
      'vatten-och-fiske',
      'ovrigt',
    ]);
  });

  it('when seeded again, then nothing is duplicated and slugs stay as they were', async () => {
    const before = await ctx.db('localities').orderBy('id').select('id', 'slug');
    await seedReference(ctx.db);
    expect(await ctx.db('localities').orderBy('id').select('id', 'slug')).to.deep.equal(before);
    expect(await count('municipalities')).to.equal(290);
    expect(await count('categories')).to.equal(13);
  });
});
