/**
 * A small PDF 1.4 writer for receipts: A4 pages, the standard Helvetica and Courier fonts in
 * WinAnsi encoding (Spanish text), word wrap, tables, automatic page breaks and page numbers.
 * No dependencies and no Node APIs, so it runs on Workers too.
 */

export type PdfBlock =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'field'; label: string; value: string }
  | { kind: 'table'; columns: string[]; rows: string[][]; widths?: number[] }
  | { kind: 'spacer' }
  | { kind: 'monospace'; text: string };

export interface PdfDocument {
  title: string;
  author?: string;
  subject?: string;
  createdAt: Date;
  blocks: PdfBlock[];
}

const PAGE_W = 595;
const PAGE_H = 842;
const MARGIN = 50;
const WIDTH = PAGE_W - 2 * MARGIN;

// Helvetica advance widths (1/1000 em) for ASCII 32–126; Latin-1 letters use their base letter.
const HELVETICA = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
  1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
  333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];
const BOLD_FACTOR = 1.06;

const WIN_ANSI_EXTRA: Record<string, number> = { '€': 0x80, '…': 0x85, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '–': 0x96, '—': 0x97 };

function toWinAnsi(text: string): number[] {
  const out: number[] = [];
  for (const ch of text.normalize('NFC')) {
    const code = ch.codePointAt(0)!;
    if (WIN_ANSI_EXTRA[ch] !== undefined) out.push(WIN_ANSI_EXTRA[ch]!);
    else if ((code >= 0x20 && code < 0x7f) || (code >= 0xa0 && code <= 0xff)) out.push(code);
    else out.push(0x3f);
  }
  return out;
}

function charWidth(code: number, font: 'F1' | 'F2' | 'F3'): number {
  if (font === 'F3') return 600;
  let base = code;
  if (code >= 0xc0) base = 'AAAAAAACEEEEIIIIDNOOOOOxOUUUUYPsaaaaaaaceeeeiiiidnooooo/ouuuuypy'.charCodeAt(code - 0xc0);
  const w = base >= 32 && base <= 126 ? HELVETICA[base - 32]! : 556;
  return font === 'F2' ? w * BOLD_FACTOR : w;
}

function textWidth(text: string, font: 'F1' | 'F2' | 'F3', size: number): number {
  return (toWinAnsi(text).reduce((sum, c) => sum + charWidth(c, font), 0) * size) / 1000;
}

/** Greedy word wrap; a word wider than the line (hashes, tokens) is broken anywhere. */
function wrap(text: string, font: 'F1' | 'F2' | 'F3', size: number, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      const candidate = line ? `${line} ${word}` : word;
      if (textWidth(candidate, font, size) <= width) {
        line = candidate;
        continue;
      }
      if (line) lines.push(line);
      line = '';
      let rest = word;
      while (textWidth(rest, font, size) > width) {
        let cut = rest.length;
        while (cut > 1 && textWidth(rest.slice(0, cut), font, size) > width) cut--;
        lines.push(rest.slice(0, cut));
        rest = rest.slice(cut);
      }
      line = rest;
    }
    lines.push(line);
  }
  return lines;
}

function pdfString(text: string): string {
  return (
    '(' +
    toWinAnsi(text)
      .map((c) => (c === 0x28 || c === 0x29 || c === 0x5c ? `\\${String.fromCharCode(c)}` : c < 0x80 ? String.fromCharCode(c) : `\\${c.toString(8).padStart(3, '0')}`))
      .join('') +
    ')'
  );
}

class Layout {
  pages: string[][] = [[]];
  y = PAGE_H - MARGIN;

  private get ops(): string[] {
    return this.pages[this.pages.length - 1]!;
  }

  ensure(height: number): void {
    if (this.y - height < MARGIN + 20) {
      this.pages.push([]);
      this.y = PAGE_H - MARGIN;
    }
  }

  text(x: number, text: string, font: 'F1' | 'F2' | 'F3', size: number): void {
    this.ops.push(`BT /${font} ${size} Tf ${x.toFixed(2)} ${this.y.toFixed(2)} Td ${pdfString(text)} Tj ET`);
  }

  line(x1: number, x2: number): void {
    this.ops.push(`0.6 G 0.5 w ${x1} ${this.y.toFixed(2)} m ${x2} ${this.y.toFixed(2)} l S`);
  }

  lines(x: number, lines: string[], font: 'F1' | 'F2' | 'F3', size: number, leading: number): void {
    for (const l of lines) {
      this.ensure(leading);
      this.y -= leading;
      this.text(x, l, font, size);
    }
  }
}

