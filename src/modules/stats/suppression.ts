import { MIN_BASIS, type Cell, type CellTable, type Comparison, type RawFigure } from './types.js';

// The one place that decides which statistics figure a person may see (issue 13 item 3, PRODUCT.md "Statistics
// for municipality officers"). Pure: the queries hand in raw figures, every view, export and API renders the
// cells that come out.
//
// Primary suppression: a figure resting on 1–4 persons or assignments is hidden ('small'); 0 is shown as 0.
// Amounts (gross salary, hours) carry the number of workers as their basis, so they are hidden like counts.
// Secondary suppression: where a figure is shown beside its total, one hidden part could be worked out by
// subtracting the shown parts from the total. Every line (a list with its total; a table's rows and columns,
// its row of column totals and its column of row totals, each with its total) must therefore hold no hidden
// cell or at least two; the next smallest shown part of a line with a lone hidden cell is hidden too, until no
// such line is left. In a table, lines each holding two hidden cells can still pin one down together (two
// closed groups of hidden cells joined by a single cell: adding the rows of one group leaves that cell alone),
// so a table is then also closed so that every hidden cell lies on a cycle of hidden cells through its rows and
// columns, which is exactly when the shown cells and totals leave its value open.

/** Which shown cells are hidden first: parts before totals, and 0 last (a hidden 0 protects little). */
const HIDE_FIRST = { part: 0, total: 1, zero: 2 } as const;

export function cellOf(figure: RawFigure): Cell {
  assertFigure(figure);
  return restsOnFewPersons(figure) ? { value: null, status: 'small' } : { value: figure.value, status: 'shown' };
}

/**
 * An additive list (villages, categories) and, when given, its shown total. Without a total nothing can be
 * subtracted out, so only primary suppression applies and no total is returned.
 */
export function suppressList(figures: RawFigure[], total?: RawFigure): { cells: Cell[]; total?: Cell } {
  if (total === undefined) return { cells: figures.map(cellOf) };
  const entries = [...figures, total].map(entryOf);
  const parts = figures.map((_, index) => index);
  hideLoneCells(entries, [{ parts, total: figures.length }]);
  const cells = entries.map(cellOfEntry);
  return { cells: cells.slice(0, figures.length), total: cells[figures.length]! };
}

/**
 * An additive table with its row, column and grand totals. Totals not given are the sums of the parts (values
 * and bases). Give them when a person can count in several cells (workers paid in two categories): their basis
 * is then the distinct count, which may be smaller than the sum of the parts' bases.
 */
export function suppressTable<R, C>(
  rows: R[],
  columns: C[],
  figures: RawFigure[][],
  totals?: { rows: RawFigure[]; columns: RawFigure[]; total: RawFigure },
): CellTable<R, C> {
  if (figures.length !== rows.length || figures.some((row) => row.length !== columns.length)) {
    throw new RangeError(`suppressTable: figures must be ${rows.length} rows of ${columns.length} columns`);
  }
  if (totals && (totals.rows.length !== rows.length || totals.columns.length !== columns.length)) {
    throw new RangeError('suppressTable: the totals must match the rows and columns');
  }
  const rowTotals = totals?.rows ?? figures.map(sumOf);
  const columnTotals = totals?.columns ?? columns.map((_, column) => sumOf(figures.map((row) => row[column]!)));
  const grandTotal = totals?.total ?? sumOf(rowTotals);

  // A grid one row and one column larger than the table: the last column holds the row totals, the last row the
  // column totals, the corner the grand total. Every row and column of the grid is a line whose last cell is
  // the total of the others.
  const grid = [...figures.map((row, index) => [...row, rowTotals[index]!]), [...columnTotals, grandTotal]];
  const width = columns.length + 1;
  const height = rows.length + 1;
  const entries = grid.flat().map(entryOf);
  const at = (row: number, column: number) => row * width + column;
  const lines: Line[] = [
    ...range(height).map((row) => ({ parts: range(width - 1).map((column) => at(row, column)), total: at(row, width - 1) })),
    ...range(width).map((column) => ({ parts: range(height - 1).map((row) => at(row, column)), total: at(height - 1, column) })),
  ];

  hideLoneCells(entries, lines);
  for (let bridge = findBridge(entries, width, height); bridge; bridge = findBridge(entries, width, height)) {
    const cheapest = cheapestAcross(entries, bridge, width, height);
    // A bridge between two groups each holding a row and a column always has a shown cell across; none would
    // mean the line pass above left a lone hidden cell.
    if (cheapest === undefined) throw new Error('suppressTable: no cell left to close a group of hidden cells');
    entries[cheapest]!.hidden = 'secondary';
    hideLoneCells(entries, lines);
  }

  const cells = entries.map(cellOfEntry);
  return {
    rows,
    columns,
    cells: range(rows.length).map((row) => cells.slice(at(row, 0), at(row, columns.length))),
    rowTotals: range(rows.length).map((row) => cells[at(row, columns.length)]!),
    columnTotals: range(columns.length).map((column) => cells[at(rows.length, column)]!),
    total: cells[at(rows.length, columns.length)]!,
  };
}

