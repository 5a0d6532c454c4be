import { expect } from 'chai';
import { seedDemo } from '../../seeds/demo.js';
import { useTestApp } from '../support/test-app.js';

// The demo's competence (issue 15, item 8; seeds/demo-skills.ts): residents in the pilot villages with varied skills,
// certificates, languages, offers, wishes, every visibility, learning pairs and confirmations after completed work.

describe('Demo data: competence in the pilot villages', function () {
  this.timeout(180_000);
  const ctx = useTestApp();

  before(async () => {
    await seedDemo(ctx.db, () => {}, {});
  });

  const rows = async <T>(sql: string, bindings: unknown[] = []) => (await ctx.db.raw<{ rows: T[] }>(sql, bindings as never)).rows;

  it('when the demo is loaded, then residents have skills at every level, certificates expiring soon and one expired, and Finnish, Meänkieli and Sámi', async () => {
    const levels = await rows<{ level: string }>(`SELECT DISTINCT level FROM resident_skills WHERE level IS NOT NULL ORDER BY 1`);
    expect(levels.map((row) => row.level)).to.deep.equal(['beginner', 'can_teach', 'experienced']);
    const certificates = await rows<{ expired: number; soon: number }>(
      `SELECT count(*) FILTER (WHERE rs.expires_on < current_date)::int AS expired,
              count(*) FILTER (WHERE rs.expires_on BETWEEN current_date AND current_date + 60)::int AS soon
       FROM resident_skills rs JOIN skills s ON s.id = rs.skill_id JOIN users u ON u.id = rs.user_id
       WHERE s.kind = 'certificate' AND u.email LIKE '%@example.se'`,
    );
    expect(certificates[0]!.expired).to.equal(1);
    expect(certificates[0]!.soon).to.be.at.least(2);
    const languages = await rows<{ slug: string }>(
      `SELECT DISTINCT s.slug FROM resident_skills rs JOIN skills s ON s.id = rs.skill_id WHERE s.kind = 'language'`,
    );
    expect(languages.map((row) => row.slug)).to.include.members(['finska', 'meankieli', 'samiska']);
  });

  it('when the demo is loaded, then there are priced and volunteer offers, wishes to learn and every visibility', async () => {
    const offers = await rows<{ priced: number; volunteer: number }>(
      `SELECT count(*) FILTER (WHERE price_ore IS NOT NULL)::int AS priced, count(*) FILTER (WHERE volunteer)::int AS volunteer
       FROM resident_offers`,
    );
    expect(offers[0]!.priced).to.be.greaterThan(0);
    expect(offers[0]!.volunteer).to.be.greaterThan(0);
    expect(await rows(`SELECT 1 FROM resident_learning_wishes`)).to.have.length.greaterThan(0);
    const visibilities = await rows<{ visibility: string }>(`SELECT DISTINCT visibility FROM resident_profiles ORDER BY 1`);
    expect(visibilities.map((row) => row.visibility)).to.deep.equal(['hidden', 'organisations', 'public']);
  });

  it('when the demo is loaded, then some who can teach and some who want to learn are matched, both opted in, nearby', async () => {
    const pairs = await rows<{ teacher: string; learner: string }>(
      `SELECT DISTINCT t.name AS teacher, l.name AS learner
       FROM resident_skills rs
       JOIN resident_learning_wishes w ON w.skill_id = rs.skill_id AND w.user_id <> rs.user_id
       JOIN resident_profiles tp ON tp.user_id = rs.user_id AND tp.learning_matches
       JOIN resident_profiles lp ON lp.user_id = w.user_id AND lp.learning_matches
       JOIN users t ON t.id = rs.user_id JOIN users l ON l.id = w.user_id
       WHERE rs.level = 'can_teach' AND t.home_municipality_code = l.home_municipality_code
         AND t.email LIKE '%@example.se' AND l.email LIKE '%@example.se'`,
    );
    expect(pairs).to.deep.include.members([
      { teacher: 'Erik Nilsson', learner: 'Tove Sandberg' },
      { teacher: 'Olle Johansson', learner: 'Jonas Lundgren' },
      { teacher: 'Greta Holmström', learner: 'Linnea Karlsson' },
    ]);
  });

  it('when the demo is loaded, then confirmations sit on completed assignments, by their organisation and one of its members, for an accepted worker', async () => {
    const confirmations = await rows<{ ok: boolean; hidden: boolean }>(
      `SELECT (a.status = 'completed' AND sc.organisation_id = a.organisation_id
               AND EXISTS (SELECT 1 FROM organisation_members m
                           WHERE m.organisation_id = a.organisation_id AND m.user_id = sc.confirmed_by_user_id)
               AND EXISTS (SELECT 1 FROM applications ap
                           WHERE ap.assignment_id = a.id AND ap.applicant_id = sc.user_id AND ap.status = 'accepted')) AS ok,
              sc.hidden
       FROM skill_confirmations sc JOIN assignments a ON a.id = sc.assignment_id`,
    );
    expect(confirmations.length).to.be.greaterThan(20);
    expect(confirmations.every((row) => row.ok)).to.equal(true);
    expect(confirmations.some((row) => row.hidden)).to.equal(true);
    const erik = await rows<{ skill: string; organisation: string }>(
      `SELECT s.name_sv AS skill, o.name AS organisation FROM skill_confirmations sc
       JOIN skills s ON s.id = sc.skill_id JOIN organisations o ON o.id = sc.organisation_id JOIN users u ON u.id = sc.user_id
       WHERE u.email = 'erik.nilsson@example.se' ORDER BY 1`,
    );
    expect(erik.map((row) => row.skill)).to.deep.equal(['Motorsågskörkort', 'Trädfällning', 'Vedhuggning']);
    expect(erik[0]!.organisation).to.equal('Rusksele byaförening');
  });

  it('when the demo is loaded, then assignments ask for skills and every resident waits for the people index', async () => {
    expect(await rows(`SELECT 1 FROM assignment_skills`)).to.have.length.greaterThan(50);
    const residents = await rows<{ n: number }>(`SELECT count(*)::int AS n FROM resident_profiles`);
    const jobs = await rows<{ n: number }>(
      `SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE task_identifier = 'index_person'`,
    );
    expect(jobs[0]!.n).to.equal(residents[0]!.n);
  });
});
