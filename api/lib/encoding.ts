export function base64UrlEncode(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function base64UrlDecode(text: string): Uint8Array {
  const padded = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  const binary = atob(padded);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

interface SyncHash {
  createHash(algorithm: 'sha256'): { update(data: string | Uint8Array): { digest(encoding: 'hex'): string } };
}
// Node's own hash is synchronous and far cheaper than a WebCrypto job for a few dozen bytes, and
// it hashes every API key on every request; runtimes without it fall back to WebCrypto.
const syncHash = ((): SyncHash | undefined => {
  try {
    const hash = (globalThis as { process?: { getBuiltinModule?(id: string): unknown } }).process?.getBuiltinModule?.(
      'node:crypto',
    ) as SyncHash | undefined;
    return typeof hash?.createHash === 'function' ? hash : undefined;
  } catch {
    return undefined;
  }
})();

export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  if (syncHash) return syncHash.createHash('sha256').update(data).digest('hex');
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
