/** What bench/soak.ts and its load process (bench/soak/load.ts) say to each other. */

export interface LoadSettings {
  /** The monitor's base URL, http://127.0.0.1:port. */
  readonly url: string;
  readonly viewerToken: string;
  readonly adminToken: string;
  readonly services: readonly string[];
  /** Subscribed WebSocket clients kept connected. */
  readonly wsClients: number;
  /** About how long each client stays before it reconnects, ms. */
  readonly wsLifetimeMs: number;
  /** Pause between two HTTP reads, ms. */
  readonly readEveryMs: number;
  /** Pause between two admin actions, ms. */
  readonly adminEveryMs: number;
}

export interface LoadTotals {
  wsConnects: number;
  wsMessages: number;
  wsErrors: number;
  httpOk: number;
  httpFailed: number;
  adminActions: number;
  firstError: string | null;
}

export type ToLoad = { readonly type: 'totals' } | { readonly type: 'stop' };

export type FromLoad =
  | { readonly type: 'ready' }
  | { readonly type: 'totals'; readonly totals: LoadTotals };
