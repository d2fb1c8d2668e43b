import { base64UrlDecode, base64UrlEncode } from './encoding';

/** AES-256-GCM with a key derived from the configured secret; for small secrets at rest. */
export class SecretBox {
  private key: Promise<CryptoKey>;

  constructor(secret: string) {
    this.key = crypto.subtle
      .digest('SHA-256', new TextEncoder().encode(`puente-secret-box:${secret}`))
      .then((raw) => crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']));
  }

  async seal(plaintext: string): Promise<string> {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const sealed = await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv },
      await this.key,
      new TextEncoder().encode(plaintext),
    );
    return `v1.${base64UrlEncode(iv)}.${base64UrlEncode(new Uint8Array(sealed))}`;
  }

  async open(box: string): Promise<string> {
    const [version, iv, data] = box.split('.');
    if (version !== 'v1' || !iv || !data) throw new Error('Unknown sealed format');
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: base64UrlDecode(iv) as Uint8Array<ArrayBuffer> },
      await this.key,
      base64UrlDecode(data) as Uint8Array<ArrayBuffer>,
    );
    return new TextDecoder().decode(plain);
  }
}

const boxes = new Map<string, SecretBox>();

/** One box per secret, so the key is derived once per process. */
export function secretBox(secret: string): SecretBox {
  let box = boxes.get(secret);
  if (!box) {
    box = new SecretBox(secret);
    boxes.set(secret, box);
  }
  return box;
}
