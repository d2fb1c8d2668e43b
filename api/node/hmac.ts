import { createHmac, createSecretKey } from 'node:crypto';

import type { HmacSha256 } from '../lib/hmac';

/** HMAC-SHA256 through `node:crypto`: a key object made once, one synchronous digest per message. */
export const nodeHmac: HmacSha256 = async (raw) => {
  const key = createSecretKey(raw);
  return { sign: async (message) => createHmac('sha256', key).update(message).digest() };
};
