import fs from 'node:fs';
import path from 'node:path';
import { Router } from 'express';
import type { TFunction } from '../platform/i18n.js';
import { noStore } from './cache.js';
import { doneParam } from './params.js';
import { VIEWS_DIR } from './views.js';

// /dev/komponenter: the design system (views/partials/ui/, the confirmation step, the table pattern), each component
// rendered with Swedish sample data beside the call that renders it, for the people who build pages. Like /dev/mail,
// the router does not look at the environment; modules.ts mounts it only outside production. The sample data is
// demo content, like the demo seed's; the components' own words come from the locale files.

/** Where the examples' buttons lead: back to the page, which then says that nothing happened. */
export const EXAMPLE_ACTION = '/dev/komponenter/exempel';

export interface ComponentExample {
  /** The partial's path from views/, or null for a pattern whose markup is the example file itself. */
  partial: string | null;
  /** Its locals, as the call passes them. */
  locals: Record<string, unknown>;
}

export interface ComponentEntry {
  /** The key in designSystem.components and the section's id; for partials/ui/<id>.ejs, also the file's name. */
  id: string;
  examples: ComponentExample[];
  /** A pattern without a partial: the example file (from views/) whose source is the markup to copy. */
  exampleFile?: string;
}

/** The components in the order the page shows them. A partial in views/partials/ui/ must have an entry here (a test checks). */
export function designSystemComponents(t: TFunction): ComponentEntry[] {
  const status = (key: string) => t(`glossary.applicationStatus.${key}`);
  const assignmentStatus = (key: string) => t(`glossary.assignmentStatus.${key}`);
  return [
    {
      id: 'page-header',
      examples: [
        {
          partial: 'partials/ui/page-header',
          locals: {
            pageHeader: {
              title: 'Skotta trappan vid bygdegården',
              lead: 'Rusksele byaförening · Rusksele, Lycksele',
              back: { href: '/dev/komponenter', label: 'Tillbaka till Mina uppdrag' },
              badges: [{ text: assignmentStatus('published'), tone: 'success' }],
              primary: { label: 'Se intresseanmälningarna (3)', href: '/dev/komponenter#component-card' },
              secondary: [
                { label: 'Ändra uppdraget', href: '/dev/komponenter#component-summary-list' },
                { label: 'Avbryt uppdraget', href: '/dev/komponenter#component-confirm', tone: 'warning' },
              ],
            },
          },
        },
        {
          partial: 'partials/ui/page-header',
          locals: {
            pageHeader: {
              title: 'Fakturaunderlag för november',
              primary: { label: 'Skicka underlaget', action: EXAMPLE_ACTION, hidden: { month: '2026-11' } },
            },
          },
        },
      ],
    },
    {
      id: 'badge',
      examples: [
        { partial: 'partials/ui/badge', locals: { badge: { text: status('submitted') } } },
        { partial: 'partials/ui/badge', locals: { badge: { text: assignmentStatus('pending_review'), tone: 'info' } } },
        { partial: 'partials/ui/badge', locals: { badge: { text: t('trust.verified'), tone: 'success' } } },
        { partial: 'partials/ui/badge', locals: { badge: { text: t('organisations.unverified'), tone: 'warning' } } },
        { partial: 'partials/ui/badge', locals: { badge: { text: assignmentStatus('cancelled'), tone: 'danger' } } },
      ],
    },
    {
      id: 'card',
      examples: [
        {
          partial: 'partials/ui/card',
          locals: {
            card: {
              title: 'Klippa gräset på fotbollsplanen',
              href: '/dev/komponenter#component-card',
              meta: ['Norsjö IF', 'Norsjö', 'sista dag att anmäla intresse 15 december'],
              badges: [
                { text: status('shortlisted'), tone: 'info' },
                { text: t('trust.verified'), tone: 'success' },
              ],
              text: 'Planen klipps en gång i veckan från maj till september. Gräsklippare finns i förrådet.',
            },
          },
        },
      ],
    },
    {
      id: 'summary-list',
      examples: [
        {
          partial: 'partials/ui/summary-list',
          locals: {
            summaryList: {
              rows: [
                { key: 'Uppdragsgivare', value: 'Rusksele byaförening' },
                { key: 'Plats', value: ['Bygdegården, Byvägen 12', '921 93 Rusksele'] },
                {
                  key: 'Ersättning',
                  value: '800 kr för hela uppdraget',
                  action: {
                    href: '/dev/komponenter#component-summary-list',
                    label: 'Ändra',
                    visuallyHiddenContext: 'ersättningen',
                  },
                },
                {
                  key: 'Telefon',
                  value: '',
                  action: {
                    href: '/dev/komponenter#component-summary-list',
                    label: 'Lägg till',
                    visuallyHiddenContext: 'telefonnummer',
                  },
                },
              ],
            },
          },
        },
      ],
    },
    {
      id: 'timeline',
      examples: [
        {
          partial: 'partials/ui/timeline',
          locals: {
            timeline: {
              steps: [
                { label: status('submitted'), state: 'done', date: '2026-11-20' },
                { label: status('shortlisted'), state: 'skipped' },
                {
                  label: status('accepted'),
                  state: 'current',
                  date: '2026-11-24',
                  note: 'Kerstin Lundmark hör av sig om när ni börjar.',
                },
                { label: assignmentStatus('completed'), state: 'upcoming' },
                { label: 'Fakturerat', state: 'upcoming' },
                { label: 'Utbetalt', state: 'upcoming' },
              ],
            },
          },
        },
      ],
    },
    {
      id: 'notice',
      examples: [
        {
          partial: 'partials/ui/notice',
          locals: {
            notice: {
              tone: 'info',
              heading: 'Uppdraget granskas',
              text: 'Organisationen är inte verifierad ännu, så en administratör läser uppdraget innan det publiceras. Det brukar ta en arbetsdag.',
              headingLevel: 3,
            },
          },
        },
        {
          partial: 'partials/ui/notice',
          locals: {
            notice: {
              tone: 'success',
              heading: 'Uppdraget är publicerat',
              text: 'Det syns nu i sökningen och de som bevakar liknande uppdrag får ett mejl.',
              action: { href: '/dev/komponenter#component-notice', label: 'Visa uppdraget' },
              announce: true,
              headingLevel: 3,
            },
          },
        },
        {
          partial: 'partials/ui/notice',
          locals: {
            notice: {
              tone: 'warning',
              heading: 'Kontot för förenklat företagande saknas',
              text: 'Du behöver ett konto innan du kan få betalt för uppdraget.',
              action: { href: '/dev/komponenter#component-notice', label: 'Skaffa kontot' },
              headingLevel: 3,
            },
          },
        },
      ],
    },
    {
      id: 'confirm',
      examples: [
        {
          partial: 'partials/confirm',
          locals: {
            heading: 'Vill du avbryta uppdraget Skotta trappan?',
            intro:
              'Uppdraget avbryts för Rusksele byaförening. Det försvinner från sökningen och ingen kan anmäla intresse längre.',
            consequences: ['2 personer har anmält intresse. De får inget automatiskt besked, så berätta gärna själva.'],
            irreversible: 'Ett avbrutet uppdrag kan inte öppnas igen.',
            action: EXAMPLE_ACTION,
            confirmLabel: 'Ja, avbryt uppdraget',
            backUrl: '/dev/komponenter#component-confirm',
          },
        },
      ],
    },
    {
      id: 'empty-state',
      examples: [
        {
          partial: 'partials/ui/empty-state',
          locals: {
            emptyState: {
              heading: 'Du har inga intresseanmälningar ännu',
              text: 'När du anmäler intresse för ett uppdrag syns det här, med vad som händer härnäst.',
              action: { href: '/uppdrag', label: 'Sök uppdrag nära dig' },
              headingLevel: 3,
            },
          },
        },
      ],
    },
    {
      id: 'pagination',
      examples: [
        {
          partial: 'partials/ui/pagination',
          locals: { pagination: { page: 3, pages: 12, path: '/dev/komponenter', query: {} } },
        },
        {
          partial: 'partials/ui/pagination',
          locals: { pagination: { page: 1, pages: 2, path: '/dev/komponenter', query: {}, label: 'Sidor med notiser' } },
        },
      ],
    },
    { id: 'table', examples: [{ partial: null, locals: {} }], exampleFile: 'dev/examples/table.ejs' },
  ];
}

