import { expect } from 'chai';
import { excerpt } from '../../src/modules/assignments/index.js';
import { excerptAround } from '../../src/modules/search/text-match.js';
import { plainText } from '../../src/web/text-blocks.js';

// Excerpts on cards are plain text (issue 14): what a poster wrote as a list reads as a sentence.

describe('plainText (a description on one line, for excerpts)', () => {
  it('when the description has a list, then the markers go and the items are separated by commas', () => {
    expect(plainText('Det här ingår:\n- Skotta trappan\n* Sanda vid behov\n•  Ploga')).to.equal(
      'Det här ingår: Skotta trappan, Sanda vid behov, Ploga',
    );
  });

  it('when text follows a list, then the list ends with a full stop, unless its last item has one', () => {
    expect(plainText('- Trappan\n- Rampen\n\nRing oss.')).to.equal('Trappan, Rampen. Ring oss.');
    expect(plainText('- Trappan!\n- Rampen?\nRing oss.')).to.equal('Trappan! Rampen? Ring oss.');
  });

  it('when an item already ends a sentence, then no comma is added', () => {
    expect(plainText('- Skotta trappan.\n- Sanda;\n- Klart')).to.equal('Skotta trappan. Sanda; Klart');
  });

  it('when there is no list, then only the spacing changes (lines and paragraphs become one line)', () => {
    expect(plainText('  Skotta\n\ntrappan\tvid   bygdegården.  ')).to.equal('Skotta trappan vid bygdegården.');
    expect(plainText('')).to.equal('');
  });

  it('when a line only looks like a list (a minus sign, a lone dash), then it is kept as written', () => {
    expect(plainText('Det blir -5 grader.\n-\n--')).to.equal('Det blir -5 grader. - --');
  });

  it('when the text carries markup, then it stays text (escaping is the view’s): nothing is added or removed', () => {
    expect(plainText('- <b>fet</b>\n- <script>x</script>')).to.equal('<b>fet</b>, <script>x</script>');
  });

  it('when highlight markers end an item, then the comma comes after them', () => {
    expect(plainText('- Skotta \uE000trappan\uE001\n- Sanda')).to.equal('Skotta \uE000trappan\uE001, Sanda');
  });
});

describe('the excerpts made from descriptions are plain text', () => {
  const listed = 'Det här ingår:\n- Skotta trappan vid entrén\n- Sanda vid behov\n\nRing Kerstin om du undrar.';

  it('when a card excerpt is made (home page, organisation page), then it has no list markers', () => {
    expect(excerpt(listed)).to.equal('Det här ingår: Skotta trappan vid entrén, Sanda vid behov. Ring Kerstin om du undrar.');
  });

  it('when a search excerpt is made around a match, then it has no list markers', () => {
    expect(excerptAround(listed, ['sanda'])).to.equal(
      'Det här ingår: Skotta trappan vid entrén, Sanda vid behov. Ring Kerstin om du undrar.',
    );
    const long = `${'Inledning. '.repeat(30)}\n- Skotta trappan\n- Sanda vid behov\n- Ploga`;
    expect(excerptAround(long, ['sanda']))
      .to.match(/Skotta trappan, Sanda vid behov, Ploga$/)
      .and.not.match(/(^|\s)-\s/);
  });
});
