/** Where a text that `JSON.parse` refused stops being JSON, and what was found there. */

export interface JsonSyntaxProblem {
  offset: number;
  expected: string;
}

class SyntaxStop {
  constructor(
    readonly offset: number,
    readonly expected: string,
  ) {}
}

/** Finds the first syntax error of a text that `JSON.parse` refused. */
export function locateJsonError(text: string): JsonSyntaxProblem {
  let i = 0;
  const n = text.length;
  const skipWhitespace = (): void => {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const numberPattern = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const parseString = (): void => {
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c === 0x5c) {
        const next = text[i + 1];
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) throw new SyntaxStop(i, 'a \\u escape with 4 hex digits');
          i += 6;
          continue;
        }
        if (next === undefined || !'"\\/bfnrt'.includes(next)) throw new SyntaxStop(i + 1, 'a valid escape character');
        i += 2;
        continue;
      }
      if (c < 0x20) throw new SyntaxStop(i, "a closing '\"' (strings cannot span lines)");
      i++;
    }
    throw new SyntaxStop(n, "a closing '\"'");
  };
  const parseValue = (): void => {
    skipWhitespace();
    const c = text[i];
    if (c === '{') {
      i++;
      skipWhitespace();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        skipWhitespace();
        if (text[i] !== '"') throw new SyntaxStop(i, 'a property name in double quotes');
        parseString();
        skipWhitespace();
        if (text[i] !== ':') throw new SyntaxStop(i, "':' after the property name");
        i++;
        parseValue();
        skipWhitespace();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        throw new SyntaxStop(i, "',' or '}'");
      }
    }
    if (c === '[') {
      i++;
      skipWhitespace();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        parseValue();
        skipWhitespace();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        throw new SyntaxStop(i, "',' or ']'");
      }
    }
    if (c === '"') return parseString();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      numberPattern.lastIndex = i;
      const m = numberPattern.exec(text);
      if (!m) throw new SyntaxStop(i, 'a number');
      i += m[0].length;
      return;
    }
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, i)) {
        i += literal.length;
        return;
      }
    }
    throw new SyntaxStop(i, 'a JSON value');
  };
  try {
    parseValue();
    skipWhitespace();
    if (i < n) throw new SyntaxStop(i, 'the end of the file');
  } catch (stop) {
    if (stop instanceof SyntaxStop) return { offset: stop.offset, expected: stop.expected };
    throw stop;
  }
  // JSON.parse refused what this scanner accepts (should not happen): point at the start.
  return { offset: 0, expected: 'a JSON value' };
}

export function describeFoundAt(text: string, offset: number): string {
  if (offset >= text.length) return 'the end of the file';
  const word = /^[A-Za-z_][\w]*/.exec(text.slice(offset, offset + 40));
  if (word) return `'${word[0]}'`;
  return `'${text[offset]}'`;
}

export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < offset && k < text.length; k++) {
    if (text.charCodeAt(k) === 0x0a) {
      line++;
      lineStart = k + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

