import { BlockList, isIP } from 'node:net';
import { ConfigError } from '@breakwater/core';
import { unknownAddress } from '../auth/request-limits';

/** What an entry of `trustedProxies` must be, in words (also the configuration file's wording). */
const expected = 'an IP address or a CIDR subnet, e.g. "10.0.0.0/8", "::1" or "fd00::/8"';

/**
 * The reverse proxies whose `X-Forwarded-For` is believed, and the client
 * address of a request through them: the rate limits of the HTTP API and
 * the WebSocket upgrade count per this address.
 *
 * Starting from the socket's peer, while the address reached is a trusted
 * proxy, the rightmost `X-Forwarded-For` entry not yet taken is what that
 * proxy saw; the first address that is not trusted is the client (the
 * leftmost entry when every one is). Entries left of it were written by
 * the client itself and are never read, so they cannot be spoofed; a peer
 * that is not trusted has its header ignored. With no trusted proxies (the
 * default) the client address is the peer.
 */
export class TrustedProxies {
  readonly #list: BlockList | undefined;

  /**
   * `trustedProxies`: IPv4 or IPv6 addresses and CIDR subnets (`10.0.0.0/8`,
   * `::1`, `fd00::/8`); IPv4 entries match IPv4-mapped IPv6 peers
   * (`::ffff:10.1.2.3`) too. A bad entry throws a `ConfigError` naming it
   * (`trustedProxies[1]`). Default: none.
   */
  constructor(trustedProxies: readonly string[] = []) {
    if (!Array.isArray(trustedProxies))
      throw new ConfigError('trustedProxies', trustedProxies, `a list, each entry ${expected}`);
    if (trustedProxies.length === 0) return;
    const list = new BlockList();
    trustedProxies.forEach((entry: unknown, index) => {
      const parsed = parseEntry(entry);
      if (parsed === undefined) throw new ConfigError(`trustedProxies[${index}]`, entry, expected);
      const { address, family, prefix } = parsed;
      if (prefix === undefined) list.addAddress(address, family);
      else list.addSubnet(address, prefix, family);
    });
    this.#list = list;
  }

  /**
   * The client address of a request whose socket peer is `peer` (undefined
   * when not known: then `unknownAddress`) with these `X-Forwarded-For`
   * headers (several headers and comma-separated entries alike). A malformed
   * entry (not a bare IP address: a port, `unknown`, an obfuscated name)
   * ends the walk at the proxy that sent it.
   */
  clientAddress(
    peer: string | undefined,
    forwardedFor: string | readonly string[] | undefined,
  ): string {
    if (peer === undefined) return unknownAddress;
    if (this.#list === undefined || forwardedFor === undefined || !this.#trusts(peer)) return peer;
    const entries = (typeof forwardedFor === 'string' ? [forwardedFor] : forwardedFor)
      .flatMap((header) => header.split(','))
      .map((entry) => entry.trim())
      .filter((entry) => entry !== ''); // an empty list element is ignored (RFC 9110, 5.6.1)
    let address = peer;
    for (let i = entries.length - 1; i >= 0 && this.#trusts(address); i--) {
      const entry = entries[i] as string;
      if (isIP(entry) === 0) break;
      address = entry;
    }
    return address;
  }

  #trusts(address: string): boolean {
    const family = isIP(address);
    return family !== 0 && this.#list?.check(address, family === 4 ? 'ipv4' : 'ipv6') === true;
  }
}

/** `10.0.0.0/8` → address, family and prefix; undefined when it is neither an address nor a subnet. */
function parseEntry(
  entry: unknown,
): { address: string; family: 'ipv4' | 'ipv6'; prefix?: number } | undefined {
  if (typeof entry !== 'string') return undefined;
  const slash = entry.indexOf('/');
  const address = slash === -1 ? entry : entry.slice(0, slash);
  const version = isIP(address);
  if (version === 0) return undefined;
  const family = version === 4 ? 'ipv4' : 'ipv6';
  if (slash === -1) return { address, family };
  const bits = entry.slice(slash + 1);
  const prefix = Number(bits);
  const max = version === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(bits) || prefix > max) return undefined;
  return { address, family, prefix };
}
