/**
 * @module net/endpoint
 * `host:port` endpoints. IPv4 and DNS names print as `host:port`; an IPv6 literal prints and
 * parses in RFC 3986 bracket form (`[::1]:4000`) so the string is never ambiguous.
 */
import { isIP } from 'node:net';
import { BuError } from '../base';

export type Endpoint = { host: string; port: number };

const HOSTNAME_RE = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

export function isValidPort(port: unknown): port is number {
  return typeof port === 'number' && Number.isInteger(port) && port >= 1 && port <= 65535;
}

export function isValidHost(host: unknown): host is string {
  return typeof host === 'string' && (isIP(host) !== 0 || HOSTNAME_RE.test(host));
}

/** "host:port" ("[v6]:port" for IPv6 literals). */
export function endpointKey(e: Endpoint): string {
  return e.host.includes(':') ? `[${e.host}]:${e.port}` : `${e.host}:${e.port}`;
}

export function sameEndpoint(a: Endpoint, b: Endpoint): boolean {
  return a.port === b.port && a.host === b.host;
}

/** Parse "host:port" / "[v6]:port"; BuError('BAD_INPUT') on anything else (port must be 1–65535). */
export function parseEndpoint(s: string): Endpoint {
  if (typeof s !== 'string') throw new BuError('BAD_INPUT', 'endpoint must be a string');
  const m = /^\[([0-9A-Fa-f:.]+)\]:(\d{1,5})$/.exec(s) ?? /^([^:[\]\s]+):(\d{1,5})$/.exec(s);
  if (!m) throw new BuError('BAD_INPUT', `not a host:port endpoint: ${JSON.stringify(s.slice(0, 80))}`);
  const host = m[1]!;
  const port = Number(m[2]);
  const bracketed = s.startsWith('[');
  if (bracketed ? isIP(host) !== 6 : !isValidHost(host)) throw new BuError('BAD_INPUT', `invalid host in endpoint: ${JSON.stringify(host)}`);
  if (!isValidPort(port)) throw new BuError('BAD_INPUT', `invalid port in endpoint: ${m[2]}`);
  return { host, port };
}
