/**
 * How many connections are open, in all and per token, and whether one more
 * may open: a client that opens connections in a loop must not grow the
 * server without bound, while a dashboard's few tabs per token still fit.
 */
export class ConnectionCaps {
  readonly #perToken = new Map<string, number>();
  #total = 0;
  readonly #max: number;
  readonly #maxPerToken: number;

  constructor(max: number, maxPerToken: number) {
    this.#max = max;
    this.#maxPerToken = maxPerToken;
  }

  /** Why one more connection with `token` is refused, or undefined when it may open. */
  refusal(token: string): string | undefined {
    if (this.#total >= this.#max)
      return `Too many connections: the monitor holds ${this.#max} (server.ws.maxConnections); try again later`;
    if ((this.#perToken.get(token) ?? 0) >= this.#maxPerToken)
      return `Too many connections for this token: ${this.#maxPerToken} are open (server.ws.maxConnectionsPerToken); close one first`;
    return undefined;
  }

  open(token: string): void {
    this.#total += 1;
    this.#perToken.set(token, (this.#perToken.get(token) ?? 0) + 1);
  }

  closed(token: string): void {
    this.#total -= 1;
    const left = (this.#perToken.get(token) ?? 1) - 1;
    if (left > 0) this.#perToken.set(token, left);
    else this.#perToken.delete(token);
  }
}
