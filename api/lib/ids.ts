const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

export const ID_PREFIXES = [
  'org', 'key', 'mem', 'dlr', 'dlg', 'cit', 'prc', 'doc', 'req', 'evt', 'whe', 'whd', 'agk', 'sgk', 'tl', 'acl', 'rid', 'ctk',
] as const;
export type IdPrefix = (typeof ID_PREFIXES)[number];

/** Base62 random string; 22 chars ≈ 131 bits, so ids are unguessable and never sequential. */
export function randomToken(length = 22): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = '';
  // 62 * 4 = 248 < 256: rejecting bytes >= 248 keeps the distribution uniform.
  for (let i = 0; i < length; i++) {
    let b = bytes[i]!;
    while (b >= 248) b = crypto.getRandomValues(new Uint8Array(1))[0]!;
    out += ALPHABET[b % 62];
  }
  return out;
}

export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomToken()}`;
}

export function idPattern(prefix: IdPrefix): RegExp {
  return new RegExp(`^${prefix}_[0-9A-Za-z]{8,64}$`);
}
