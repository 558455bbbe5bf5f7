import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { ProblemError } from './problem';

export const REALM = 'luoshi-admin';

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * `Authorization: Bearer <ADMIN_TOKEN>` (RFC 6750, https://www.rfc-editor.org/rfc/rfc6750#section-3).
 * Both a missing and a wrong token get 401 with a `WWW-Authenticate` challenge; a wrong one adds
 * `error="invalid_token"`. Tokens are compared as SHA-256 digests with `timingSafeEqual`, so neither the
 * content nor the length of the secret leaks through timing.
 */
export function bearerAuth(token: string): RequestHandler {
  const expected = digest(token);
  return (req, _res, next) => {
    const match = /^Bearer[ \t]+(.+)$/i.exec(req.get('authorization') ?? '');
    const given = match?.[1]?.trim();
    if (!given) {
      throw new ProblemError('unauthorized', '缺少管理令牌：请在请求头中写 Authorization: Bearer <ADMIN_TOKEN>。', {
        headers: { 'WWW-Authenticate': `Bearer realm="${REALM}"` },
      });
    }
    if (!timingSafeEqual(digest(given), expected)) {
      throw new ProblemError('unauthorized', '管理令牌不正确。', {
        headers: { 'WWW-Authenticate': `Bearer realm="${REALM}", error="invalid_token", error_description="the token is not valid"` },
      });
    }
    next();
  };
}