/**
 * A figure this period against the previous one. The change is hidden when either side is hidden (it would
 * give the hidden side away) and when the previous figure is 0: a change from nothing has no per cent. The
 * types have no status for "no value", so that case is 'secondary' too: shown as a hidden change, which it
 * is in effect (there is no comparable figure).
 */
export function compare(current: RawFigure, previous: RawFigure): Comparison {
  const currentCell = cellOf(current);
  const previousCell = cellOf(previous);
  if (currentCell.value === null || previousCell.value === null || previousCell.value === 0) {
    return { current: currentCell, previous: previousCell, changePercent: { value: null, status: 'secondary' } };
  }
  // The difference is scaled before dividing so that exact halves (12.5 %) stay exact in floating point.
  const change = ((currentCell.value - previousCell.value) * 100) / previousCell.value;
  return {
    current: currentCell,
    previous: previousCell,
    changePercent: { value: roundHalfAwayFromZero(change), status: 'shown' },
  };
}

/**
 * numerator / denominator as whole per cent, halves rounded up; hidden when the ratio rests on 1–4 persons or
 * assignments (`basis`). A denominator of 0 gives no ratio: like a change from 0 in compare(), it is returned
 * as 'secondary' (the types have no "no value" status), unless the basis already makes it 'small'.
 */
export function ratioCell(numerator: number, denominator: number, basis: number): Cell {
  assertFigure({ value: numerator, basis });
  if (!Number.isFinite(denominator)) throw new RangeError(`ratioCell: denominator ${denominator} is not a number`);
  if (basis > 0 && basis < MIN_BASIS) return { value: null, status: 'small' };
  if (denominator === 0) return { value: null, status: 'secondary' };
  const percent = (numerator * 100) / denominator;
  return { value: Math.floor(percent + 0.5), status: 'shown' };
}

interface Entry {
  figure: RawFigure;
  hidden: 'small' | 'secondary' | null;
}

interface Line {
  parts: number[];
  total: number;
}

function entryOf(figure: RawFigure): Entry {
  assertFigure(figure);
  return { figure, hidden: restsOnFewPersons(figure) ? 'small' : null };
}

function cellOfEntry(entry: Entry): Cell {
  return entry.hidden ? { value: null, status: entry.hidden } : { value: entry.figure.value, status: 'shown' };
}

/** Until stable: every line with exactly one hidden cell gets a second one, the cheapest shown part. */
function hideLoneCells(entries: Entry[], lines: Line[]): void {
  for (let changed = true; changed;) {
    changed = false;
    for (const line of lines) {
      const members = [...line.parts, line.total];
      if (members.filter((index) => entries[index]!.hidden).length !== 1) continue;
      // The total only when no non-zero part is left: a total resting on more than its parts together.
      const cheapest = pickCheapest(
        members
          .filter((index) => !entries[index]!.hidden)
          .map((index) => {
            const figure = entries[index]!.figure;
            const rank = isZero(figure) ? HIDE_FIRST.zero : index === line.total ? HIDE_FIRST.total : HIDE_FIRST.part;
            return { index, figure, rank };
          }),
      );
      if (cheapest === undefined) continue; // a total without parts: nothing to subtract it from
      entries[cheapest]!.hidden = 'secondary';
      changed = true;
    }
  }
}

