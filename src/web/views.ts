import ejs from 'ejs';
import path from 'node:path';
import type { Express } from 'express';

// EJS with one layout: a page view renders its body, which is then placed in
// views/layout.ejs. A view tells the layout its title and description by
// setting `page.title` / `page.description` (EJS gives each template a copy of
// its locals, so a shared object is the way to pass values upwards). A route
// can pass `layout: false` to render a bare fragment (for htmx partials later).

export const VIEWS_DIR = path.resolve(import.meta.dirname, '..', '..', 'views');
const LAYOUT = path.join(VIEWS_DIR, 'layout.ejs');

export function useViews(app: Express, options: { cache: boolean }): void {
  app.set('views', VIEWS_DIR);
  app.set('view engine', 'ejs');
  app.set('view cache', options.cache);
  app.engine('ejs', (file, locals, callback) => {
    const data: Record<string, unknown> = { ...(locals as Record<string, unknown>), page: {} };
    // Production drops EJS's line tracking (a statement per template line, and a rethrow wrapper): a template
    // error then names no line, but every page renders faster (issue 16). Development keeps it.
    const ejsOptions = { cache: options.cache, filename: file, compileDebug: !options.cache };
    ejs.renderFile(file, data, ejsOptions, (error, body) => {
      if (error || data.layout === false) {
        callback(error, body);
        return;
      }
      ejs.renderFile(LAYOUT, { ...data, body }, { ...ejsOptions, filename: LAYOUT }, callback);
    });
  });
}
