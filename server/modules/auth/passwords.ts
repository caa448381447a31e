import { hash, verify } from '@node-rs/argon2';
import { createRequire } from 'node:module';
import { invalidField } from '../../http/errors';

/**
 * argon2id at OWASP ASVS 11.4.2 / OWASP cheat-sheet parameters: m = 46 MiB, t = 1, p = 1.
 * For passwords only; API keys are random 256-bit secrets, checked by SHA-256 in microseconds.
 */
const ARGON2_OPTIONS = { algorithm: 2 /* Algorithm.Argon2id (a const enum) */, memoryCost: 47104, timeCost: 1, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 256;

// The common-password dictionary of zxcvbn-ts (lists of leaked passwords). Loaded lazily: login never needs it.
let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  if (!common) {
    const require = createRequire(import.meta.url);
    const { dictionary } = require('@zxcvbn-ts/language-common') as { dictionary: Record<string, string[]> };
    common = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  }
  return common;
}

export function isCommonPassword(password: string): boolean {
  const p = password.toLowerCase();
  // A common password padded by repetition ("passwordpassword") or with a trailing counter stays common.
  return commonPasswords().has(p) || commonPasswords().has(p.replace(/\d+$/, '')) || /^(.)\1+$/.test(p) || isRepetition(p);
}

function isRepetition(p: string): boolean {
  for (let n = 1; n <= p.length / 2; n++) {
    if (p.length % n === 0 && p.slice(0, n).repeat(p.length / n) === p && commonPasswords().has(p.slice(0, n))) return true;
  }
  return false;
}

const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', '$': 's', '!': 'i' };

/**
 * The usual way people meet a length rule: a common word dressed with a capital, digits and symbols around it
 * (`Password123!`, `Summer2026!!`, `P@ssw0rd2026`). The word inside, with look-alike digits read as letters, is
 * looked up in the same leaked-password list; a random string has no such core.
 */
export function isDressedCommonWord(password: string): boolean {
  const core = password.toLowerCase().replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  if (core.length < 3) return false;
  const plain = [...core].map((c) => LEET[c] ?? c).join('');
  return commonPasswords().has(core) || commonPasswords().has(plain) || isRepetition(plain);
}

/** The user's own email (or its local part, or a name) inside the password is the first thing an attacker tries. */
function containsUserInput(password: string, userInputs: readonly (string | null | undefined)[]): boolean {
  const p = password.toLowerCase();
  const pieces = userInputs.flatMap((v) => {
    const s = v?.trim().toLowerCase();
    if (!s) return [];
    return s.includes('@') ? [s, s.slice(0, s.indexOf('@'))] : [s];
  });
  return pieces.some((piece) => piece.length >= 4 && p.includes(piece));
}

/**
 * NIST 800-63B / ASVS: length and a blocklist, no composition rules. The blocklist is the leaked-password list, the
 * same words dressed with digits and symbols, and the user's own email or names (`userInputs`). Throws
 * VALIDATION_FAILED naming the field.
 */
export function checkNewPassword(password: string, field = 'password', userInputs: readonly (string | null | undefined)[] = []): void {
  if ([...password].length < MIN_PASSWORD_LENGTH) throw invalidField(field, 'passwordTooShort');
  if (password.length > MAX_PASSWORD_LENGTH) throw invalidField(field, 'tooLong', { maximum: MAX_PASSWORD_LENGTH });
  if (isCommonPassword(password) || isDressedCommonWord(password)) throw invalidField(field, 'passwordCommon');
  if (containsUserInput(password, userInputs)) throw invalidField(field, 'passwordPersonal');
}

export function hashPassword(password: string): Promise<string> {
  return hash(password.normalize('NFKC'), ARGON2_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password.normalize('NFKC'));
  } catch {
    return false;
  }
}

// Verified against when the email is unknown, so that a wrong email costs the same time as a wrong password.
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('dummy password that never matches anything');
  return dummyHash;
}
