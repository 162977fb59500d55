/**
 * Puts labels on the first row where they do not overlap the previous
 * label; when every row is taken, on the row that frees up first.
 */
export class RowPacker {
  readonly #ends: number[];

  constructor(rows: number) {
    this.#ends = Array.from({ length: rows }, () => -Infinity);
  }

  place(x: number, width: number): number {
    let row = this.#ends.findIndex((end) => end <= x);
    if (row < 0) row = this.#ends.indexOf(Math.min(...this.#ends));
    this.#ends[row] = x + width;
    return row;
  }
}