/** A value as JavaScript source, the way a call in a view would write it: on one line while it is short. */
export function toSource(value: unknown, indent = ''): string {
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    const items = value.map((item) => toSource(item, inner));
    const line = `[${items.join(', ')}]`;
    return line.length <= 80 && !line.includes('\n') ? line : `[\n${items.map((item) => inner + item).join(',\n')},\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .map(([key, item]) => `${/^[A-Za-z_$][\w$]*$/.test(key) ? key : toSource(key)}: ${toSource(item, inner)}`);
  if (entries.length === 0) return '{}';
  const line = `{ ${entries.join(', ')} }`;
  return line.length <= 80 && !line.includes('\n')
    ? line
    : `{\n${entries.map((entry) => inner + entry).join(',\n')},\n${indent}}`;
}

/** The include a page in views/<module>/ writes to render this example. */
export function includeCall(example: ComponentExample): string {
  return `<%- include('../${example.partial}', ${toSource(example.locals)}) %>`;
}

/** The opening <%# … %> comment of a view file: the partial's documentation of its locals. */
export function viewDocumentation(file: string): string {
  const source = fs.readFileSync(path.join(VIEWS_DIR, `${file}.ejs`), 'utf8');
  const comment = /^<%#([\s\S]*?)-?%>/.exec(source)?.[1] ?? '';
  const lines = comment.split('\n');
  const margin = Math.min(...lines.filter((line) => line.trim()).map((line) => /^ */.exec(line)![0].length));
  return lines
    .map((line) => line.slice(margin))
    .join('\n')
    .trim();
}

export function devComponentRoutes(): Router {
  const router = Router();

  // no-store: the examples' forms carry a CSRF token
  router.get('/dev/komponenter', noStore, (req, res) => {
    const components = designSystemComponents(res.locals.t as TFunction).map((component) => {
      const partial = component.examples[0]?.partial;
      return {
        ...component,
        documentation: partial ? viewDocumentation(partial) : undefined,
        exampleSource: component.exampleFile
          ? fs.readFileSync(path.join(VIEWS_DIR, component.exampleFile), 'utf8').trim()
          : undefined,
        calls: component.examples.map((example) => (example.partial ? includeCall(example) : undefined)),
      };
    });
    res.render('dev/components', { components, done: doneParam(req, new Set(['example'])) });
  });

  router.post(EXAMPLE_ACTION, (_req, res) => {
    res.redirect(303, '/dev/komponenter?done=example');
  });

  return router;
}
