import { SignJWT } from 'jose';
import { ADMIN_ROLE } from './token-verifier';

export interface LocalTokenOptions {
  secret: string;
  userId: string;
  admin?: boolean;
  /** Lifetime in seconds (default 12 hours). */
  ttlSeconds?: number;
  issuer?: string;
  audience?: string;
}

/** An HS256 token for local use (the demo, tests): `sub` is the user, `roles` has `admin` if asked. */
export function mintLocalToken(options: LocalTokenOptions): Promise<string> {
  let jwt = new SignJWT({ roles: options.admin ? [ADMIN_ROLE] : [] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(options.userId)
    .setIssuedAt()
    .setExpirationTime(`${options.ttlSeconds ?? 12 * 3600}s`);
  if (options.issuer) jwt = jwt.setIssuer(options.issuer);
  if (options.audience) jwt = jwt.setAudience(options.audience);
  return jwt.sign(new TextEncoder().encode(options.secret));
}
