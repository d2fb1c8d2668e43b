import { extractText, getDocumentProxy, getMeta } from 'unpdf';

/** The text of every page of a PDF as a reader would copy it (PDF.js), pages joined by newlines. */
export async function pdfText(
  bytes: ArrayBuffer | Uint8Array,
): Promise<{ text: string; pages: number; title: string | undefined }> {
  // A plain copy: PDF.js takes the buffer over, and refuses Node's Buffer subclass.
  const data = new Uint8Array(bytes instanceof Uint8Array ? bytes.byteLength : bytes.byteLength);
  data.set(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
  const proxy = await getDocumentProxy(data);
  const { totalPages, text } = await extractText(proxy, { mergePages: false });
  const meta = await getMeta(proxy);
  return { text: text.join('\n'), pages: totalPages, title: (meta.info as { Title?: string }).Title };
}
