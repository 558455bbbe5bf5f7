import { randomBytes } from 'node:crypto';

/** `bytes` random bytes as lowercase hex: the fakes' tokens, message ids and request ids. */
export const hexId = (bytes = 16): string => randomBytes(bytes).toString('hex');
