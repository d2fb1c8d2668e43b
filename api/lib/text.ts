/**
 * What is wrong with `s` as text to store, or undefined when nothing is. PostgreSQL's text and
 * jsonb cannot hold NUL (U+0000); a lone surrogate (half of a UTF-16 pair) is refused by jsonb and
 * silently replaced by U+FFFD in a text column. Either would fail a write or change what was
 * sent, so every string a client sends is held to this one rule.
 */
export function textFault(s: string): string | undefined {
  if (s.includes('\u0000')) return 'Contains a NUL character (U+0000), which text cannot hold.';
  if (!s.isWellFormed()) return 'Contains a lone surrogate (U+D800 to U+DFFF): not well-formed Unicode text.';
  return undefined;
}

export function isStorableText(s: string): boolean {
  return textFault(s) === undefined;
}

/** A fault `textFault` found in a value, with the path of the string (or of the key) in it. */
export interface TextFault {
  path: PropertyKey[];
  detail: string;
}

/** A value met while searching (see `textFaults`), with the key it was found under and its parent. */
interface Visit {
  value: unknown;
  key?: PropertyKey;
  parent?: Visit;
}

/**
 * Every string of a parsed JSON value (or form) that `textFault` refuses, object keys included,
 * with its path, in document order; other values (numbers, files) are left alone. The search
 * keeps its own stack: a body may nest as deep as JSON.parse allows, far deeper than calls can.
 */
export function textFaults(value: unknown): TextFault[] {
  const faults: TextFault[] = [];
  const stack: Visit[] = [{ value }];
  while (stack.length > 0) {
    const visit = stack.pop()!;
    const v = visit.value;
    if (typeof visit.key === 'string') {
      const detail = textFault(visit.key);
      if (detail) faults.push({ path: pathOf(visit), detail: `The field name: ${detail}` });
    }
    if (typeof v === 'string') {
      const detail = textFault(v);
      if (detail) faults.push({ path: pathOf(visit), detail });
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], key: i, parent: visit });
    } else if (isPlainObject(v)) {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--)
        stack.push({ value: entries[i]![1], key: entries[i]![0], parent: visit });
    }
  }
  return faults;
}

function pathOf(visit: Visit): PropertyKey[] {
  const path: PropertyKey[] = [];
  for (let at: Visit | undefined = visit; at?.parent; at = at.parent) path.push(at.key!);
  return path.reverse();
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}
