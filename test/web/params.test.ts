import { expect } from 'chai';
import type { Request } from 'express';
import { doneParam, idParam, idSchema } from '../../src/web/params.js';

const withParams = (params: Record<string, unknown>) => ({ params }) as unknown as Request;
const withQuery = (query: Record<string, unknown>) => ({ query }) as unknown as Request;

describe('web/params', () => {
  it('when a path id is 1 to 15 digits, then it is that number', () => {
    expect(idParam(withParams({ id: '42' }), 'id')).to.equal(42);
    expect(idParam(withParams({ id: '007' }), 'id')).to.equal(7);
    expect(idParam(withParams({ id: '999999999999999' }), 'id')).to.equal(999_999_999_999_999);
  });

  it('when a path id is anything else, then it is NaN (the service answers 404 after deciding the right)', () => {
    for (const value of ['', 'x', '-1', '1.5', '1e3', ' 1', '1 ', '0x10', '١٢', '1234567890123456', undefined, ['1']]) {
      expect(idParam(withParams({ id: value }), 'id'), JSON.stringify(value)).to.satisfy(Number.isNaN);
    }
  });

  it('when the parameter is read by another name, then that one is read', () => {
    const req = withParams({ assignmentId: '5', attachmentId: 'x' });
    expect(idParam(req, 'assignmentId')).to.equal(5);
    expect(idParam(req, 'attachmentId')).to.satisfy(Number.isNaN);
    expect(idParam(req, 'missing')).to.satisfy(Number.isNaN);
  });

  it('when an optional id comes in a query string, then idSchema gives the number or undefined', () => {
    expect(idSchema.safeParse('12').data).to.equal(12);
    expect(idSchema.safeParse('12a').data).to.equal(undefined);
    expect(idSchema.safeParse(['12']).data).to.equal(undefined);
  });

  it("when ?done= is one of the page's values, then it is shown; anything else is not", () => {
    const allowed = new Set(['saved', 'deleted']);
    expect(doneParam(withQuery({ done: 'saved' }), allowed)).to.equal('saved');
    expect(doneParam(withQuery({ done: '<script>' }), allowed)).to.equal(undefined);
    expect(doneParam(withQuery({ done: ['saved'] }), allowed)).to.equal(undefined);
    expect(doneParam(withQuery({}), allowed)).to.equal(undefined);
  });
});
