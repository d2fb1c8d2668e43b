import type { Config } from './config';
import type { Deps } from './deps';
import { KeyUses } from './http/auth';
import { jsonLogger } from './http/logger';
import { HitBuffer } from './http/rate-limit';
import { systemClock } from './lib/clock';
import { type AesGcm, SecretBox, webCryptoAesGcm } from './lib/crypto-box';
import { type Ed25519, webCryptoEd25519 } from './lib/ed25519';
import { sha256Hex } from './lib/encoding';
import { webCryptoHmac } from './lib/hmac';
import { noMetrics } from './lib/metrics';
import { CalendarStore } from './modules/calendar/store';
import { SigningKeyStore } from './modules/consent/keys';
import { postgresStorage } from './modules/documents/storage';

/** What only the runtime can say: where the database is, how to resolve names, who is calling. */
export type RuntimeParts = Pick<Deps, 'db' | 'docsAssets' | 'resolveHost' | 'clientAddress' | 'requestIsBodyless'> &
  Partial<
    Pick<
      Deps,
      'clock' | 'logger' | 'sha256' | 'hmacSha256' | 'documents' | 'metrics' | 'accessLog' | 'mailer' | 'readBody'
    >
  > & {
    /** The runtime's fastest Ed25519; WebCrypto by default. */
    ed25519?: Ed25519;
    /** The runtime's fastest AES-GCM; WebCrypto by default. */
    aesGcm?: AesGcm;
  };

/**
 * The one place that assembles `Deps`: the Node server, the delivery worker, the Worker and the
 * OpenAPI generator all start here and pass only what their runtime does differently.
 */
export function baseDeps(config: Config, runtime: RuntimeParts): Deps {
  const { ed25519, aesGcm, ...parts } = runtime;
  const secretBox = new SecretBox(config.secretKey, aesGcm ?? webCryptoAesGcm);
  return {
    config,
    clock: systemClock,
    logger: jsonLogger(config.logLevel),
    sha256: sha256Hex,
    hmacSha256: webCryptoHmac,
    documents: postgresStorage,
    metrics: noMetrics,
    secretBox,
    signingKeys: new SigningKeyStore(secretBox, ed25519 ?? webCryptoEd25519),
    hits: new HitBuffer(),
    keyUses: new KeyUses(),
    calendar: new CalendarStore(),
    ...parts,
  };
}
