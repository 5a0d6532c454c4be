import { expect } from 'chai';
import ejs from 'ejs';
import fs from 'node:fs';
import path from 'node:path';
import { parseHTML } from 'linkedom';
import {
  chartPalette,
  horizontalBars,
  integerTicks,
  lineByMonth,
  monthRange,
  stackedBarsByMonth,
  type Chart,
  type MonthCategoryCount,
} from '../../../src/platform/documents/charts.js';
import { VIEWS_DIR } from '../../../src/web/views.js';

const hostile = 'Flytt <script>alert("x")</script> & "bär"';
const months = monthRange('2025-07', '2026-06');
const categories = ['Snöskottning', 'Gräsklippning', 'Webbplats', 'Barnpassning', hostile];

function perMonth(): MonthCategoryCount[] {
  return months.flatMap(
    (month, m) => categories.map((category, c) => ({ month, category, count: (m + c) % 4 })), // zeros included
  );
}

function stacked(data = perMonth()) {
  return stackedBarsByMonth({
    title: 'Uppdrag per månad',
    description: 'Antal publicerade uppdrag per månad och kategori.',
    data,
    monthHeader: 'Månad',
    countHeader: 'Antal uppdrag',
    totalHeader: 'Totalt',
    otherLabel: 'Övrigt',
  });
}

/** The SVG parsed as a browser would, to count and inspect its elements. */
function svgOf(chart: Chart) {
  const { document } = parseHTML(`<!doctype html><html><body>${chart.svg}</body></html>`);
  const svg = document.querySelector('svg');
  if (!svg) throw new Error('no svg');
  return svg;
}

function expectCspSafeAndLabelled(chart: Chart) {
  expect(chart.svg).to.match(/^<svg /);
  expect(chart.svg).not.to.match(/<style/i);
  expect(chart.svg).not.to.match(/\sstyle=/i);
  expect(chart.svg).not.to.match(/<script/i);
  expect(chart.svg).not.to.match(/[↑→←↓]/); // labelArrow: false
  const svg = svgOf(chart);
  expect(svg.getAttribute('role')).to.equal('img');
  expect(svg.getAttribute('aria-label')).to.equal(chart.title);
  expect(svg.getAttribute('aria-description')).to.equal(chart.description);
  expect(svg.getAttribute('class')).to.equal('chart');
  // Inside role="img" only the chart is named; a label on a group without a role is not allowed.
  expect(svg.querySelectorAll('[aria-label]')).to.have.length(0);
}

