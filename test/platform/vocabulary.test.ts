import { expect } from 'chai';
import { createI18n, readResource } from '../../src/platform/i18n.js';
import { APPLICATION_STATUSES } from '../../src/modules/applications/queries.js';
import { ASSIGNMENT_STATUSES } from '../../src/modules/assignments/queries.js';

// One word per concept (issue 14): a user who reads "På kortlistan" on one page
// and "utvald" on the next cannot tell that they mean the same thing. The
// glossary (src/locales/<lang>/glossary.json) holds the one word; the synonyms
// it rules out are listed here, each beside the glossary entry that replaces it.
// A variant ending in * also rules out every word that starts with it.

interface Rule {
  glossaryKey: string;
  variants: string[];
}

const RULED_OUT: Rule[] = [
  // Before "application", so that "Sista ansökningsdag" is reported as this concept.
  { glossaryKey: 'concepts.lastDayToApply', variants: ['ansökningsdag*', 'anmälningsdag*'] },
  { glossaryKey: 'concepts.application', variants: ['ansök*'] },
  // "Anmälan" alone reads as a report; the moderators' word for that is "rapport".
  { glossaryKey: 'concepts.report', variants: ['anmälan', 'anmälning*'] },
  { glossaryKey: 'concepts.assignment', variants: ['annons', 'annonsen', 'annonser', 'annonserna', 'gigg*', 'jobbannons*'] },
  { glossaryKey: 'applicationStatus.submitted', variants: ['inskickad', 'inskickade', 'insänd', 'insända'] },
  {
    glossaryKey: 'applicationStatus.shortlisted',
    variants: ['utvald', 'utvalda', 'uttagen', 'uttagna', 'valts ut', 'valt ut', 'gått vidare'],
  },
  {
    glossaryKey: 'applicationStatus.accepted',
    variants: ['antagen', 'antagna', 'antaget', 'antagning*', 'tilldelad', 'tilldelade', 'matchad', 'matchade'],
  },
  {
    glossaryKey: 'applicationStatus.declined',
    variants: ['nekad', 'nekade', 'nekats', 'avslagen', 'avslagna', 'avvisad', 'avvisade'],
  },
  {
    glossaryKey: 'applicationStatus.withdrawn',
    variants: [
      'återta*',
      'tagits tillbaka',
      'ta tillbaka',
      'tar tillbaka',
      'tog tillbaka',
      'dra tillbaka',
      'drar tillbaka',
      'drog tillbaka',
      'dragits tillbaka',
    ],
  },
  { glossaryKey: 'assignmentStatus.assigned', variants: ['tilldelat', 'bemannat', 'bemannad', 'bemannade'] },
  {
    glossaryKey: 'assignmentStatus.completed',
    variants: ['genomfört', 'genomförd', 'genomförda', 'slutfört', 'slutförd', 'slutförda', 'avklarat'],
  },
  {
    glossaryKey: 'assignmentStatus.cancelled',
    variants: ['inställt', 'inställd', 'inställda', 'annullerat', 'annullerad', 'struket'],
  },
  { glossaryKey: 'roles.applicant', variants: ['kandidat*', 'sökare'] },
  { glossaryKey: 'roles.worker', variants: ['utförare', 'utföraren'] },
  { glossaryKey: 'roles.officer', variants: ['tjänsteman', 'tjänstemän', 'tjänsteperson*'] },
  { glossaryKey: 'roles.payroll', variants: ['löneadministratör*'] },
];

const LETTER = '\\p{L}';

function variantPattern(variant: string): RegExp {
  const open = variant.endsWith('*');
  const words = (open ? variant.slice(0, -1) : variant).split(' ').join('\\s+');
  return new RegExp(`(?<!${LETTER})${words}${open ? `${LETTER}*` : ''}(?!${LETTER})`, 'giu');
}

function texts(value: unknown, prefix = ''): [string, string][] {
  if (typeof value === 'string') return [[prefix, value]];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) =>
    texts(child, prefix ? `${prefix}.${key}` : key),
  );
}

