/** The monitor's WebSocket stream on the page's own host: `wss:` behind TLS, `ws:` otherwise. */
export function streamUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/api/v2/ws/circuit-breaker`;
}
