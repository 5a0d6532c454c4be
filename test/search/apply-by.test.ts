import { expect } from 'chai';
import { toAssignmentDocument, type IndexRow } from '../../src/modules/search/assignment-index.js';

// Applying closes when the last day ends in Sweden; the index must hide an assignment at that moment, not an hour
// or two later when the day ends in UTC (found by bench:load just after midnight: 409s on listed assignments).

const row = (applyBy: string | null): IndexRow => ({
  id: 1,
  title: 'Snöskottning',
  description: 'Vid bygdegården.',
  requirements: '',
  organisation_name: 'Byaföreningen',
  category_slug: 'snorojning',
  category_name_sv: 'Snöröjning',
  category_name_en: 'Snow clearing',
  municipality_code: '2481',
  municipality_name: 'Lycksele',
  locality_slug: null,
  locality_name: null,
  compensation_type: 'hourly',
  amount_sek: 200,
  work_training: false,
  published_at: new Date('2026-11-01T10:00:00Z'),
  updated_at: new Date('2026-11-01T10:00:00Z'),
  apply_by: applyBy,
  lat: null,
  lng: null,
});

const instant = (applyBy: string) => new Date(toAssignmentDocument(row(applyBy)).applyBy! * 1000).toISOString();

describe('Search index: the last day to apply', () => {
  it('when the last day is in winter, then the document closes at 23:59:59 Swedish time (22:59:59 UTC)', () => {
    expect(instant('2026-12-06')).to.equal('2026-12-06T22:59:59.000Z');
  });

  it('when the last day is in summer, then at 23:59:59 Swedish summer time (21:59:59 UTC)', () => {
    expect(instant('2026-07-01')).to.equal('2026-07-01T21:59:59.000Z');
  });

  it('when the clock changes that night, then still the last second of that Swedish day', () => {
    expect(instant('2026-10-24')).to.equal('2026-10-24T21:59:59.000Z');
    expect(instant('2026-03-28')).to.equal('2026-03-28T22:59:59.000Z');
  });

  it('when there is no last day, then none in the document', () => {
    expect(toAssignmentDocument(row(null)).applyBy).to.equal(null);
  });
});
