/**
 * Generation and checking of client secrets, passwords and one-time codes.
 *
 * DPoD keeps no copy of a client secret (documented by Thales, S2 in docs/dpod-api-notes.md), so the store
 * keeps a salted SHA-256 digest and compares in constant time. SHA-256 rather than a slow KDF: this is a test
 * double, and a slow hash would make the token endpoint the bottleneck of end-to-end runs.
 */
import { createHash, randomBytes, randomInt, timingSafeEqual } from "node:crypto";

export interface SecretDigest {
  salt: string;
  sha256: string;
}

export function digestSecret(secret: string): SecretDigest {
  const salt = randomBytes(16).toString("hex");
  return { salt, sha256: sha256Hex(salt, secret) };
}

export function matchesDigest(secret: string, digest: SecretDigest): boolean {
  const expected = Buffer.from(digest.sha256, "hex");
  const actual = Buffer.from(sha256Hex(digest.salt, secret), "hex");
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function sha256Hex(salt: string, secret: string): string {
  return createHash("sha256").update(salt).update("\0").update(secret).digest("hex");
}

/** A client secret: 32 random bytes, base64url (43 characters). */
export function generateClientSecret(): string {
  return randomBytes(32).toString("base64url");
}

/** A temporary password that satisfies the password limits: mixed case, digits and a symbol, 16 characters. */
export function generateTemporaryPassword(): string {
  return `Tmp-${randomBytes(9).toString("base64url")}9a`;
}

/** A six-digit one-time code, as sent in DPoD's mails. */
export function generateOneTimeCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, "0");
}

/** Constant-time string comparison for codes and keys of any length. */
export function safeEqual(left: string, right: string): boolean {
  const a = createHash("sha256").update(left).digest();
  const b = createHash("sha256").update(right).digest();
  return timingSafeEqual(a, b) && left.length === right.length;
}
