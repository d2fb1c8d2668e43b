import { exportJWK, generateKeyPair, importJWK, type JWK, type JWTPayload } from 'jose';

import type { Sql } from '../../db/sql';
import { transaction } from '../../db/sql';
import type { KeyPurpose, SigningKey, SigningKeys } from '../../deps';
import { BoundedMap } from '../../lib/bounded-map';
import type { SecretBox } from '../../lib/crypto-box';
import { type Ed25519, type Ed25519PublicKey, webCryptoEd25519 } from '../../lib/ed25519';
import { randomToken } from '../../lib/ids';
import {
  findCurrentKey,
  findKey,
  insertCurrentKey,
  listPublishedKeys,
  retireCurrentKey,
  type SigningKeyRow,
} from './keys.queries';

export const SIGNING_ALG = 'EdDSA';
const CURRENT_KEY_CACHE_MS = 60_000;
const VERIFIED_TOKENS_KEPT = 10_000;

export type { SigningKey } from '../../deps';

/**
 * What a key id looks like: Puente makes `ck_20260302_aBcDeFgH` (see `createKey`). A token's `kid`
 * is the sender's input; one outside this alphabet or length names no key and is not looked up.
 */
const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function isKeyId(kid: string): boolean {
  return KEY_ID.test(kid);
}

/**
 * Ed25519 signing keys kept in the database (private halves encrypted), shared by every
 * instance. The current key is cached for a minute; after a rotation an instance may sign with
 * the previous key that long, which verifiers still accept because both are published.
 */
export class SigningKeyStore implements SigningKeys {
  private readonly current = new Map<KeyPurpose, { key: SigningKey; loadedAt: number }>();
  private readonly publicKeys = new Map<string, CryptoKey>();
  private readonly verifiers = new Map<string, Ed25519PublicKey>();
  /** Tokens whose signature and fixed claims verified, by their exact text; the least recently used go first. */
  private readonly verified = new BoundedMap<string, JWTPayload>(VERIFIED_TOKENS_KEPT);

  /** `ed25519`: the runtime's fastest Ed25519 (node:crypto on Node, injected by the entry point); WebCrypto otherwise. */
  constructor(
    /** Seals the private halves in the database. */
    private readonly box: SecretBox,
    private readonly ed25519: Ed25519 = webCryptoEd25519,
  ) {}

  async signingKey(sql: Sql, purpose: KeyPurpose, now: Date): Promise<SigningKey> {
    const cached = this.current.get(purpose);
    if (cached && Date.now() - cached.loadedAt < CURRENT_KEY_CACHE_MS) return cached.key;
    const row = (await findCurrentKey(sql, purpose)) ?? (await this.createKey(sql, purpose, now));
    const jwk = JSON.parse(await this.box.open(row.private_jwk_encrypted)) as JWK;
    const key = {
      kid: row.kid,
      privateKey: (await importJWK(jwk, SIGNING_ALG)) as CryptoKey,
      signer: await this.ed25519.importPrivateKey(jwk),
    };
    this.current.set(purpose, { key, loadedAt: Date.now() });
    return key;
  }

  /** Public key for a `kid`; keys never change, so they are cached for good. Unknown or malformed kid → undefined. */
  verificationKey(sql: Sql, purpose: KeyPurpose, kid: string): Promise<CryptoKey | undefined> {
    return this.publicKey(
      sql,
      purpose,
      kid,
      this.publicKeys,
      async (jwk) => (await importJWK(jwk, SIGNING_ALG)) as CryptoKey,
    );
  }

  /** The same public key through the runtime's own Ed25519; unknown kid or another purpose → undefined. */
  verifier(sql: Sql, purpose: KeyPurpose, kid: string): Promise<Ed25519PublicKey | undefined> {
    return this.publicKey(sql, purpose, kid, this.verifiers, (jwk) => this.ed25519.importPublicKey(jwk));
  }

  /** A `kid`'s public key, imported once with `importKey` and kept in `cache` for good. */
  private async publicKey<K>(
    sql: Sql,
    purpose: KeyPurpose,
    kid: string,
    cache: Map<string, K>,
    importKey: (jwk: JWK) => Promise<K>,
  ): Promise<K | undefined> {
    const cached = cache.get(kid);
    if (cached) return cached;
    if (!isKeyId(kid)) return undefined;
    const row = await findKey(sql, kid);
    if (!row || row.purpose !== purpose) return undefined;
    const key = await importKey(row.public_jwk as JWK);
    cache.set(kid, key);
    return key;
  }

  recallVerified(token: string): JWTPayload | undefined {
    return this.verified.get(token);
  }

  rememberVerified(token: string, payload: JWTPayload): void {
    this.verified.set(token, payload);
  }

  async jwks(sql: Sql, purpose: KeyPurpose, now: Date): Promise<{ keys: JWK[] }> {
    let rows = await listPublishedKeys(sql, purpose);
    if (rows.length === 0) {
      await this.signingKey(sql, purpose, now);
      rows = await listPublishedKeys(sql, purpose);
    }
    return { keys: rows.map((r) => ({ ...(r.public_jwk as JWK), kid: r.kid, alg: SIGNING_ALG, use: 'sig' })) };
  }

  async rotate(sql: Sql, purpose: KeyPurpose, now: Date): Promise<string> {
    const key = await transaction(sql, async (tx) => {
      await retireCurrentKey(tx, purpose, now);
      return this.createKey(tx, purpose, now);
    });
    this.current.delete(purpose);
    return key.kid;
  }

  /** A new current key; when another instance's insert won the race, that one. */
  private async createKey(sql: Sql, purpose: KeyPurpose, now: Date): Promise<SigningKeyRow> {
    const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, { crv: 'Ed25519', extractable: true });
    const kid = `${purpose === 'consent' ? 'ck' : 'idp'}_${now.toISOString().slice(0, 10).replace(/-/g, '')}_${randomToken(8)}`;
    const publicJwk = await exportJWK(publicKey);
    const privateJwk = await exportJWK(privateKey);
    const inserted = await insertCurrentKey(sql, {
      kid,
      purpose,
      public_jwk: { kty: publicJwk.kty, crv: publicJwk.crv, x: publicJwk.x },
      private_jwk_encrypted: await this.box.seal(JSON.stringify(privateJwk)),
      created_at: now,
    });
    return inserted ?? (await findCurrentKey(sql, purpose))!;
  }
}
