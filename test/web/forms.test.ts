import { expect } from 'chai';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { AppError, badRequest, FormError, notFound } from '../../src/platform/errors.js';
import { formBody, formErrorOr, orFormAgain, refusedWith } from '../../src/web/forms.js';

interface Form {
  name: string;
}

/** A small app whose one form posts to /form and is rendered as JSON (view name and locals), so a test reads what the page got. */
async function appWith(handler: RequestHandler) {
  const views = await fs.mkdtemp(path.join(os.tmpdir(), 'ub-forms-'));
  await fs.writeFile(path.join(views, 'form.json'), '');
  const app = express();
  app.set('views', views);
  app.set('view engine', 'json');
  app.engine('json', (file, options, done) => {
    const locals = options as Record<string, unknown>;
    done(null, JSON.stringify({ view: path.basename(file), form: locals.form, errors: locals.errors }));
  });
  app.use(express.urlencoded({ extended: false }));
  app.post('/form', handler);
  const errorPage: ErrorRequestHandler = (error: Error, _req, res, _next) => {
    res
      .status(error instanceof AppError ? error.status : 500)
      .type('text/plain')
      .send(`error page: ${error.message}`);
  };
  app.use(errorPage);
  return { app, cleanUp: () => fs.rm(views, { recursive: true, force: true }) };
}

/** The page again, as a route builds it from a FormError. */
const formPage = (error: FormError<Form>) => ({ view: 'form', locals: { form: error.form, errors: error.fields } });

describe('web/forms', () => {
  const cleanUps: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await Promise.all(cleanUps.splice(0).map((cleanUp) => cleanUp()));
  });
  const post = async (handler: RequestHandler, fields: Record<string, string> = { name: 'Åsa' }) => {
    const { app, cleanUp } = await appWith(handler);
    cleanUps.push(cleanUp);
    return request(app).post('/form').type('form').send(fields);
  };

  it('when the action succeeds, then its own answer stands', async () => {
    const res = await post(async (_req, res) => {
      await orFormAgain(res, formPage, async () => {
        res.redirect(303, '/klart');
      });
    });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/klart');
  });

  it('when the action throws a FormError, then the form comes again with 400, the messages and what was typed', async () => {
    const res = await post(async (req, res) => {
      await orFormAgain(res, formPage, async () => {
        throw new FormError({ name: 'form.errors.nameTooShort' }, { name: String(formBody(req).name) });
      });
    });
    expect(res.status).to.equal(400);
    expect(JSON.parse(res.text)).to.deep.equal({
      view: 'form.json',
      form: { name: 'Åsa' },
      errors: { name: 'form.errors.nameTooShort' },
    });
  });

  it('when the FormError is a conflict, then the form comes again with 409', async () => {
    const res = await post(async (_req, res) => {
      await orFormAgain(res, formPage, async () => {
        throw new FormError({ form: 'form.errors.limit' }, { name: 'Åsa' }, 'conflict');
      });
    });
    expect(res.status).to.equal(409);
    expect(JSON.parse(res.text).errors).to.deep.equal({ form: 'form.errors.limit' });
  });

  it('when the page names its own status, then that status is sent', async () => {
    const res = await post(async (_req, res) => {
      const again = (error: FormError<Form>) => ({ ...formPage(error), status: 422 });
      await orFormAgain(res, again, async () => {
        throw new FormError({ name: 'x' }, { name: '' }, 'conflict');
      });
    });
    expect(res.status).to.equal(422);
  });

  it('when the action throws anything else, then the error handler answers and the form is not built', async () => {
    let built = false;
    const again = (error: FormError<Form>) => {
      built = true;
      return formPage(error);
    };
    const missing = await post(async (_req, res) => {
      await orFormAgain(res, again, async () => {
        throw notFound();
      });
    });
    expect(missing.status).to.equal(404);
    expect(missing.text).to.equal('error page: Not found');
    const plainBadRequest = await post(async (_req, res) => {
      await orFormAgain(res, again, async () => {
        throw badRequest('Invalid value', { name: 'is not valid' });
      });
    });
    expect(plainBadRequest.status, 'an AppError that is no FormError').to.equal(400);
    expect(plainBadRequest.text).to.equal('error page: Invalid value');
    const bug = await post(async (_req, res) => {
      await orFormAgain(res, again, async () => {
        throw new Error('a bug');
      });
    });
    expect(bug.status).to.equal(500);
    expect(built).to.equal(false);
  });

  it('when refusals are named by status, then those AppErrors bring the form again and others do not', async () => {
    const again = (error: AppError) => ({ view: 'form', locals: { form: { name: 'Åsa' }, errors: error.fields } });
    const refused = await post(async (_req, res) => {
      await orFormAgain(res, refusedWith(400), again, async () => {
        throw badRequest('Invalid value', { name: 'form.errors.name' });
      });
    });
    expect(refused.status).to.equal(400);
    expect(JSON.parse(refused.text).errors).to.deep.equal({ name: 'form.errors.name' });
    const conflict = await post(async (_req, res) => {
      await orFormAgain(res, refusedWith(400), again, async () => {
        throw new AppError('conflict', 'Already exists', { name: 'already exists' });
      });
    });
    expect(conflict.status).to.equal(409);
    expect(conflict.text).to.equal('error page: Already exists');
  });

  it('when a page shows FormErrors and another refusal, then formErrorOr lets both through and nothing else', async () => {
    const full = (error: unknown): error is AppError => error instanceof AppError && error.message === 'form.errors.full';
    const again = (error: AppError) => ({
      view: 'form',
      locals: { form: error instanceof FormError ? error.form : { name: '' }, errors: { form: error.message } },
    });
    const refusal = await post(async (_req, res) => {
      await orFormAgain(res, formErrorOr(full), again, async () => {
        throw new AppError('conflict', 'form.errors.full');
      });
    });
    expect(refusal.status).to.equal(409);
    expect(JSON.parse(refusal.text)).to.deep.include({ form: { name: '' }, errors: { form: 'form.errors.full' } });
    const formError = await post(async (_req, res) => {
      await orFormAgain(res, formErrorOr(full), again, async () => {
        throw new FormError({ name: 'x' }, { name: 'Åsa' });
      });
    });
    expect(formError.status).to.equal(400);
    expect(JSON.parse(formError.text).form).to.deep.equal({ name: 'Åsa' });
    const other = await post(async (_req, res) => {
      await orFormAgain(res, formErrorOr(full), again, async () => {
        throw new AppError('forbidden', 'form.errors.other');
      });
    });
    expect(other.status).to.equal(403);
  });

  it('when a request has no body, then formBody is an empty object', async () => {
    const { app, cleanUp } = await appWith((req, res) => {
      res.json(formBody(req));
    });
    cleanUps.push(cleanUp);
    expect((await request(app).post('/form')).body).to.deep.equal({});
    expect((await request(app).post('/form').type('form').send({ a: '1' })).body).to.deep.equal({ a: '1' });
  });
});
