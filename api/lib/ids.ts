const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

export const ID_PREFIXES = [
  'org',
  'key',
  'mem',
  'dlr',
  'dlg',
  'cit',
  'prc',
  'doc',
  'req',
  'evt',
  'whe',
  'whd',
  'agk',
  'sgk',
  'tl',
  'acl',
  'rid',
  'ctk',
  'ntf',
  'cch',
  'dlb',
  'avs',
] as const;
export type IdPrefix = (typeof ID_PREFIXES)[number];

// Random bytes drawn from the CSPRNG a few kilobytes at a time: every request makes several ids.
let pool = new Uint8Array(0);
let poolOffset = 0;
function randomBytes(length: number): Uint8Array {
  if (poolOffset + length > pool.length) {
    pool = crypto.getRandomValues(new Uint8Array(Math.max(4096, length)));
    poolOffset = 0;
  }
  const bytes = pool.subarray(poolOffset, poolOffset + length);
  poolOffset += length;
  return bytes;
}

/** Base62 random string; 22 chars ≈ 131 bits, so ids are unguessable and never sequential. */
export function randomToken(length = 22): string {
  const bytes = randomBytes(length);
  let out = '';
  // 62 * 4 = 248 < 256: rejecting bytes >= 248 keeps the distribution uniform.
  for (let i = 0; i < length; i++) {
    let b = bytes[i]!;
    while (b >= 248) b = randomBytes(1)[0]!;
    out += ALPHABET[b % 62];
  }
  return out;
}

export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomToken()}`;
}

/** The part of an id after its prefix: base62, 22 characters from `newId`, 8 to 64 accepted. */
const ID_BODY = '[0-9A-Za-z]{8,64}';

export function idPattern(prefix: IdPrefix): RegExp {
  return new RegExp(`^${prefix}_${ID_BODY}$`);
}

const ANY_ID = new RegExp(`^(?:${ID_PREFIXES.join('|')})_${ID_BODY}$`);

/** An id of any kind Puente makes (`prc_…`, `evt_…`). */
export function isId(value: string): boolean {
  return ANY_ID.test(value);
}
