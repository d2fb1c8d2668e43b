export type AcceptedType = 'application/pdf' | 'image/png' | 'image/jpeg';

const SIGNATURES: Array<[AcceptedType, number[]]> = [
  ['application/pdf', [0x25, 0x50, 0x44, 0x46, 0x2d]], // %PDF-
  ['image/png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ['image/jpeg', [0xff, 0xd8, 0xff]],
];

/** What the bytes really are, from their magic numbers; never trust the declared type alone. */
export function sniffType(bytes: Uint8Array): AcceptedType | undefined {
  return SIGNATURES.find(([, sig]) => sig.every((b, i) => bytes[i] === b))?.[0];
}

/** The longest file name stored, in characters (code points, so that none is cut in half). */
const MAX_FILENAME_CHARACTERS = 150;

/**
 * A file name safe to store and to send back in Content-Disposition: no paths, no control
 * characters, and no bidirectional controls (U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), which
 * can make `dni\u202Efdp.exe` read as `dniexe.pdf`.
 */
export function safeFilename(name: string, type: AcceptedType): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = Array.from(
    base
      .normalize('NFC')
      .replace(/[\u0000-\u001f\u007f-\u009f"<>:|?*\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
      .replace(/^\.+/, '')
      .trim(),
  )
    .slice(0, MAX_FILENAME_CHARACTERS)
    .join('');
  const extension = type === 'application/pdf' ? '.pdf' : type === 'image/png' ? '.png' : '.jpg';
  return cleaned.length > 0 ? cleaned : `documento${extension}`;
}

/** RFC 6266 / 5987 header value for any file name, ASCII fallback plus UTF-8. */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/**
 * The headers a document's exact bytes are sent with: its type, length and file name, no sniffing,
 * and its SHA-256 digest (RFC 3230) as listed.
 */
export function documentHeaders(
  document: { content_type: string; filename: string; sha256: string },
  length: number,
): Record<string, string> {
  const digest = (document.sha256.match(/../g) ?? []).map((h) => parseInt(h, 16));
  return {
    'content-type': document.content_type,
    'content-length': String(length),
    'content-disposition': contentDisposition(document.filename),
    'x-content-type-options': 'nosniff',
    digest: `sha-256=${btoa(String.fromCharCode(...digest))}`,
  };
}
