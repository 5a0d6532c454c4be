import { expect } from 'chai';
import { createOrganisation, createTestAssignment } from '../support/factories.js';
import { useTestApp } from '../support/test-app.js';
import { createUser } from '../support/users.js';

// Privacy by default (issue 14, migration 202612061720): an application written without saying whether to
// share the profile and CV (seeds, imports, any code path) shares nothing.

describe('applications.share_profile', () => {
  const ctx = useTestApp();

  it('when an application is stored without the choice, then the profile is not shared', async () => {
    const organisation = await createOrganisation(ctx.db);
    const assignmentId = await createTestAssignment(ctx.db, { organisationId: organisation.id });
    const applicant = await createUser(ctx.db);
    const [row] = await ctx
      .db('applications')
      .insert({ assignment_id: assignmentId, applicant_id: applicant.id, message: 'Hej!' })
      .returning('share_profile');
    expect(row.share_profile).to.equal(false);
  });

  it('when the column is read from the catalogue, then its default is false', async () => {
    const { rows } = await ctx.db.raw(
      `SELECT column_default FROM information_schema.columns WHERE table_name = 'applications' AND column_name = 'share_profile'`,
    );
    expect(rows).to.deep.equal([{ column_default: 'false' }]);
  });
});
