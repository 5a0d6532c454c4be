import { DOMParser, type Element } from '@xmldom/xmldom';
import { expect } from 'chai';
import request from 'supertest';
import { createOrganisation, createTestAssignment } from '../support/factories.js';
import { useTestApp } from '../support/test-app.js';

// The Atom feed of any search, GET /uppdrag.atom?…: the newest 50 matches,
// well-formed Atom 1.0 whatever the assignments' texts hold.

const ATOM = 'http://www.w3.org/2005/Atom';

/** Parses strictly: any well-formedness error fails the test. */
function parseAtom(xml: string) {
  const document = new DOMParser({
    onError: (level, message) => {
      if (level !== 'warning') throw new Error(`Not well-formed XML: ${message}`);
    },
  }).parseFromString(xml, 'application/xml');
  const feed = document.documentElement!;
  const child = (parent: Element, name: string) => parent.getElementsByTagNameNS(ATOM, name)[0];
  const entries = Array.from(feed.getElementsByTagNameNS(ATOM, 'entry'));
  return {
    feed,
    text: (name: string) => child(feed, name)?.textContent,
    links: Array.from(feed.childNodes).filter(
      (node): node is Element => (node as Element).localName === 'link' && (node as Element).namespaceURI === ATOM,
    ),
    entries: entries.map((entry) => ({
      id: child(entry, 'id')?.textContent,
      title: child(entry, 'title')?.textContent,
      updated: child(entry, 'updated')?.textContent,
      summary: child(entry, 'summary')?.textContent,
      author: child(entry, 'name')?.textContent,
      link: child(entry, 'link')?.getAttribute('href'),
      linkRel: child(entry, 'link')?.getAttribute('rel'),
    })),
  };
}

