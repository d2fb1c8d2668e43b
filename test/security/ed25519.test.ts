import { createLocalJWKSet, jwtVerify, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SecretBox } from '../../api/lib/crypto-box';
import { type Ed25519, webCryptoEd25519 } from '../../api/lib/ed25519';
import { base64UrlEncode } from '../../api/lib/encoding';
import { SigningKeyStore } from '../../api/modules/consent/keys';
import { mintConsentToken, verifyConsentToken } from '../../api/modules/consent/tokens';
import { nodeEd25519 } from '../../api/node/ed25519';
import { createTestApp, type TestApp } from '../support/app';

const hex = (h: string) => Uint8Array.from((h.match(/../g) ?? []).map((b) => parseInt(b, 16)));
const toHex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');

// RFC 8032 §7.1, TEST 1 and TEST 2 (published vectors, not computed here).
const VECTORS = [
  {
    d: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    x: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    message: '',
    signature:
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    d: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    x: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    message: '72',
    signature:
      '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
];
const IMPLEMENTATIONS: Ed25519[] = [nodeEd25519, webCryptoEd25519];

describe.each(IMPLEMENTATIONS.map((impl) => [impl.name, impl] as const))('Ed25519 through %s', (_name, impl) => {
  it('signs the RFC 8032 vectors byte for byte and verifies them; refuses a changed message or signature', async () => {
    for (const v of VECTORS) {
      const jwk = { kty: 'OKP', crv: 'Ed25519', d: base64UrlEncode(hex(v.d)), x: base64UrlEncode(hex(v.x)) };
      const signer = await impl.importPrivateKey(jwk);
      const verifier = await impl.importPublicKey({ kty: 'OKP', crv: 'Ed25519', x: jwk.x });
      expect(toHex(await signer.sign(hex(v.message)))).toBe(v.signature);
      expect(await verifier.verify(hex(v.message), hex(v.signature))).toBe(true);
      expect(await verifier.verify(hex(v.message + '00'), hex(v.signature))).toBe(false);
      const bent = hex(v.signature);
      bent[10]! ^= 1;
      expect(await verifier.verify(hex(v.message), bent)).toBe(false);
    }
  });

  it('refuses keys that are not Ed25519', async () => {
    await expect(impl.importPublicKey({ kty: 'EC', crv: 'P-256', x: 'AAAA', y: 'AAAA' })).rejects.toThrow(/Ed25519/);
    await expect(
      impl.importPrivateKey({ kty: 'OKP', crv: 'Ed25519', x: base64UrlEncode(hex(VECTORS[0]!.x)) }),
    ).rejects.toThrow(/Ed25519/);
  });
});

describe('consent tokens signed and verified through either implementation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const mint = (keys: SigningKeyStore) =>
    mintConsentToken(keys, t.sql, t.config, {
      citizenId: 'cit_ed25519',
      organizationId: 'org_ed25519',
      memberId: 'mem_ed25519',
      delegationId: 'dlg_ed25519',
      livemode: false,
      detail: { type: 'puente_delegation', procedure_types: ['JUB'], capacities: ['consult'] },
      lifetimeSeconds: 600,
      now: t.clock.now(),
    });

  it('produces the same token whichever implementation signs (Ed25519 is deterministic), and each accepts the other', async () => {
    const viaNode = new SigningKeyStore(new SecretBox(t.config.secretKey), nodeEd25519);
    const viaWebCrypto = new SigningKeyStore(new SecretBox(t.config.secretKey), webCryptoEd25519);
    const minted = await mint(viaNode);
    const key = await viaWebCrypto.signingKey(t.sql, 'consent', t.clock.now());
    const input = minted.token.split('.').slice(0, 2).join('.');
    expect(base64UrlEncode(await key.signer.sign(new TextEncoder().encode(input)))).toBe(minted.token.split('.')[2]);
    expect(await verifyConsentToken(viaWebCrypto, t.sql, t.config, minted.token, t.clock.now())).toMatchObject({
      dlg: 'dlg_ed25519',
      sub: 'cit_ed25519',
    });
    const other = await mint(viaWebCrypto);
    expect(
      await verifyConsentToken(
        new SigningKeyStore(new SecretBox(t.config.secretKey), nodeEd25519),
        t.sql,
        t.config,
        other.token,
        t.clock.now(),
      ),
    ).toMatchObject({ jti: other.claims.jti });
  });

  it('mints tokens that jose verifies against the published JWKS, and accepts tokens jose signed', async () => {
    const keys = new SigningKeyStore(new SecretBox(t.config.secretKey), nodeEd25519);
    const { token } = await mint(keys);
    const jwks = createLocalJWKSet(await keys.jwks(t.sql, 'consent', t.clock.now()));
    const { payload, protectedHeader } = await jwtVerify(token, jwks, {
      algorithms: ['EdDSA'],
      typ: 'puente-consent+jwt',
      issuer: t.config.consent.issuer,
      audience: t.config.consent.audience,
      currentDate: t.clock.now(),
    });
    expect(protectedHeader.kid).toMatch(/^ck_/);
    expect(payload.dlg).toBe('dlg_ed25519');

    const signing = await keys.signingKey(t.sql, 'consent', t.clock.now());
    const iat = Math.floor(t.clock.now().getTime() / 1000);
    const byJose = await new SignJWT({ ...payload, jti: 'ctk_jose', iat, exp: iat + 60 })
      .setProtectedHeader({ alg: 'EdDSA', kid: signing.kid, typ: 'puente-consent+jwt' })
      .sign(signing.privateKey);
    expect(
      await verifyConsentToken(
        new SigningKeyStore(new SecretBox(t.config.secretKey), nodeEd25519),
        t.sql,
        t.config,
        byJose,
        t.clock.now(),
      ),
    ).toMatchObject({ jti: 'ctk_jose' });
  });

  it('refuses a header with critical extensions and a truncated signature', async () => {
    const keys = new SigningKeyStore(new SecretBox(t.config.secretKey), nodeEd25519);
    const { token } = await mint(keys);
    const [h, p, s] = token.split('.');
    const crit = base64UrlEncode(
      new TextEncoder().encode(
        JSON.stringify({ ...JSON.parse(atob(h!.replace(/-/g, '+').replace(/_/g, '/'))), crit: ['exp'] }),
      ),
    );
    await expect(verifyConsentToken(keys, t.sql, t.config, `${crit}.${p}.${s}`, t.clock.now())).rejects.toMatchObject({
      code: 'consent_invalid',
    });
    await expect(
      verifyConsentToken(
        new SigningKeyStore(new SecretBox(t.config.secretKey), nodeEd25519),
        t.sql,
        t.config,
        `${h}.${p}.${s!.slice(0, 40)}`,
        t.clock.now(),
      ),
    ).rejects.toMatchObject({ code: 'consent_signature_invalid' });
  });
});
