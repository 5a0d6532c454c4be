import { expect } from 'chai';
import fc from 'fast-check';
import {
  addDays,
  addMonths,
  ageOn,
  ageWhenYearBegan,
  calendarDateInStockholm,
  daysBetween,
  formatDate,
  formatDateTime,
  formatMonth,
  isCalendarDate,
  startOfStockholmDay,
  stockholmDay,
  stockholmMonth,
  stockholmYear,
  todayInStockholm,
} from '../../src/platform/calendar.js';

// The Stockholm calendar kit: today in Sweden, the instants a Swedish day,
// month and year begin and end (with the 2026 clock changes), calendar
// arithmetic, ages, and dates for pages in Swedish and English.

const HOUR = 3_600_000;
const utc = (iso: string) => new Date(iso);
const hours = (range: { start: Date; end: Date }) => (range.end.getTime() - range.start.getTime()) / HOUR;

/** Any calendar date from 1900 to 2199. */
const anyDate = fc
  .integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2199, 11, 31) })
  .map((ms) => new Date(ms).toISOString().slice(0, 10));

describe('Stockholm calendar kit (src/platform/calendar.ts)', () => {
  describe('calendar dates', () => {
    for (const [value, valid] of [
      ['2026-02-28', true],
      ['2028-02-29', true],
      ['2000-02-29', true],
      ['0099-01-01', true],
      ['2026-02-29', false],
      ['1900-02-29', false],
      ['2026-13-01', false],
      ['2026-04-31', false],
      ['2026-1-01', false],
      ['2026-01-01T00:00', false],
      ['', false],
      [20260101, false],
    ] as const) {
      it(`when ${JSON.stringify(value)} is checked, then it is ${valid ? '' : 'not '}a calendar date`, () => {
        expect(isCalendarDate(value)).to.equal(valid);
      });
    }
  });

  describe('today in Stockholm', () => {
    for (const [instant, today] of [
      ['2026-03-28T22:59:59.999Z', '2026-03-28'],
      ['2026-03-28T23:00:00Z', '2026-03-29'], // winter time: UTC+1
      ['2026-06-30T21:59:59Z', '2026-06-30'],
      ['2026-06-30T22:00:00Z', '2026-07-01'], // summer time: UTC+2
      ['2026-12-31T23:00:00Z', '2027-01-01'],
      ['2026-03-29T01:30:00Z', '2026-03-29'], // 03:30, just after the clock went forward
      ['2026-10-25T00:30:00Z', '2026-10-25'], // 02:30 the first time
      ['2026-10-25T01:30:00Z', '2026-10-25'], // 02:30 the second time
    ] as const) {
      it(`when it is ${instant}, then today in Stockholm is ${today}`, () => {
        expect(todayInStockholm(utc(instant))).to.equal(today);
        expect(calendarDateInStockholm(utc(instant))).to.equal(today);
      });
    }

    it('when compared with toLocaleDateString in Stockholm (what the posting form used), then every instant gives the same date', () => {
      fc.assert(
        fc.property(fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2199, 0, 1) }), (ms) => {
          const instant = new Date(ms);
          expect(todayInStockholm(instant)).to.equal(instant.toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' }));
        }),
        { numRuns: 2000 },
      );
    });

    it('when no instant is given, then it is today now', () => {
      const before = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });
      const today = todayInStockholm();
      const after = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });
      expect([before, after]).to.include(today);
    });
  });

  describe('days, months and years as instants', () => {
    it('when the clock goes forward (29 March 2026), then the day lasts 23 hours', () => {
      const day = stockholmDay('2026-03-29');
      expect(day.start.toISOString()).to.equal('2026-03-28T23:00:00.000Z');
      expect(day.end.toISOString()).to.equal('2026-03-29T22:00:00.000Z');
      expect(hours(day)).to.equal(23);
    });

    it('when the clock goes back (25 October 2026), then the day lasts 25 hours', () => {
      const day = stockholmDay('2026-10-25');
      expect(day.start.toISOString()).to.equal('2026-10-24T22:00:00.000Z');
      expect(day.end.toISOString()).to.equal('2026-10-25T23:00:00.000Z');
      expect(hours(day)).to.equal(25);
    });

    it('when an ordinary winter or summer day is asked for, then it lasts 24 hours from local midnight', () => {
      expect(stockholmDay('2026-01-15')).to.deep.equal({
        start: utc('2026-01-14T23:00:00Z'),
        end: utc('2026-01-15T23:00:00Z'),
      });
      expect(stockholmDay('2026-06-15')).to.deep.equal({
        start: utc('2026-06-14T22:00:00Z'),
        end: utc('2026-06-15T22:00:00Z'),
      });
    });

    it('when any day starts, then the instant is in that Stockholm day and the millisecond before is in the day before', () => {
      fc.assert(
        fc.property(anyDate, (date) => {
          const start = startOfStockholmDay(date);
          expect(calendarDateInStockholm(start)).to.equal(date);
          expect(calendarDateInStockholm(new Date(start.getTime() - 1))).to.equal(addDays(date, -1));
          expect([23, 24, 25]).to.include(hours(stockholmDay(date)));
        }),
        { numRuns: 1000 },
      );
    });

    it('when March and October 2026 are asked for, then they run from local midnight to local midnight, an hour short and long', () => {
      expect(stockholmMonth(2026, 3)).to.deep.equal({ start: utc('2026-02-28T23:00:00Z'), end: utc('2026-03-31T22:00:00Z') });
      expect(hours(stockholmMonth(2026, 3))).to.equal(31 * 24 - 1);
      expect(stockholmMonth(2026, 10)).to.deep.equal({ start: utc('2026-09-30T22:00:00Z'), end: utc('2026-10-31T23:00:00Z') });
      expect(hours(stockholmMonth(2026, 10))).to.equal(31 * 24 + 1);
      expect(stockholmMonth(2026, 12).end).to.deep.equal(utc('2026-12-31T23:00:00Z'));
      expect(() => stockholmMonth(2026, 13)).to.throw(RangeError);
      expect(() => stockholmMonth(2026, 0)).to.throw(RangeError);
    });

    it('when the year 2026 is asked for, then it runs from 1 January to 1 January, Swedish time', () => {
      expect(stockholmYear(2026)).to.deep.equal({ start: utc('2025-12-31T23:00:00Z'), end: utc('2026-12-31T23:00:00Z') });
      expect(hours(stockholmYear(2026))).to.equal(365 * 24);
    });

    it('when the date is not a calendar date, then a RangeError is thrown', () => {
      expect(() => stockholmDay('2026-02-29')).to.throw(RangeError);
      expect(() => startOfStockholmDay('29/3/2026')).to.throw(RangeError);
    });
  });

  describe('calendar arithmetic', () => {
    for (const [date, days, expected] of [
      ['2026-03-28', 1, '2026-03-29'],
      ['2026-03-28', 2, '2026-03-30'],
      ['2026-10-24', 2, '2026-10-26'],
      ['2026-12-31', 1, '2027-01-01'],
      ['2028-02-28', 1, '2028-02-29'],
      ['2026-03-01', -1, '2026-02-28'],
      ['2026-01-01', 30, '2026-01-31'],
    ] as const) {
      it(`when ${days} days are added to ${date}, then it is ${expected}`, () => {
        expect(addDays(date, days)).to.equal(expected);
      });
    }

    it('when days are added and taken away again, then the date is back, and daysBetween counts them', () => {
      fc.assert(
        fc.property(anyDate, fc.integer({ min: -20_000, max: 20_000 }), (date, days) => {
          expect(addDays(addDays(date, days), -days)).to.equal(date);
          expect(daysBetween(date, addDays(date, days))).to.equal(days);
        }),
      );
    });

    for (const [date, months, expected] of [
      ['2026-01-31', 1, '2026-02-28'],
      ['2028-01-31', 1, '2028-02-29'],
      ['2026-03-31', -1, '2026-02-28'],
      ['2026-12-15', 1, '2027-01-15'],
      ['2026-01-15', -1, '2025-12-15'],
      ['2026-05-31', 12, '2027-05-31'],
      ['2028-02-29', 12, '2029-02-28'],
      ['2026-08-31', 1, '2026-09-30'],
      ['2026-01-10', 0, '2026-01-10'],
    ] as const) {
      it(`when ${months} months are added to ${date}, then it is ${expected}`, () => {
        expect(addMonths(date, months)).to.equal(expected);
      });
    }

    it('when months are added, then the day is kept or becomes the last day of a shorter month', () => {
      fc.assert(
        fc.property(anyDate, fc.integer({ min: -1200, max: 1200 }), (date, months) => {
          const result = addMonths(date, months);
          expect(isCalendarDate(result)).to.equal(true);
          const monthIndex = (d: string) => Number(d.slice(0, 4)) * 12 + Number(d.slice(5, 7)) - 1;
          expect(monthIndex(result) - monthIndex(date)).to.equal(months);
          const day = Number(date.slice(8));
          const resultDay = Number(result.slice(8));
          if (resultDay !== day) {
            expect(resultDay).to.be.lessThan(day);
            expect(addDays(result, 1).slice(8)).to.equal('01'); // the month's last day
          }
        }),
      );
    });

    for (const [birth, on, age] of [
      ['1990-06-15', '2026-06-14', 35],
      ['1990-06-15', '2026-06-15', 36],
      ['1958-12-31', '2026-01-01', 67],
      ['2008-02-29', '2026-02-28', 17],
      ['2008-02-29', '2026-03-01', 18],
      ['2008-02-29', '2028-02-29', 20],
      ['2026-05-01', '2026-05-01', 0],
    ] as const) {
      it(`when someone born ${birth} is asked their age on ${on}, then it is ${age}`, () => {
        expect(ageOn(birth, on)).to.equal(age);
      });
    }

    it('when the age "when the year began" is asked, then the birth year alone decides, as in Skatteverket\'s tables', () => {
      // 2026: reduced contributions for those who had turned 67 (born 1958 or earlier), full from 1959.
      expect(ageWhenYearBegan('1958-12-31', 2026)).to.equal(67);
      expect(ageWhenYearBegan('1959-01-01', 2026)).to.equal(66);
      expect(ageOn('1959-01-01', '2026-01-01')).to.equal(67); // why ageOn(…, 1 January) is not the rule
      fc.assert(
        fc.property(anyDate, fc.integer({ min: 1900, max: 2300 }), (birth, year) => {
          expect(ageWhenYearBegan(birth, year)).to.equal(year - 1 - Number(birth.slice(0, 4)));
        }),
      );
    });
  });

  describe('dates and times for pages', () => {
    it('when a calendar date is formatted, then it is "29 mars 2026" in Swedish and "29 March 2026" in English', () => {
      expect(formatDate('2026-03-29', 'sv')).to.equal('29 mars 2026');
      expect(formatDate('2026-03-29', 'en')).to.equal('29 March 2026');
      expect(formatDate('2026-03-29', 'fi')).to.equal('29 mars 2026'); // any other language: Swedish
    });

    it('when an instant is formatted as a date, then it is its Stockholm date', () => {
      expect(formatDate(utc('2026-03-28T23:30:00Z'), 'sv')).to.equal('29 mars 2026');
      expect(formatDate(utc('2026-03-28T22:30:00Z'), 'sv')).to.equal('28 mars 2026');
    });

    it('when a month is formatted, then it is "mars 2026" / "March 2026"', () => {
      expect(formatMonth('2026-03-29', 'sv')).to.equal('mars 2026');
      expect(formatMonth(utc('2026-10-31T23:30:00Z'), 'en')).to.equal('November 2026');
    });

    it('when an instant is formatted with its time, then it is Swedish time, summer time included', () => {
      const instant = utc('2026-11-26T13:05:09Z');
      expect(formatDateTime(instant, 'sv')).to.equal('26 november 2026 kl. 14:05');
      expect(formatDateTime(instant, 'en')).to.equal('26 November 2026 at 14:05');
      expect(formatDateTime(instant, 'sv', 'exactDateTime')).to.equal('2026-11-26 14:05:09');
      expect(formatDateTime(instant, 'en', 'exactDateTime')).to.equal('26/11/2026, 14:05:09');
      expect(formatDateTime(utc('2026-03-29T01:30:00Z'), 'sv', 'exactDateTime')).to.equal('2026-03-29 03:30:00');
    });
  });
});
