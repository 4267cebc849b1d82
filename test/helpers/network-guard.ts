/**
 * Preloaded into a bot process a test starts (NODE_OPTIONS, see production-bot.ts), so that the process reaches nothing
 * but loopback whatever it tries: a production bot would otherwise sign in at login.microsoftonline.com and call
 * graph.microsoft.com with the test's made-up credentials wherever the machine has a network. Every host name other
 * than localhost fails at once as not found (what a machine without a network answers too), and each refusal is
 * written to stderr as one JSON line, so that a test can tell which outside calls the process attempted.
 *
 * Host names are all the bot uses (Bot Framework, Entra, Graph); IP literals skip name resolution and are not covered.
 */
import dns from 'node:dns';
import { GUARD_MESSAGE } from './production-bot';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1']);

type Callback = (error: NodeJS.ErrnoException | null, address?: unknown, family?: number) => void;

function refusal(hostname: string): NodeJS.ErrnoException {
  process.stderr.write(`${JSON.stringify({ level: 'warn', message: GUARD_MESSAGE, host: hostname })}\n`);
  return Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', errno: -3008, syscall: 'getaddrinfo', hostname });
}

const lookup = dns.lookup.bind(dns) as (hostname: string, ...rest: unknown[]) => void;
const guarded = (hostname: string, ...rest: unknown[]): void => {
  if (LOOPBACK.has(hostname.toLowerCase())) return lookup(hostname, ...rest);
  const callback = rest[rest.length - 1] as Callback;
  const error = refusal(hostname);
  process.nextTick(() => callback(error));
};
(dns as unknown as { lookup: typeof guarded }).lookup = guarded;

const promised = dns.promises.lookup.bind(dns.promises) as (hostname: string, ...rest: unknown[]) => Promise<unknown>;
(dns.promises as unknown as { lookup: typeof promised }).lookup = (hostname: string, ...rest: unknown[]) =>
  LOOPBACK.has(hostname.toLowerCase()) ? promised(hostname, ...rest) : Promise.reject(refusal(hostname));
