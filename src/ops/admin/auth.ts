// Who may see /admin: a script with "Authorization: Bearer <ADMIN_TOKEN>", or a browser holding the session
// cookie the login form set. The cookie is "<expiry ms>.<HMAC-SHA256 of it keyed by ADMIN_TOKEN>": nothing is
// kept server-side, so every bot process behind the same token accepts it, and changing the token ends every
// session. Every comparison is constant-time over equal-length digests.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const SESSION_COOKIE = 'tutor_admin';
/** How long a login lasts. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** Whether `given` is the token: both hashed first, so the compare takes the same time whatever their lengths. */
export function tokensMatch(given: string, token: string): boolean {
  return timingSafeEqual(digest(given), digest(token));
}

export interface AdminAuth {
  /** Whether the request carries the token (Bearer) or a valid, unexpired session cookie. */
  allows(req: IncomingMessage): boolean;
  /** Set-Cookie value of a new session; `secure` (behind a TLS proxy) adds the Secure attribute. */
  sessionCookie(secure?: boolean): string;
  /** Set-Cookie value that ends the session. */
  clearCookie(): string;
  tokensMatch(given: string): boolean;
}

export function createAdminAuth(token: string, now: () => number = Date.now): AdminAuth {
  const key = createHmac('sha256', token).update('tutor admin session').digest();
  const sign = (expires: string) => createHmac('sha256', key).update(expires).digest();

  const validSession = (value: string): boolean => {
    const dot = value.indexOf('.');
    if (dot <= 0) return false;
    const expires = value.slice(0, dot);
    if (!/^[0-9]{1,16}$/.test(expires)) return false;
    const mac = Buffer.from(value.slice(dot + 1), 'base64url');
    const expected = sign(expires);
    // Lengths differ only for a malformed cookie (not secret): refuse before the equal-length compare.
    if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) return false;
    return Number(expires) > now();
  };

  return {
    allows(req) {
      const header = req.headers.authorization;
      if (header?.startsWith('Bearer ')) return tokensMatch(header.slice('Bearer '.length).trim(), token);
      const cookie = cookieValue(req.headers.cookie, SESSION_COOKIE);
      return cookie !== undefined && validSession(cookie);
    },
    sessionCookie(secure = false) {
      const expires = String(now() + SESSION_TTL_MS);
      const value = `${expires}.${sign(expires).toString('base64url')}`;
      return `${SESSION_COOKIE}=${value}; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=${SESSION_TTL_MS / 1000}${secure ? '; Secure' : ''}`;
    },
    clearCookie() {
      return `${SESSION_COOKIE}=; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=0`;
    },
    tokensMatch: (given) => tokensMatch(given, token),
  };
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
