/** ANSI control sequences (ECMA-48). */
const ansi = {
  home: '\u001b[H',
  clearScreen: '\u001b[2J',
  clearToLineEnd: '\u001b[K',
  clearToScreenEnd: '\u001b[J',
  hideCursor: '\u001b[?25l',
  showCursor: '\u001b[?25h',
} as const;

/**
 * Where `watch` draws its view. On a terminal it redraws in place without
 * flicker: the cursor goes home, each line overwrites the last view's and
 * clears what is left of it, and the rest of the old view is cleared below;
 * the screen is cleared once, before the first view. Elsewhere (a pipe, a
 * file) each view is written after the last one, with a blank line between.
 */
export class WatchScreen {
  readonly #write: (text: string) => void;
  readonly #inPlace: boolean;
  #drawn = false;

  constructor(write: (text: string) => void, inPlace: boolean) {
    this.#write = write;
    this.#inPlace = inPlace;
  }

  draw(lines: readonly string[]): void {
    if (!this.#inPlace) {
      this.#write(`${this.#drawn ? '\n' : ''}${lines.join('\n')}\n`);
      this.#drawn = true;
      return;
    }
    const start = this.#drawn ? ansi.home : `${ansi.hideCursor}${ansi.clearScreen}${ansi.home}`;
    const body = lines.map((line) => `${line}${ansi.clearToLineEnd}`).join('\n');
    this.#write(`${start}${body}\n${ansi.clearToScreenEnd}`);
    this.#drawn = true;
  }

  /** Gives the terminal back: the cursor shows again, below the last view. */
  close(): void {
    if (this.#inPlace && this.#drawn) this.#write(ansi.showCursor);
  }
}
