/** The demo's terminal: a summary block redrawn in place, and the ways a person or a script stops the run. */

/** Redraws a block of lines in place on a terminal; elsewhere the caller prints lines instead. */
export class LiveDisplay {
  private drawn = 0;

  constructor(private readonly out: NodeJS.WriteStream = process.stdout) {}

  /** Whether the block can be redrawn in place (a real terminal). */
  get inPlace(): boolean {
    return this.out.isTTY === true && process.env.TERM !== 'dumb';
  }

  /** Replaces the block drawn last. Lines are cut to the terminal's width so the block's height is known. */
  draw(lines: readonly string[]): void {
    const width = Math.max((this.out.columns || 120) - 1, 20);
    const fitted = lines.map((line) => (line.length > width ? `${line.slice(0, width - 1)}…` : line));
    this.out.write(`${this.erase()}${fitted.join('\n')}\n`);
    this.drawn = fitted.length;
  }

  /** Replaces the block with lines printed as they are (not cut), and leaves them. */
  finish(lines: readonly string[]): void {
    this.out.write(`${this.erase()}${lines.map((line) => `${line}\n`).join('')}`);
    this.drawn = 0;
  }

  /** Prints a line above the block, which comes back with the next draw. */
  say(line: string): void {
    this.out.write(`${this.erase()}${line}\n`);
    this.drawn = 0;
  }

  private erase(): string {
    return this.drawn ? `\x1b[${this.drawn}F\x1b[J` : '';
  }
}

/**
 * Calls `onStop` for every stop request: SIGINT, SIGTERM, SIGHUP, and on a terminal Ctrl-C or q. On a terminal, stdin is
 * put in raw mode so Ctrl-C arrives here as a key rather than as SIGINT to the whole process group: the
 * services are children in that group and would otherwise stop at once, before the demo has collected the
 * outcomes of the decisions in flight. The services are then stopped by the demo, in order.
 * Returns the function that restores the terminal.
 */
export function onStopRequests(onStop: (source: string) => void): () => void {
  const onSignal = (signal: NodeJS.Signals) => onStop(signal);
  // SIGHUP: the terminal went away; the services must not be left behind.
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, onSignal);
  const stdin = process.stdin;
  const keys = stdin.isTTY === true;
  const onKey = (data: Buffer) => {
    for (const byte of data) {
      if (byte === 0x03) onStop('Ctrl-C');
      else if (byte === 0x71 || byte === 0x51) onStop('q');
    }
  };
  if (keys) {
    stdin.setRawMode(true);
    stdin.on('data', onKey);
    stdin.resume();
  }
  return () => {
    for (const signal of signals) process.off(signal, onSignal);
    if (keys) {
      stdin.off('data', onKey);
      stdin.setRawMode(false);
      stdin.pause();
    }
  };
}
