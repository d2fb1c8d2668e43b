import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from 'pdf-lib';

/**
 * Simple documents (receipts, exports) laid out as blocks on A4 pages with pdf-lib: the standard
 * Helvetica and Courier fonts (WinAnsi, enough for Spanish), word wrap, tables that repeat their
 * header on every page, page breaks and "page n of m". pdf-lib has no Node dependency, so the same
 * code runs on Workers.
 */

export type PdfBlock =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'field'; label: string; value: string }
  | { kind: 'table'; columns: string[]; rows: string[][]; widths?: number[] }
  | { kind: 'spacer' };

export interface PdfSpec {
  title: string;
  author?: string;
  subject?: string;
  lang?: string;
  createdAt: Date;
  blocks: PdfBlock[];
  /** The footer of each page; Spanish by default. */
  pageLabel?: (page: number, total: number) => string;
}

const PAGE_W = 595.28;
const PAGE_H = 841.89;
const MARGIN = 50;
const WIDTH = PAGE_W - 2 * MARGIN;
const BOTTOM = MARGIN + 20;
const HEX_RUN = /^[0-9a-f]{32,}$/;

// WinAnsi beyond Latin-1 (the characters the standard fonts can show besides U+0020–U+00FF).
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/** What the standard fonts cannot show becomes its base letter, or "?": text is never lost silently in between. */
export function winAnsi(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const code = ch.codePointAt(0)!;
    if ((code >= 0x20 && code < 0x7f) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(ch)) out += ch;
    else if (ch === '\n') out += ch;
    else if (ch === '\u202f' || ch === '\u2009' || ch === '\t') out += ' ';
    else {
      const base = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
      out += base.length === 1 && base.charCodeAt(0) < 0x7f ? base : '?';
    }
  }
  return out;
}

/** Greedy word wrap; a word wider than the line (hashes, identifiers) is broken anywhere. */
function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const fits = (s: string) => font.widthOfTextAtSize(s, size) <= width;
  const lines: string[] = [];
  for (const paragraph of winAnsi(text).split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      const candidate = line ? `${line} ${word}` : word;
      if (fits(candidate)) {
        line = candidate;
        continue;
      }
      if (line) lines.push(line);
      let rest = word;
      while (!fits(rest)) {
        let cut = rest.length - 1;
        while (cut > 1 && !fits(rest.slice(0, cut))) cut--;
        lines.push(rest.slice(0, cut));
        rest = rest.slice(cut);
      }
      line = rest;
    }
    lines.push(line);
  }
  return lines;
}

interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
  mono: PDFFont;
}

class Cursor {
  page: PDFPage;
  y = PAGE_H - MARGIN;
  constructor(private readonly doc: PDFDocument) {
    this.page = doc.addPage([PAGE_W, PAGE_H]);
  }

  /** Room for `height` more points, on a new page if needed; answers whether a page was started. */
  ensure(height: number): boolean {
    if (this.y - height >= BOTTOM) return false;
    this.page = this.doc.addPage([PAGE_W, PAGE_H]);
    this.y = PAGE_H - MARGIN;
    return true;
  }

  text(x: number, text: string, font: PDFFont, size: number): void {
    if (text) this.page.drawText(text, { x, y: this.y, size, font, color: rgb(0, 0, 0) });
  }

  lines(x: number, lines: string[], font: PDFFont, size: number, leading: number): void {
    for (const l of lines) {
      this.ensure(leading);
      this.y -= leading;
      this.text(x, l, font, size);
    }
  }

  rule(): void {
    this.page.drawLine({
      start: { x: MARGIN, y: this.y },
      end: { x: MARGIN + WIDTH, y: this.y },
      thickness: 0.5,
      color: rgb(0.6, 0.6, 0.6),
    });
  }
}

function drawTable(cursor: Cursor, fonts: Fonts, block: Extract<PdfBlock, { kind: 'table' }>): void {
  const widths = (block.widths ?? block.columns.map(() => 1 / block.columns.length)).map((f) => f * WIDTH);
  const row = (cells: string[], header: boolean) => {
    const fontOf = (cell: string) => (HEX_RUN.test(cell) ? fonts.mono : header ? fonts.bold : fonts.regular);
    const wrapped = cells.map((cell, i) => wrap(cell, fontOf(cell), 8, widths[i]! - 6));
    const height = Math.max(1, ...wrapped.map((w) => w.length)) * 10 + 4;
    if (cursor.ensure(height) && !header) row(block.columns, true);
    const top = cursor.y;
    wrapped.forEach((cellLines, i) => {
      cursor.y = top;
      const x = MARGIN + widths.slice(0, i).reduce((a, b) => a + b, 0);
      for (const l of cellLines) {
        cursor.y -= 10;
        cursor.text(x, l, fontOf(cells[i]!), 8);
      }
    });
    cursor.y = top - height;
    cursor.rule();
  };
  row(block.columns, true);
  for (const r of block.rows) row(r, false);
}

export async function renderPdf(spec: PdfSpec): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle(winAnsi(spec.title));
  doc.setAuthor(spec.author ?? 'Puente');
  doc.setSubject(winAnsi(spec.subject ?? ''));
  doc.setProducer('Puente');
  doc.setCreator('Puente');
  doc.setCreationDate(spec.createdAt);
  doc.setModificationDate(spec.createdAt);
  if (spec.lang) doc.setLanguage(spec.lang);
  const fonts: Fonts = {
    regular: await doc.embedFont(StandardFonts.Helvetica),
    bold: await doc.embedFont(StandardFonts.HelveticaBold),
    mono: await doc.embedFont(StandardFonts.Courier),
  };
  const cursor = new Cursor(doc);
  for (const block of spec.blocks) {
    switch (block.kind) {
      case 'heading':
        cursor.ensure(30);
        cursor.y -= 8;
        cursor.lines(MARGIN, wrap(block.text, fonts.bold, 14, WIDTH), fonts.bold, 14, 18);
        cursor.y -= 4;
        break;
      case 'paragraph':
        cursor.lines(MARGIN, wrap(block.text, fonts.regular, 10, WIDTH), fonts.regular, 10, 13);
        break;
      case 'spacer':
        cursor.y -= 8;
        break;
      case 'field': {
        const labelWidth = 180;
        const value = wrap(block.value, fonts.regular, 10, WIDTH - labelWidth);
        const label = wrap(block.label, fonts.bold, 10, labelWidth - 8);
        for (let i = 0; i < Math.max(value.length, label.length); i++) {
          cursor.ensure(13);
          cursor.y -= 13;
          cursor.text(MARGIN, label[i] ?? '', fonts.bold, 10);
          cursor.text(MARGIN + labelWidth, value[i] ?? '', fonts.regular, 10);
        }
        break;
      }
      case 'table':
        drawTable(cursor, fonts, block);
        break;
    }
  }
  const pages = doc.getPages();
  const label = spec.pageLabel ?? ((n: number, total: number) => `Página ${n} de ${total}`);
  pages.forEach((page, i) => {
    const footer = winAnsi(label(i + 1, pages.length));
    page.drawText(footer, {
      x: PAGE_W - MARGIN - fonts.regular.widthOfTextAtSize(footer, 8),
      y: MARGIN - 20,
      size: 8,
      font: fonts.regular,
    });
  });
  return doc.save({ useObjectStreams: false });
}
