import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const keyOf = (encryptKey: string): Buffer => createHash('sha256').update(encryptKey, 'utf8').digest();

/**
 * AES-256-CBC, key = sha256(encryptKey), random 16-byte IV prepended, base64
 * (https://open.feishu.cn/document/server-docs/event-subscription-guide/event-subscription-configure-/encrypt-key-encryption-configuration-case).
 * Objects are JSON.stringify'd; strings are encrypted as they are.
 */
export function encryptForFeishu(obj: unknown, encryptKey: string): string {
  const plain = typeof obj === 'string' ? obj : JSON.stringify(obj);
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', keyOf(encryptKey), iv);
  return Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final()]).toString('base64');
}

/** The inverse of encryptForFeishu, as the SDK's AESCipher does it: the first 16 bytes are the IV. */
export function decryptFromFeishu(encrypted: string, encryptKey: string): string {
  const buf = Buffer.from(encrypted, 'base64');
  const decipher = createDecipheriv('aes-256-cbc', keyOf(encryptKey), buf.subarray(0, 16));
  return Buffer.concat([decipher.update(buf.subarray(16)), decipher.final()]).toString('utf8');
}

/** hex(sha256(timestamp + nonce + encryptKey + body)), the X-Lark-Signature header (same page as above). */
export function feishuSignature(timestamp: string, nonce: string, encryptKey: string, body: string): string {
  return createHash('sha256').update(timestamp + nonce + encryptKey + body, 'utf8').digest('hex');
}
