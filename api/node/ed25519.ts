import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';

import { type Ed25519, ed25519Jwk } from '../lib/ed25519';

/**
 * Ed25519 through `node:crypto`: synchronous one-shot `sign`/`verify` with key objects made once,
 * instead of a WebCrypto job (a promise and a thread-pool task) per signature.
 */
export const nodeEd25519: Ed25519 = {
  name: 'node:crypto',
  async importPrivateKey(jwk) {
    const key = createPrivateKey({ key: ed25519Jwk(jwk, 'private') as never, format: 'jwk' });
    return { sign: async (data) => new Uint8Array(sign(null, data, key)) };
  },
  async importPublicKey(jwk) {
    const key = createPublicKey({ key: ed25519Jwk(jwk, 'public') as never, format: 'jwk' });
    return { verify: async (data, signature) => verify(null, data, key, signature) };
  },
};
