import { randomBytes } from "node:crypto";

/**
 * A personal link's code: 16 characters of base62 drawn from the system's cryptographic random
 * source (about 95 bits), so codes can't be guessed or walked to find other people's links. Bytes
 * of 248 and above are dropped so that every character is equally likely (248 = 4 × 62).
 */
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
export const SHARE_CODE_LENGTH = 16;
/** What the forum's redirect accepts as a code (anything else is a 404 without a query). */
export const SHARE_CODE_PATTERN = /^[0-9A-Za-z]{12,64}$/;

export function newShareCode(length = SHARE_CODE_LENGTH): string {
  let code = "";
  while (code.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte >= 248) continue;
      code += ALPHABET[byte % 62];
      if (code.length === length) break;
    }
  }
  return code;
}