export function renderPdf(doc: PdfDocument): Uint8Array {
  const layout = new Layout();
  for (const block of doc.blocks) {
    switch (block.kind) {
      case 'heading':
        layout.ensure(30);
        layout.y -= 8;
        layout.lines(MARGIN, wrap(block.text, 'F2', 14, WIDTH), 'F2', 14, 18);
        layout.y -= 4;
        break;
      case 'paragraph':
        layout.lines(MARGIN, wrap(block.text, 'F1', 10, WIDTH), 'F1', 10, 13);
        break;
      case 'monospace':
        layout.lines(MARGIN, wrap(block.text, 'F3', 8, WIDTH), 'F3', 8, 10);
        break;
      case 'spacer':
        layout.y -= 8;
        break;
      case 'field': {
        const labelWidth = 180;
        const value = wrap(block.value, 'F1', 10, WIDTH - labelWidth);
        const label = wrap(block.label, 'F2', 10, labelWidth - 8);
        const rows = Math.max(value.length, label.length);
        for (let i = 0; i < rows; i++) {
          layout.ensure(13);
          layout.y -= 13;
          if (label[i]) layout.text(MARGIN, label[i]!, 'F2', 10);
          if (value[i]) layout.text(MARGIN + labelWidth, value[i]!, 'F1', 10);
        }
        break;
      }
      case 'table': {
        const widths = (block.widths ?? block.columns.map(() => 1 / block.columns.length)).map((f) => f * WIDTH);
        const row = (cells: string[], font: 'F1' | 'F2') => {
          const wrapped = cells.map((cell, i) => wrap(cell, /^[0-9a-f]{32,}$/.test(cell) ? 'F3' : font, 8, widths[i]! - 6));
          const height = Math.max(...wrapped.map((w) => w.length)) * 10 + 4;
          layout.ensure(height);
          const top = layout.y;
          wrapped.forEach((cellLines, i) => {
            layout.y = top;
            const x = MARGIN + widths.slice(0, i).reduce((a, b) => a + b, 0);
            const cellFont = /^[0-9a-f]{32,}$/.test(cells[i]!) ? 'F3' : font;
            for (const l of cellLines) {
              layout.y -= 10;
              layout.text(x, l, cellFont, 8);
            }
          });
          layout.y = top - height;
          layout.line(MARGIN, MARGIN + WIDTH);
        };
        row(block.columns, 'F2');
        for (const r of block.rows) row(r, 'F1');
        break;
      }
    }
  }

  const total = layout.pages.length;
  layout.pages.forEach((ops, i) => {
    const footer = `Página ${i + 1} de ${total}`;
    ops.push(`BT /F1 8 Tf ${(PAGE_W - MARGIN - textWidth(footer, 'F1', 8)).toFixed(2)} ${MARGIN - 20} Td ${pdfString(footer)} Tj ET`);
  });

  // Objects: 1 catalog, 2 pages, 3-5 fonts, 6 info, then a page and a content stream per page.
  const objects: string[] = [];
  const pageIds = layout.pages.map((_, i) => 7 + i * 2);
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${total} >>`;
  objects[3] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>';
  objects[4] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>';
  objects[5] = '<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>';
  const d = doc.createdAt.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  objects[6] = `<< /Title ${pdfString(doc.title)} /Author ${pdfString(doc.author ?? 'Puente')} /Subject ${pdfString(doc.subject ?? '')} /Producer (Puente) /CreationDate (D:${d}Z) >>`;
  layout.pages.forEach((ops, i) => {
    const content = ops.join('\n');
    objects[pageIds[i]!] = `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE_W} ${PAGE_H}] /Resources << /Font << /F1 3 0 R /F2 4 0 R /F3 5 0 R >> >> /Contents ${pageIds[i]! + 1} 0 R >>`;
    objects[pageIds[i]! + 1] = `<< /Length ${content.length} >>\nstream\n${content}\nendstream`;
  });

  // Everything above is 8-bit text (WinAnsi escaped as octal), so one char is one byte.
  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id++) {
    offsets[id] = out.length;
    out += `${id} 0 obj\n${objects[id]}\nendobj\n`;
  }
  const xref = out.length;
  out += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let id = 1; id < objects.length; id++) out += `${String(offsets[id]).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length} /Root 1 0 R /Info 6 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  const bytes = new Uint8Array(out.length);
  for (let i = 0; i < out.length; i++) bytes[i] = out.charCodeAt(i) & 0xff;
  return bytes;
}
