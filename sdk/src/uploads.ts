/** Bytes in any of the usual shapes, including a Node stream (an async iterable of chunks). */
export type Uploadable = Blob | ArrayBuffer | ArrayBufferView | string | AsyncIterable<Uint8Array | string>;

/**
 * A File for a multipart field (e.g. `procedures.documents.upload`), from bytes, a Blob or a
 * stream: `await toFile(readFileSync('dni.pdf'), 'dni.pdf')`. The API keeps the name.
 */
export async function toFile(content: Uploadable, name: string, options: { type?: string } = {}): Promise<File> {
  const parts: BlobPart[] = [];
  if (typeof content === 'object' && Symbol.asyncIterator in content) {
    for await (const chunk of content) parts.push(chunk as BlobPart);
  } else parts.push(content as BlobPart);
  return new File(parts, name, { type: options.type ?? (content instanceof Blob ? content.type : '') });
}
