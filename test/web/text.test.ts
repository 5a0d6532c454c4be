import { expect } from 'chai';
import { assignmentPath, excerpt } from '../../src/modules/assignments/index.js';
import { parseAssignmentRef } from '../../src/modules/assignments/view-model.js';
import { pickLanguage } from '../../src/platform/i18n.js';
import { slugify } from '../../src/platform/slugify.js';
import { textBlocks } from '../../src/web/text-blocks.js';

describe('textBlocks (descriptions as plain text)', () => {
  it('when lines are separated by blank lines, then each group is a paragraph of its lines', () => {
    expect(textBlocks('Första stycket.\nSamma stycke.\n\nAndra stycket.')).to.deep.equal([
      { type: 'paragraph', lines: ['Första stycket.', 'Samma stycke.'] },
      { type: 'paragraph', lines: ['Andra stycket.'] },
    ]);
  });

  it('when lines start with "- ", "* " or "• ", then they form one list', () => {
    expect(textBlocks('- Trappan\n* Rampen\n•  Parkeringen')).to.deep.equal([
      { type: 'list', items: ['Trappan', 'Rampen', 'Parkeringen'] },
    ]);
  });

  it('when the text uses CRLF or CR line ends, then it reads like LF', () => {
    const lf = 'Stycke ett.\nRad två.\n\n- punkt a\n- punkt b\n\nSlut.';
    expect(textBlocks(lf.replace(/\n/g, '\r\n'))).to.deep.equal(textBlocks(lf));
    expect(textBlocks(lf.replace(/\n/g, '\r'))).to.deep.equal(textBlocks(lf));
    expect(textBlocks(lf)).to.have.length(3);
  });

  it('when a paragraph and a list share a group, then they are split in order', () => {
    expect(textBlocks('Det här ingår:\n- Trappan\n- Parkeringen\nRing om du undrar.\n- Och en sak till')).to.deep.equal([
      { type: 'paragraph', lines: ['Det här ingår:'] },
      { type: 'list', items: ['Trappan', 'Parkeringen'] },
      { type: 'paragraph', lines: ['Ring om du undrar.'] },
      { type: 'list', items: ['Och en sak till'] },
    ]);
  });

  it('when blank lines hold spaces or repeat, and lines are indented, then they are trimmed away', () => {
    expect(textBlocks('\n\n  Ett  \n \t \n\n\n   - a  \n\n')).to.deep.equal([
      { type: 'paragraph', lines: ['Ett'] },
      { type: 'list', items: ['a'] },
    ]);
  });

  it('when the text is empty or only whitespace, then there are no blocks', () => {
    expect(textBlocks('')).to.deep.equal([]);
    expect(textBlocks(' \r\n\t\n ')).to.deep.equal([]);
  });

  it('when a dash has no space after it, then the line is text, not a list item', () => {
    expect(textBlocks('-5 grader ute\n--\n-')).to.deep.equal([{ type: 'paragraph', lines: ['-5 grader ute', '--', '-'] }]);
  });

  it('when the text holds markup, then it stays text (the views escape it)', () => {
    expect(textBlocks('<script>alert(1)</script>\n- <b>fet</b>')).to.deep.equal([
      { type: 'paragraph', lines: ['<script>alert(1)</script>'] },
      { type: 'list', items: ['<b>fet</b>'] },
    ]);
  });
});