describe('GET /uppdrag.atom', () => {
  const ctx = useTestApp();
  const hostileTitle = '<script>alert(1)</script> Snöskottning & "mer"';
  const hostileDescription = 'Skotta trappan ]]> <img src=x onerror=alert(1)> & sedan\u0001 parkeringen vid bygdegården.';
  let hostileId: number;
  let lawnId: number;
  const olderIds: number[] = [];

  before(async function () {
    this.timeout(120_000);
    const org = await createOrganisation(ctx.db, { name: '<b>Byaföreningen</b> & vänner' });
    // 51 older assignments, so the feed has more matches than it shows.
    for (let i = 0; i < 51; i++) {
      olderIds.push(
        await createTestAssignment(ctx.db, {
          organisationId: org.id,
          title: `Vedhuggning nummer ${i + 1}`,
          categorySlug: 'skog-och-mark',
          publishedAt: new Date(Date.now() - (10 + i) * 3_600_000),
        }),
      );
    }
    lawnId = await createTestAssignment(ctx.db, {
      organisationId: org.id,
      title: 'Gräsklippning av fotbollsplanen',
      categorySlug: 'tradgard',
      publishedAt: new Date(Date.now() - 2 * 3_600_000),
    });
    hostileId = await createTestAssignment(ctx.db, {
      organisationId: org.id,
      title: hostileTitle,
      description: hostileDescription,
      categorySlug: 'snorojning',
      publishedAt: new Date(Date.now() - 3_600_000),
    });
    // One batch load instead of 53 index jobs.
    await ctx.syncIndex();
  });

  it('when opened, then well-formed Atom 1.0 of the newest 50, each entry with id, title, link, updated and summary', async () => {
    const res = await request(ctx.app).get('/uppdrag.atom').expect(200);
    expect(res.headers['content-type']).to.equal('application/atom+xml; charset=utf-8');
    expect(res.headers['access-control-allow-origin']).to.equal('*');
    const atom = parseAtom(res.text);
    expect(atom.feed.localName).to.equal('feed');
    expect(atom.feed.namespaceURI).to.equal(ATOM);
    expect(atom.text('id')).to.equal('http://uppdragsbanken.test/uppdrag.atom');
    expect(atom.text('title')).to.equal('Uppdrag på Uppdragsbanken');
    expect(atom.links.map((link) => [link.getAttribute('rel'), link.getAttribute('href')])).to.deep.equal([
      ['self', 'http://uppdragsbanken.test/uppdrag.atom'],
      ['alternate', 'http://uppdragsbanken.test/uppdrag'],
    ]);
    expect(atom.entries).to.have.length(50);
    const ids = atom.entries.map((entry) => Number(entry.id!.split('/').pop()));
    expect(ids.slice(0, 3)).to.deep.equal([hostileId, lawnId, olderIds[0]]);
    expect(ids).not.to.include(olderIds[50]);
    const updated = atom.entries.map((entry) => entry.updated!);
    expect(updated).to.deep.equal([...updated].sort().reverse());
    expect(atom.text('updated')).to.equal(updated[0]);
    for (const entry of atom.entries) {
      expect(entry.id).to.match(/^http:\/\/uppdragsbanken\.test\/uppdrag\/\d+$/);
      expect(entry.title).to.be.a('string').with.length.above(0);
      expect(entry.linkRel).to.equal('alternate');
      expect(entry.link).to.match(/^http:\/\/uppdragsbanken\.test\/uppdrag\/\d+-/);
      expect(Number.isNaN(Date.parse(entry.updated!))).to.equal(false);
      expect(entry.summary).to.be.a('string').with.length.above(0);
    }
  });

  it('when texts hold markup and control characters, then the feed carries them as escaped text', async () => {
    const res = await request(ctx.app).get('/uppdrag.atom').expect(200);
    expect(res.text).not.to.include('<script>');
    expect(res.text).not.to.include('<img');
    expect(res.text).not.to.include('<b>');
    expect(res.text).not.to.include('\u0001');
    const [entry] = parseAtom(res.text).entries;
    expect(entry!.title).to.equal(hostileTitle);
    expect(entry!.author).to.equal('<b>Byaföreningen</b> & vänner');
    expect(entry!.summary).to.equal(hostileDescription.replace('\u0001', ''));
  });

  it('when a search is given, then the feed holds its matches, newest first, whatever page or order was asked', async () => {
    const byCategory = parseAtom(
      (await request(ctx.app).get('/uppdrag.atom?category=tradgard&sort=pay&page=3').expect(200)).text,
    );
    expect(byCategory.entries.map((entry) => entry.title)).to.deep.equal(['Gräsklippning av fotbollsplanen']);
    const byWords = parseAtom((await request(ctx.app).get('/uppdrag.atom').query({ q: 'snöskottning' }).expect(200)).text);
    expect(byWords.entries.map((entry) => Number(entry.id!.split('/').pop()))).to.deep.equal([hostileId]);
    expect(byWords.text('title')).to.equal('Uppdrag på Uppdragsbanken: snöskottning');
    expect(byWords.text('id')).to.equal('http://uppdragsbanken.test/uppdrag.atom?q=sn%C3%B6skottning');
  });

  it('when the words hold markup, then the feed title carries them as text', async () => {
    const res = await request(ctx.app).get('/uppdrag.atom').query({ q: '<b>"ved"</b> & co', lang: 'en' }).expect(200);
    const atom = parseAtom(res.text);
    expect(atom.text('title')).to.equal('Assignments on Uppdragsbanken: <b>"ved"</b> & co');
    expect(atom.feed.getAttribute('xml:lang')).to.equal('en');
  });

  it('when a parameter is bad, then 400 and no feed', async () => {
    for (const query of [
      'municipality=9999',
      `q=${'x'.repeat(10_000)}`,
      'page=0',
      'near=NaN,1',
      'category=a&category=%22%20OR%201',
    ]) {
      const res = await request(ctx.app).get(`/uppdrag.atom?${query}`);
      expect(res.status, query.slice(0, 40)).to.equal(400);
      expect(res.headers['content-type']).not.to.include('atom');
    }
  });

  it('when the search page is opened, then its head links the feed of the same search', async () => {
    const res = await request(ctx.app).get('/uppdrag?q=sn%C3%B6&category=snorojning&page=1').expect(200);
    const link = /<link rel="alternate" type="application\/atom\+xml" title="([^"]*)" href="([^"]*)">/.exec(res.text);
    expect(link, 'feed link').not.to.equal(null);
    expect(link![2]).to.equal('/uppdrag.atom?q=sn%C3%B6&amp;category=snorojning');
  });
});