/** The shown cell whose hiding loses least: by rank, then fewest persons behind it, then the smallest value. */
function pickCheapest(candidates: Array<{ index: number; figure: RawFigure; rank: number }>): number | undefined {
  const sorted = [...candidates].sort(
    (a, b) => a.rank - b.rank || a.figure.basis - b.figure.basis || a.figure.value - b.figure.value || a.index - b.index,
  );
  return sorted[0]?.index;
}

/**
 * A hidden cell whose row and column are connected by no other path of hidden cells (a bridge of the graph
 * whose nodes are the grid's rows and columns and whose edges are its hidden cells). The shown figures fix
 * such a cell: adding up the lines on one side of it leaves it the only unknown. Returns the rows and columns
 * on each side: one more hidden cell with its row on one side and its column on the other makes a cycle
 * through it.
 */
function findBridge(entries: Entry[], width: number, height: number): { near: Side; far: Side } | undefined {
  const hidden = entries.flatMap((entry, index) => (entry.hidden ? [index] : []));
  // Nodes: rows as 0…height−1, columns as height…height+width−1.
  const neighbours = new Map<number, Array<{ node: number; edge: number }>>();
  const link = (from: number, to: number, edge: number) => {
    const list = neighbours.get(from) ?? [];
    list.push({ node: to, edge });
    neighbours.set(from, list);
  };
  for (const index of hidden) {
    const row = Math.floor(index / width);
    const column = height + (index % width);
    link(row, column, index);
    link(column, row, index);
  }
  const reachable = (start: number, without: number) => {
    const seen = new Set([start]);
    const toVisit = [start];
    for (let node = toVisit.pop(); node !== undefined; node = toVisit.pop()) {
      for (const next of neighbours.get(node) ?? []) {
        if (next.edge === without || seen.has(next.node)) continue;
        seen.add(next.node);
        toVisit.push(next.node);
      }
    }
    return seen;
  };
  for (const index of hidden) {
    const row = Math.floor(index / width);
    const column = height + (index % width);
    const rowSide = reachable(row, index);
    if (rowSide.has(column)) continue;
    return { near: sideOf(rowSide, height), far: sideOf(reachable(column, index), height) };
  }
  return undefined;
}

/** The cheapest shown cell whose row lies on one side of a bridge and whose column on the other. */
function cheapestAcross(entries: Entry[], bridge: { near: Side; far: Side }, width: number, height: number): number | undefined {
  const { near, far } = bridge;
  return pickCheapest(
    entries.flatMap((entry, index) => {
      const row = Math.floor(index / width);
      const column = index % width;
      const across = (near.rows.has(row) && far.columns.has(column)) || (far.rows.has(row) && near.columns.has(column));
      if (entry.hidden || !across) return [];
      const isMargin = column === width - 1 || row === height - 1;
      const rank = isZero(entry.figure) ? HIDE_FIRST.zero : isMargin ? HIDE_FIRST.total : HIDE_FIRST.part;
      return [{ index, figure: entry.figure, rank }];
    }),
  );
}

interface Side {
  rows: Set<number>;
  columns: Set<number>;
}

function sideOf(nodes: Set<number>, height: number): Side {
  return {
    rows: new Set([...nodes].filter((node) => node < height)),
    columns: new Set([...nodes].filter((node) => node >= height).map((node) => node - height)),
  };
}

function restsOnFewPersons(figure: RawFigure): boolean {
  return figure.basis > 0 && figure.basis < MIN_BASIS;
}

function isZero(figure: RawFigure): boolean {
  return figure.basis === 0 && figure.value === 0;
}

function sumOf(figures: RawFigure[]): RawFigure {
  return figures.reduce((sum, figure) => ({ value: sum.value + figure.value, basis: sum.basis + figure.basis }), {
    value: 0,
    basis: 0,
  });
}

function roundHalfAwayFromZero(value: number): number {
  return Math.sign(value) * Math.round(Math.abs(value)) || 0;
}

function range(length: number): number[] {
  return Array.from({ length }, (_, index) => index);
}

function assertFigure(figure: RawFigure): void {
  if (!Number.isFinite(figure.value)) throw new RangeError(`statistics figure ${figure.value} is not a number`);
  if (!Number.isSafeInteger(figure.basis) || figure.basis < 0) {
    throw new RangeError(`statistics basis ${figure.basis} is not a count of persons or assignments`);
  }
}
