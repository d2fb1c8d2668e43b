import { createCipheriv, createDecipheriv, createSecretKey } from 'node:crypto';

import type { AesGcm } from '../lib/crypto-box';

const TAG_BYTES = 16;

/** AES-256-GCM through `node:crypto`: a key object made once, one synchronous cipher per message. */
export const nodeAesGcm: AesGcm = async (raw) => {
  const key = createSecretKey(raw);
  return {
    async encrypt(iv, plaintext) {
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      return new Uint8Array(Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]));
    },
    async decrypt(iv, sealed) {
      if (sealed.length < TAG_BYTES) throw new Error('The sealed data is shorter than its tag.');
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
      return new Uint8Array(
        Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]),
      );
    },
  };
};