function lookUp(resource: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], resource);
}

/** Every use of a ruled-out synonym, as "key: word (glossary says …)". */
function synonymsIn(resource: Record<string, unknown>): string[] {
  const found: string[] = [];
  for (const [key, text] of texts(resource)) {
    const reported = new Set<string>();
    for (const { glossaryKey, variants } of RULED_OUT) {
      for (const variant of variants) {
        for (const [word] of text.matchAll(variantPattern(variant))) {
          if (reported.has(word.toLowerCase())) continue;
          reported.add(word.toLowerCase());
          const wanted = String(lookUp(resource, `glossary.${glossaryKey}`));
          found.push(`${key}: "${word}" (the glossary says "${wanted}", glossary.${glossaryKey})`);
        }
      }
    }
  }
  return found;
}

describe('one vocabulary (glossary)', () => {
  const sv = readResource('sv');

  it('when a Swedish text names a concept or a state, then it uses the glossary word, not a ruled-out synonym', () => {
    expect(synonymsIn(sv)).to.deep.equal([]);
  });

  it('when a text uses a synonym, then the check names the key and the word', () => {
    const drifted = {
      ...sv,
      messages: { status: { shortlisted: 'utvald', withdrawn: 'Återtagen' } },
      menu: { mine: 'Mina ansökningar', expiring: 'Sista ansökningsdag i morgon' },
    };
    expect(synonymsIn(drifted)).to.deep.equal([
      'messages.status.shortlisted: "utvald" (the glossary says "På kortlistan", glossary.applicationStatus.shortlisted)',
      'messages.status.withdrawn: "Återtagen" (the glossary says "Återkallad", glossary.applicationStatus.withdrawn)',
      'menu.mine: "ansökningar" (the glossary says "intresseanmälan", glossary.concepts.application)',
      'menu.expiring: "ansökningsdag" (the glossary says "sista dag att anmäla intresse", glossary.concepts.lastDayToApply)',
    ]);
    // The glossary's own words, and compounds of them, are not mistaken for synonyms.
    expect(synonymsIn({ glossary: sv.glossary, intresse: 'intresseanmälan, anmäla intresse, sökande' })).to.deep.equal([]);
  });

  it('when the glossary names a word, then the word itself is not ruled out and exists in both languages', () => {
    for (const language of ['sv', 'en'] as const) {
      const resource = readResource(language);
      for (const { glossaryKey } of RULED_OUT)
        expect(lookUp(resource, `glossary.${glossaryKey}`), `${language} glossary.${glossaryKey}`).to.be.a('string');
    }
    expect(synonymsIn({ glossary: sv.glossary })).to.deep.equal([]);
  });

  it('when a page shows the state of an application or an assignment, then the label is the glossary word in both languages', async () => {
    const i18n = await createI18n();
    for (const lng of ['sv', 'en']) {
      const t = i18n.getFixedT(lng);
      for (const status of APPLICATION_STATUSES) {
        const word = t(`glossary.applicationStatus.${status}`);
        expect(t(`applications.status.${status}`), `${lng} applications.status.${status}`).to.equal(word);
        expect(t(`messages.status.${status}`), `${lng} messages.status.${status}`).to.equal(word);
        // An applicant is not told about the shortlist: to them it is still sent.
        const applicantStatus = status === 'shortlisted' ? 'submitted' : status;
        expect(t(`applications.applicantStatus.${status}`), `${lng} applications.applicantStatus.${status}`).to.equal(
          t(`glossary.applicationStatus.${applicantStatus}`),
        );
      }
      for (const status of ASSIGNMENT_STATUSES)
        expect(t(`moderation.queue.status.${status}`), `${lng} moderation.queue.status.${status}`).to.equal(
          t(`glossary.assignmentStatus.${status}`),
        );
      expect(t('organisations.roles.admin')).to.equal(t('glossary.roles.organisationAdmin'));
      expect(t('organisations.roles.member')).to.equal(t('glossary.roles.organisationMember'));
    }
  });
});
