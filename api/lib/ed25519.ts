import type { JWK } from 'jose';

/**
 * Ed25519 signatures through whatever the runtime does fastest. The core signs and verifies
 * through this interface; each entry point injects an implementation: Node's own `node:crypto`
 * (synchronous, no WebCrypto job per signature; see api/node/ed25519.ts), WebCrypto elsewhere
 * (Workers). Keys come and go as JWKs (OKP, crv Ed25519), as they are stored and published.
 */
export interface Ed25519 {
  readonly name: string;
  importPrivateKey(jwk: JWK): Promise<Ed25519PrivateKey>;
  importPublicKey(jwk: JWK): Promise<Ed25519PublicKey>;
}

export interface Ed25519PrivateKey {
  sign(data: Uint8Array): Promise<Uint8Array>;
}

export interface Ed25519PublicKey {
  verify(data: Uint8Array, signature: Uint8Array): Promise<boolean>;
}

function okp(jwk: JWK, part: 'private' | 'public'): JsonWebKey {
  if (
    jwk.kty !== 'OKP' ||
    jwk.crv !== 'Ed25519' ||
    typeof jwk.x !== 'string' ||
    (part === 'private' && typeof jwk.d !== 'string')
  ) {
    throw new Error(`Not an Ed25519 ${part} JWK.`);
  }
  return part === 'private'
    ? { kty: 'OKP', crv: 'Ed25519', x: jwk.x, d: jwk.d }
    : { kty: 'OKP', crv: 'Ed25519', x: jwk.x };
}

/** WebCrypto's Ed25519 (Workers, browsers, Deno, Node ≥ 20 too). */
export const webCryptoEd25519: Ed25519 = {
  name: 'webcrypto',
  async importPrivateKey(jwk) {
    const key = await crypto.subtle.importKey('jwk', okp(jwk, 'private'), { name: 'Ed25519' }, false, ['sign']);
    return {
      sign: async (data) => new Uint8Array(await crypto.subtle.sign('Ed25519', key, data as Uint8Array<ArrayBuffer>)),
    };
  },
  async importPublicKey(jwk) {
    const key = await crypto.subtle.importKey('jwk', okp(jwk, 'public'), { name: 'Ed25519' }, false, ['verify']);
    return {
      verify: (data, signature) =>
        crypto.subtle.verify('Ed25519', key, signature as Uint8Array<ArrayBuffer>, data as Uint8Array<ArrayBuffer>),
    };
  },
};

/** Only the parts of a JWK an Ed25519 key has, for implementations that import JWKs themselves. */
export function ed25519Jwk(jwk: JWK, part: 'private' | 'public'): JsonWebKey {
  return okp(jwk, part);
}
