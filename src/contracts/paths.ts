/**
 * Pact path expressions (`$`, `$.a.b`, `$.a[0]`, `$.a[*]`, `$.*`, `$['a b']`, `$.a[*].b`) and the
 * weights Pact uses to pick the most specific rule for a value.
 */

export type PathToken = { kind: 'field'; name: string } | { kind: 'index'; index: number } | { kind: 'star' };

/** Parses a Pact path. Returns undefined for an expression that is not a path (never matches). */
export function parsePactPath(expression: string): PathToken[] | undefined {
  const text = expression.trim();
  if (!text.startsWith('$')) {
    // Some writers leave the root out: `a.b` means `$.a.b`.
    return text === '' ? undefined : parsePactPath(`$.${text}`);
  }
  const tokens: PathToken[] = [];
  let i = 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '.') {
      i++;
      if (text[i] === '*') {
        tokens.push({ kind: 'star' });
        i++;
        continue;
      }
      const m = /^[^.[\]]+/.exec(text.slice(i));
      if (!m) return undefined;
      tokens.push({ kind: 'field', name: m[0] });
      i += m[0].length;
    } else if (c === '[') {
      const end = findClose(text, i);
      if (end < 0) return undefined;
      const inner = text.slice(i + 1, end).trim();
      i = end + 1;
      if (inner === '*') tokens.push({ kind: 'star' });
      else if (/^\d+$/.test(inner)) tokens.push({ kind: 'index', index: Number(inner) });
      else if (/^'.*'$/s.test(inner) || /^".*"$/s.test(inner)) tokens.push({ kind: 'field', name: inner.slice(1, -1).replace(/\\(['"\\])/g, '$1') });
      else return undefined;
    } else {
      return undefined;
    }
  }
  return tokens;
}

function findClose(text: string, open: number): number {
  let quote: string | undefined;
  for (let k = open + 1; k < text.length; k++) {
    const c = text[k];
    if (quote) {
      if (c === '\\') k++;
      else if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === ']') return k;
  }
  return -1;
}

/**
 * Pact's weight of a rule path against a value's path: 0 when it does not apply, else
 * the product of 2 for the root and each exact name or index and 1 for each `*`,
 * multiplied by the number of tokens (root included), so deeper and more exact paths win.
 * A rule path shorter than the value's path applies as an ancestor.
 */
export function pathWeight(tokens: readonly PathToken[], path: readonly (string | number)[]): number {
  if (tokens.length > path.length) return 0;
  let weight = 2;
  for (let k = 0; k < tokens.length; k++) {
    const token = tokens[k]!;
    const segment = path[k]!;
    if (token.kind === 'star') weight *= 1;
    else if (token.kind === 'index') {
      if (segment !== token.index) return 0;
      weight *= 2;
    } else {
      if (segment !== token.name && String(segment) !== token.name) return 0;
      weight *= 2;
    }
  }
  return weight * (tokens.length + 1);
}