describe('platform/documents/charts', () => {
  describe('stackedBarsByMonth', () => {
    it('when drawn, then the SVG holds no <style> or style attribute and carries its role and labels', () => {
      expectCspSafeAndLabelled(stacked());
    });

    it('when drawn, then there is one rect per non-zero month and category, and few elements in all', () => {
      const data = perMonth();
      const svg = svgOf(stacked(data));
      expect(svg.querySelectorAll('rect')).to.have.length(data.filter((row) => row.count > 0).length);
      expect(svg.querySelectorAll('*').length).to.be.below(250); // 12 months × 5 categories
      expect(svg.querySelectorAll('[aria-hidden="true"] line').length).to.be.greaterThan(0); // the grid
    });

    it('when a category holds markup, then it is escaped text in the SVG, the legend and the table', () => {
      const chart = stacked();
      expect(chart.svg).to.include('Flytt &lt;script&gt;alert(');
      const titles = Array.from(svgOf(chart).querySelectorAll('title')).map((title) => title.textContent);
      expect(titles).to.include(`${hostile}, oktober 2025: 3`);
      expect(chart.legend.map((item) => item.label)).to.include(hostile);
      expect(chart.table.head).to.include(hostile);
    });

    it('when a title has quotes, then the attribute stays whole', () => {
      const chart = stackedBarsByMonth({ ...baseStacked(), title: 'Uppdrag "per" <månad>' });
      expect(chart.svg).not.to.include('"per"');
      expect(svgOf(chart).getAttribute('aria-label')).to.equal('Uppdrag "per" <månad>');
    });

    it('when months are missing in the data, then they appear with zero in the table', () => {
      const chart = stacked([
        { month: '2025-11', category: 'Snöskottning', count: 4 },
        { month: '2026-02', category: 'Snöskottning', count: 1 },
      ]);
      expect(chart.table.rows.map((row) => row[0])).to.deep.equal([
        'november 2025',
        'december 2025',
        'januari 2026',
        'februari 2026',
      ]);
      expect(chart.table.rows.map((row) => row[1])).to.deep.equal(['4', '0', '0', '1']);
      expect(svgOf(chart).querySelectorAll('rect')).to.have.length(2);
    });

    it('then the table has a month column, one column per category (largest first) and a total', () => {
      const chart = stacked([
        { month: '2026-01', category: 'Gräsklippning', count: 1 },
        { month: '2026-01', category: 'Snöskottning', count: 1200 },
        { month: '2026-02', category: 'Snöskottning', count: 300 },
      ]);
      expect(chart.table.head).to.deep.equal(['Månad', 'Snöskottning', 'Gräsklippning', 'Totalt']);
      expect(chart.table.numeric).to.deep.equal([false, true, true, true]);
      expect(chart.table.rows).to.deep.equal([
        ['januari 2026', '1\u00a0200', '1', '1\u00a0201'],
        ['februari 2026', '300', '0', '300'],
      ]);
      expect(chart.legend).to.deep.equal([
        { label: 'Snöskottning', color: chartPalette[0] },
        { label: 'Gräsklippning', color: chartPalette[1] },
      ]);
    });

    it('when there are more categories than colours, then the smallest are summed as one', () => {
      const many = Array.from({ length: 11 }, (_, index) => ({
        month: '2026-03',
        category: `Kategori ${index + 1}`,
        count: 20 - index,
      }));
      const chart = stacked(many);
      expect(chart.legend).to.have.length(chartPalette.length);
      expect(chart.legend.at(-1)!.label).to.equal('Övrigt');
      expect(chart.table.rows[0]!.at(-2)).to.equal(String(13 + 12 + 11 + 10)); // categories 8–11
      expect(chart.table.rows[0]!.at(-1)).to.equal(String(many.reduce((sum, row) => sum + row.count, 0)));
    });

    it('when a month is not YYYY-MM, then it is refused', () => {
      expect(() => stacked([{ month: '2026-13', category: 'x', count: 1 }])).to.throw(TypeError, /YYYY-MM/);
    });
  });

  describe('horizontalBars', () => {
    const villages = () =>
      horizontalBars({
        title: 'Uppdrag per by',
        description: 'Antal uppdrag per by.',
        labelHeader: 'By',
        countHeader: 'Antal',
        data: [
          { label: 'Rusksele', count: 12 },
          { label: 'Áidejávri vid Čeavččageađge och Ŋuolla i norr', count: 40 },
          { label: hostile, count: 3 },
          { label: 'Rusksele', count: 2 },
        ],
      });

    it('when drawn, then it is CSP-safe and labelled, with one rect per label, largest first', () => {
      const chart = villages();
      expectCspSafeAndLabelled(chart);
      expect(svgOf(chart).querySelectorAll('rect')).to.have.length(3);
      expect(chart.table.rows).to.deep.equal([
        ['Áidejávri vid Čeavččageađge och Ŋuolla i norr', '40'],
        ['Rusksele', '14'],
        [hostile, '3'],
      ]);
    });

    it('when a label is long, then the axis shortens it and the bar title and table keep it whole', () => {
      const chart = villages();
      const texts = Array.from(svgOf(chart).querySelectorAll('text')).map((text) => text.textContent);
      expect(texts).to.include('Áidejávri vid Čeavččageađge…');
      const titles = Array.from(svgOf(chart).querySelectorAll('title')).map((title) => title.textContent);
      expect(titles).to.include('Áidejávri vid Čeavččageađge och Ŋuolla i norr: 40');
      expect(chart.svg).to.include('&lt;script&gt;');
    });
  });

  describe('lineByMonth', () => {
    it('when drawn, then it is CSP-safe and labelled, with one line and one dot per month', () => {
      const chart = lineByMonth({
        title: 'Nya konton',
        description: 'Nya konton per månad.',
        monthHeader: 'Månad',
        valueHeader: 'Konton',
        data: [
          { month: '2025-12', value: 4 },
          { month: '2026-02', value: 2.5 },
        ],
      });
      expectCspSafeAndLabelled(chart);
      const svg = svgOf(chart);
      expect(svg.querySelectorAll(`g[stroke="${chartPalette[0]}"][fill="none"] path`)).to.have.length(1);
      expect(svg.querySelectorAll('circle')).to.have.length(3);
      expect(chart.table.rows).to.deep.equal([
        ['december 2025', '4'],
        ['januari 2026', '0'],
        ['februari 2026', '2,5'],
      ]);
    });
  });

  it('integerTicks gives whole steps of 1, 2 or 5 × 10ⁿ from 0 past the maximum', () => {
    expect(integerTicks(3)).to.deep.equal([0, 1, 2, 3]);
    expect(integerTicks(0)).to.deep.equal([0, 1]);
    expect(integerTicks(7)).to.deep.equal([0, 2, 4, 6, 8]);
    expect(integerTicks(1234, 4)).to.deep.equal([0, 500, 1000, 1500]);
  });

  it('monthRange runs across the turn of the year', () => {
    expect(monthRange('2025-11', '2026-02')).to.deep.equal(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthRange('2026-02', '2026-01')).to.deep.equal([]);
  });

  it('every palette colour has at least 3:1 contrast against white (WCAG 1.4.11)', () => {
    const luminance = (hex: string) => {
      const [r, g, b] = [1, 3, 5].map((index) => {
        const channel = parseInt(hex.slice(index, index + 2), 16) / 255;
        return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
      }) as [number, number, number];
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    for (const color of chartPalette) expect(1.05 / (luminance(color) + 0.05), color).to.be.at.least(3);
  });

  describe('views/partials/chart.ejs', () => {
    const t = (key: string) => `«${key}»`;
    const render = (locals: Record<string, unknown>) =>
      ejs.renderFile(path.join(VIEWS_DIR, 'partials', 'chart.ejs'), { t, ...locals }) as Promise<string>;

    it('when a chart is included, then it shows title, SVG, legend and the table, escaped, and links the stylesheet once', async () => {
      const page: { stylesheets?: string[] } = {};
      const chart = stacked();
      const html = (await render({ chart, page })) + (await render({ chart, page, headingLevel: 3 }));
      const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
      expect(page.stylesheets).to.deep.equal(['/css/charts.css']);
      expect(fs.existsSync(path.join(VIEWS_DIR, '..', 'public', 'css', 'charts.css'))).to.equal(true);
      expect(Array.from(document.querySelectorAll('h2, h3')).map((heading) => `${heading.tagName} ${heading.id}`)).to.deep.equal([
        'H2 chart-1-title',
        'H3 chart-2-title',
      ]);
      expect(document.querySelectorAll('svg.chart[role="img"]')).to.have.length(2);
      expect(document.querySelectorAll('script')).to.have.length(0);
      const legend = Array.from(document.querySelectorAll('.chart-legend li')).slice(0, categories.length);
      expect(legend.map((item) => item.textContent)).to.include(hostile);
      expect(legend[0]!.querySelector('rect')!.getAttribute('fill')).to.equal(chart.legend[0]!.color);
      expect(document.querySelector('details summary')!.textContent).to.equal('«charts.showTable»');
      const table = document.querySelector('details table')!;
      expect(table.querySelectorAll('thead th[scope="col"]')).to.have.length(chart.table.head.length);
      expect(table.querySelectorAll('tbody th[scope="row"]')).to.have.length(chart.table.rows.length);
      expect(table.querySelector('tbody td.numeric')).not.to.equal(null);
      expect(html).not.to.include('style=');
    });

    it('when the chart has one series, then no legend is shown', async () => {
      const chart = lineByMonth({
        title: 'T',
        description: 'D',
        monthHeader: 'M',
        valueHeader: 'V',
        data: [{ month: '2026-01', value: 1 }],
      });
      const html = await render({ chart, page: {} });
      expect(html).not.to.include('chart-legend');
    });
  });
});

function baseStacked() {
  return {
    title: 'T',
    description: 'D',
    data: perMonth(),
    monthHeader: 'Månad',
    countHeader: 'Antal',
    totalHeader: 'Totalt',
    otherLabel: 'Övrigt',
  };
}