describe('slugify', () => {
  it('when the text has å, ä and ö, then they become a, a and o', () => {
    expect(slugify('Snöskottning vid bygdegården i Rusksele')).to.equal('snoskottning-vid-bygdegarden-i-rusksele');
    expect(slugify('ÅÄÖ åäö')).to.equal('aao-aao');
    expect(slugify('Älmsta')).to.equal('almsta');
  });

  it('when the text has other accented or special letters, then they become ASCII', () => {
    expect(slugify('Café Ørnsköldsvik Æble Straße')).to.equal('cafe-ornskoldsvik-aeble-strasse');
  });

  it('when the text has punctuation and spaces, then each run becomes one dash with none at the ends', () => {
    expect(slugify('  Hjälp!! Behövs: 2 st. (snarast) ')).to.equal('hjalp-behovs-2-st-snarast');
    expect(slugify('a -- b __ c / d')).to.equal('a-b-c-d');
  });

  it('when the text has no letters or digits, then the slug is empty', () => {
    expect(slugify('!!! ??? !!!')).to.equal('');
    expect(slugify('')).to.equal('');
    expect(slugify('🙂 ✨')).to.equal('');
  });

  it('when the text is long, then the slug has at most maxLength characters and no trailing dash', () => {
    const long = 'Snöskottning och sandning av gångvägar runt skolan, kyrkan och bygdegården hela vintern lång';
    const slug = slugify(long);
    expect(slug.length).to.be.at.most(80);
    expect(slug).to.match(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
    expect(slugify(long)).to.equal(slug);
    expect(slugify('abcde fghij', 6)).to.equal('abcde');
    expect(slugify('x'.repeat(200))).to.equal('x'.repeat(80));
  });

  it('then every slug is URL-safe lowercase ASCII', () => {
    for (const text of ['Vård & omsorg i Norsjö', 'IT-stöd / webb', 'Ängsö – Väddö', 'ID 12345 ÖVRIGT']) {
      expect(slugify(text)).to.match(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
    }
  });
});

describe('pickLanguage', () => {
  it('when a supported language is asked for explicitly, then it wins over the header', () => {
    expect(pickLanguage('en', 'sv')).to.equal('en');
    expect(pickLanguage('sv', 'en')).to.equal('sv');
  });

  it('when the explicit value is unsupported or not a single string, then it is ignored', () => {
    expect(pickLanguage('de', 'en')).to.equal('en');
    expect(pickLanguage('xx', undefined)).to.equal('sv');
    expect(pickLanguage(['en'], undefined)).to.equal('sv');
    expect(pickLanguage({ lang: 'en' }, undefined)).to.equal('sv');
    expect(pickLanguage('', undefined)).to.equal('sv');
  });

  it('when nothing is given, then Swedish', () => {
    expect(pickLanguage(undefined, undefined)).to.equal('sv');
    expect(pickLanguage(undefined, '')).to.equal('sv');
  });

  it('when Accept-Language names a regional variant, then its language is used', () => {
    expect(pickLanguage(undefined, 'en-GB')).to.equal('en');
    expect(pickLanguage(undefined, 'EN-us')).to.equal('en');
    expect(pickLanguage(undefined, 'sv-FI')).to.equal('sv');
  });

  it('when Accept-Language has q values, then the highest supported one is used', () => {
    expect(pickLanguage(undefined, 'sv;q=0.5, en;q=0.8')).to.equal('en');
    expect(pickLanguage(undefined, 'en;q=0.4, sv;q=0.9')).to.equal('sv');
    expect(pickLanguage(undefined, 'de-DE, fr;q=0.9, en;q=0.7, sv;q=0.6')).to.equal('en');
  });

  it('when Accept-Language has spaces around ";" (RFC 9110 allows OWS there), then it is still understood', () => {
    expect(pickLanguage(undefined, 'en ; q=0.9')).to.equal('en');
    expect(pickLanguage(undefined, 'de, en ;q=0.9, sv ;q=0.8')).to.equal('en');
  });

  it('when a language has q=0, then it is refused', () => {
    expect(pickLanguage(undefined, 'en;q=0, sv;q=0.1')).to.equal('sv');
    expect(pickLanguage(undefined, 'en;q=0')).to.equal('sv');
  });

  it('when only unsupported languages are accepted, then Swedish', () => {
    expect(pickLanguage(undefined, 'de, fr;q=0.9, *;q=0.1')).to.equal('sv');
  });

  it('when the header is garbage, then Swedish and no exception', () => {
    for (const header of [';;;', ',,,', 'q=1', 'en;q=abc', 'en;q=', '\u0000\u00ff', ';q=0.9,', 'x'.repeat(10_000), '*']) {
      expect(pickLanguage(undefined, header), JSON.stringify(header.slice(0, 20))).to.equal('sv');
    }
  });
});

describe('parseAssignmentRef', () => {
  it('when the ref is an id, with or without a slug, then the id', () => {
    expect(parseAssignmentRef('123')).to.equal(123);
    expect(parseAssignmentRef('123-snoskottning-vid-bygdegarden')).to.equal(123);
    expect(parseAssignmentRef('7-')).to.equal(7);
    expect(parseAssignmentRef('999999999999999')).to.equal(999_999_999_999_999);
  });

  it('when the ref round-trips through assignmentPath, then the same id comes back', () => {
    const path = assignmentPath({ id: 42, title: 'Skjuts till vårdcentralen i Norsjö' });
    expect(path).to.equal('/uppdrag/42-skjuts-till-vardcentralen-i-norsjo');
    expect(parseAssignmentRef(path.slice('/uppdrag/'.length))).to.equal(42);
    expect(assignmentPath({ id: 43, title: '!!!' })).to.equal('/uppdrag/43');
  });

  for (const ref of [
    '',
    'abc',
    '0',
    '-1',
    '1.5',
    '1e3',
    ' 1',
    '1 ',
    '+1',
    '0x1f',
    '1%00',
    '1\u0000',
    '99999999999999999999',
    '1234567890123456',
    '12-snöskottning',
    '12_slug',
    '12/13',
    `1-${'a'.repeat(201)}`,
    '١٢٣',
  ]) {
    it(`when the ref is ${JSON.stringify(ref.slice(0, 24))}, then undefined`, () => {
      expect(parseAssignmentRef(ref)).to.equal(undefined);
    });
  }

  it('when the slug has capitals (a hand-typed link), then the id is read and the route redirects to the canonical slug', () => {
    expect(parseAssignmentRef('12-Snoskottning')).to.equal(12);
  });
});

describe('excerpt', () => {
  it('when the text is short, then it is returned with its whitespace collapsed', () => {
    expect(excerpt('  Skotta\n\ntrappan\tvid   bygdegården.  ')).to.equal('Skotta trappan vid bygdegården.');
    expect(excerpt('')).to.equal('');
  });

  it('when the text is exactly maxLength, then nothing is cut', () => {
    const text = 'a'.repeat(160);
    expect(excerpt(text)).to.equal(text);
  });

  it('when the text is long, then it is cut at a word boundary with an ellipsis, within maxLength', () => {
    const text = Array.from({ length: 60 }, (_, i) => `ord${i}`).join(' ');
    const cut = excerpt(text);
    expect(cut.length).to.be.at.most(160);
    expect(cut.endsWith('…')).to.equal(true);
    const words = cut.slice(0, -1).split(' ');
    expect(text.startsWith(cut.slice(0, -1))).to.equal(true);
    expect(text.split(' ').slice(0, words.length)).to.deep.equal(words);
    expect(cut.slice(0, -1)).not.to.match(/\s$/);
  });

  it('when a long text has no spaces, then it is cut hard within maxLength', () => {
    const cut = excerpt('x'.repeat(500));
    expect(cut).to.equal(`${'x'.repeat(159)}…`);
  });

  it('when maxLength is given, then it is respected', () => {
    expect(excerpt('Snöskottning vid bygdegården i Rusksele', 20)).to.equal('Snöskottning vid…');
    expect(excerpt('Snöskottning vid bygdegården i Rusksele', 20).length).to.be.at.most(20);
  });
});
