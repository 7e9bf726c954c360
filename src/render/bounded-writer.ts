/**
 * Collects Markdown in atomic pieces under a length limit (GitHub refuses comments over 65,536 characters). Once a
 * piece doesn't fit, it and everything after it is left out — the order stays readable — while every `<details>` that
 * was opened is still closed and a note says how much was cut. Room for the closers and the note is kept in reserve.
 */
export class BoundedWriter {
  private readonly parts: string[] = [];
  private length = 0;
  private readonly closers: string[] = [];
  private closersLength = 0;
  private omitted = 0;

  constructor(
    private readonly maxLength: number,
    private readonly note: (omitted: number) => string,
    /** The longest the note can be. */
    private readonly noteReserve: number,
  ) {}

  get truncated(): boolean {
    return this.omitted > 0;
  }

  private fits(piece: string, extraCloser = 0): boolean {
    return this.length + piece.length + 1 + this.closersLength + extraCloser + this.noteReserve + 2 <= this.maxLength;
  }

  private push(piece: string): void {
    this.parts.push(piece);
    this.length += piece.length + 1;
  }

  /** Adds a self-contained piece (balanced HTML, closed fences); false when it was left out. */
  add(piece: string): boolean {
    if (this.truncated || !this.fits(piece)) {
      this.omitted++;
      return false;
    }
    this.push(piece);
    return true;
  }

  /** Opens a container (e.g. `<details>`) whose `closer` is guaranteed to be written. */
  open(piece: string, closer: string): boolean {
    if (this.truncated || !this.fits(piece, closer.length + 1)) {
      this.omitted++;
      return false;
    }
    this.push(piece);
    this.closers.push(closer);
    this.closersLength += closer.length + 1;
    return true;
  }

  close(): void {
    const closer = this.closers.pop();
    if (closer === undefined) return;
    this.closersLength -= closer.length + 1;
    this.push(closer);
  }

  toString(): string {
    while (this.closers.length > 0) this.close();
    const text = this.parts.join('\n');
    const out = this.truncated ? `${text}\n\n${this.note(this.omitted)}\n` : `${text}\n`;
    // Only a limit smaller than the first pieces can get here; never exceed it.
    return out.length <= this.maxLength ? out : out.slice(0, this.maxLength);
  }
}
