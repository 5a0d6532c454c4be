import { expect } from 'chai';
import { AppError } from '../../src/platform/errors.js';
import { monthsOf, parsePeriod, type PeriodInput } from '../../src/modules/stats/period.js';

// The statistics' periods (issue 13 item 1): presets counted back from today in Stockholm days, custom ranges,
// and the previous period of the same length. Every expected date below is counted by hand.

describe('statistics periods', () => {
  const cases: Array<{ name: string; input: PeriodInput; today: string; from: string; to: string; previous: [string, string] }> =
    [
      {
        name: 'no preset: this quarter so far',
        input: {},
        today: '2026-05-20',
        from: '2026-04-01',
        to: '2026-05-20',
        // 50 days: 30 in April, 20 in May; the 50 before end on 31 March and start on 10 February
        previous: ['2026-02-10', '2026-03-31'],
      },
      {
        name: 'quarter on its first day',
        input: { period: 'quarter' },
        today: '2026-01-01',
        from: '2026-01-01',
        to: '2026-01-01',
        previous: ['2025-12-31', '2025-12-31'],
      },
      {
        name: 'quarter on its last day (90 days)',
        input: { period: 'quarter' },
        today: '2026-03-31',
        from: '2026-01-01',
        to: '2026-03-31',
        previous: ['2025-10-03', '2025-12-31'],
      },
      {
        name: 'third quarter begins 1 July',
        input: { period: 'quarter' },
        today: '2026-07-01',
        from: '2026-07-01',
        to: '2026-07-01',
        previous: ['2026-06-30', '2026-06-30'],
      },
      {
        name: 'fourth quarter on New Year’s Eve',
        input: { period: 'quarter' },
        today: '2026-12-31',
        from: '2026-10-01',
        to: '2026-12-31',
        previous: ['2026-07-01', '2026-09-30'],
      },
      {
        name: 'month on a leap day (29 days)',
        input: { period: 'month' },
        today: '2024-02-29',
        from: '2024-02-01',
        to: '2024-02-29',
        previous: ['2024-01-03', '2024-01-31'],
      },
      {
        name: 'last 30 days across a leap day',
        input: { period: 'last30' },
        today: '2024-03-01',
        // 29 days of February 2024 and 1 March
        from: '2024-02-01',
        to: '2024-03-01',
        previous: ['2024-01-02', '2024-01-31'],
      },
      {
        name: 'year so far (140 days)',
        input: { period: 'year' },
        today: '2026-05-20',
        from: '2026-01-01',
        to: '2026-05-20',
        previous: ['2025-08-14', '2025-12-31'],
      },
      {
        name: 'custom over a leap day',
        input: { period: 'custom', from: '2024-02-28', to: '2024-03-01' },
        today: '2026-05-20',
        from: '2024-02-28',
        to: '2024-03-01',
        previous: ['2024-02-25', '2024-02-27'],
      },
      {
        name: 'dates without a preset are a custom range',
        input: { from: '2026-05-01', to: '2026-05-01' },
        today: '2026-05-20',
        from: '2026-05-01',
        to: '2026-05-01',
        previous: ['2026-04-30', '2026-04-30'],
      },
      {
        name: 'custom of exactly three years, ending today',
        input: { period: 'custom', from: '2023-05-21', to: '2026-05-20' },
        today: '2026-05-20',
        from: '2023-05-21',
        to: '2026-05-20',
        // 1096 days (2024 is a leap year)
        previous: ['2020-05-20', '2023-05-20'],
      },
      {
        name: 'a preset ignores dates sent beside it',
        input: { period: 'month', from: 'nonsense', to: '2099-01-01' },
        today: '2026-05-20',
        from: '2026-05-01',
        to: '2026-05-20',
        previous: ['2026-04-11', '2026-04-30'],
      },
    ];

  for (const { name, input, today, from, to, previous } of cases) {
    it(name, () => {
      const period = parsePeriod(input, today);
      expect({ from: period.from, to: period.to, previous: [period.previous.from, period.previous.to] }).to.deep.equal({
        from,
        to,
        previous,
      });
    });
  }

  it('names the preset it chose', () => {
    expect(parsePeriod({}, '2026-05-20').preset).to.equal('quarter');
    expect(parsePeriod({ period: '' }, '2026-05-20').preset).to.equal('quarter');
    expect(parsePeriod({ from: '2026-05-01', to: '2026-05-02' }, '2026-05-20').preset).to.equal('custom');
    expect(parsePeriod({ period: 'last30' }, '2026-05-20').preset).to.equal('last30');
  });

  const refusals: Array<{ name: string; input: PeriodInput; field: string }> = [
    { name: 'an unknown preset', input: { period: 'week' }, field: 'period' },
    { name: 'a preset of the wrong type', input: { period: 42 }, field: 'period' },
    { name: 'a repeated preset', input: { period: ['quarter', 'year'] }, field: 'period' },
    { name: 'SQL in the preset', input: { period: "quarter'; DROP TABLE assignments; --" }, field: 'period' },
    { name: 'custom without dates', input: { period: 'custom' }, field: 'from' },
    { name: 'custom without an end', input: { period: 'custom', from: '2026-05-01' }, field: 'to' },
    { name: 'a day that does not exist', input: { period: 'custom', from: '2026-02-29', to: '2026-03-01' }, field: 'from' },
    { name: 'a date in another format', input: { period: 'custom', from: '2026-05-01', to: '20/05/2026' }, field: 'to' },
    { name: 'a repeated date', input: { period: 'custom', from: ['2026-05-01', '2026-05-02'], to: '2026-05-03' }, field: 'from' },
    { name: 'an end after today', input: { period: 'custom', from: '2026-05-01', to: '2026-05-21' }, field: 'to' },
    { name: 'an end before the start', input: { period: 'custom', from: '2026-05-02', to: '2026-05-01' }, field: 'to' },
    { name: 'more than three years', input: { period: 'custom', from: '2023-05-20', to: '2026-05-20' }, field: 'from' },
    { name: 'dates from long ago', input: { from: '0001-01-01', to: '2026-05-20' }, field: 'from' },
  ];

  for (const { name, input, field } of refusals) {
    it(`refuses ${name} with a 400 naming ${field}`, () => {
      let error: unknown;
      try {
        parsePeriod(input, '2026-05-20');
      } catch (caught) {
        error = caught;
      }
      expect(error).to.be.instanceOf(AppError);
      expect((error as AppError).status).to.equal(400);
      expect(Object.keys((error as AppError).fields)).to.deep.equal([field]);
    });
  }

  it('lists the months a range touches', () => {
    expect(monthsOf({ from: '2025-12-15', to: '2026-02-01' })).to.deep.equal(['2025-12', '2026-01', '2026-02']);
    expect(monthsOf({ from: '2026-04-01', to: '2026-04-01' })).to.deep.equal(['2026-04']);
  });
});
