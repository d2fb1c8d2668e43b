// The ETag each versioned resource was answered with, kept beside the object (not in it, so the
// object stays exactly the JSON the API sent) for as long as the object lives.
const etags = new WeakMap<object, string>();

/** Keeps the `ETag` a response carried for the object parsed from its body. */
export function rememberEtag(resource: unknown, etag: string | null): void {
  if (etag && typeof resource === 'object' && resource !== null) etags.set(resource, etag);
}

/**
 * The `ETag` the API answered with this resource (a retrieve, a create or an update of a
 * versioned resource: webhook endpoints, procedures), or undefined when it carried none (list
 * items, copies of the object). Pass it, or the resource itself, as `ifMatch` with a change.
 */
export function etagOf(resource: object): string | undefined {
  return etags.get(resource);
}

const HOW_TO_GET_ONE =
  'pass the resource as the SDK returned it from a retrieve, create or update, or the ETag string etagOf() gives for it; a list item or a copy carries none, so retrieve the resource first';

/**
 * The `If-Match` header for the `ifMatch` option: an ETag as is, or a resource's own ETag. An
 * `ifMatch` given without a value (undefined or null, as `etagOf` of a list item is, or an empty
 * string) is refused rather than sent as no precondition at all: the change would overwrite
 * whatever moved. Leave `ifMatch` out to change a resource unconditionally.
 */
export function ifMatchHeader(value: string | object | null | undefined): string {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === ''))
    throw new TypeError(`\`ifMatch\` is ${typeof value === 'string' ? 'empty' : String(value)}: ${HOW_TO_GET_ONE}`);
  if (typeof value === 'string') return value;
  const etag = etagOf(value);
  // Sending the change without If-Match would overwrite whatever moved: refuse instead.
  if (etag === undefined) throw new TypeError(`\`ifMatch\`: this object carries no ETag; ${HOW_TO_GET_ONE}`);
  return etag;
}
