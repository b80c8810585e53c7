/**
 * Java `DateTimeFormatter` patterns (what Pact's `date`, `time` and `timestamp` matchers and its
 * `Date`, `Time` and `DateTime` generators are written in): formatting an instant, in UTC.
 */

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function field(letter: string, n: number, date: Date): string | undefined {
  const year = date.getUTCFullYear();
  const hour = date.getUTCHours();
  switch (letter) {
    case 'y':
    case 'u':
      return n === 2 ? pad(year % 100, 2) : pad(year, n);
    case 'M':
    case 'L': {
      const month = date.getUTCMonth();
      if (n >= 4) return MONTHS[month];
      if (n === 3) return MONTHS[month]!.slice(0, 3);
      return pad(month + 1, n);
    }
    case 'd':
      return pad(date.getUTCDate(), n);
    case 'D': {
      const start = Date.UTC(year, 0, 1);
      return pad(Math.floor((date.getTime() - start) / 86_400_000) + 1, n);
    }
    case 'H':
      return pad(hour, n);
    case 'k':
      return pad(hour === 0 ? 24 : hour, n);
    case 'K':
      return pad(hour % 12, n);
    case 'h':
      return pad(hour % 12 === 0 ? 12 : hour % 12, n);
    case 'm':
      return pad(date.getUTCMinutes(), n);
    case 's':
      return pad(date.getUTCSeconds(), n);
    case 'S':
      return pad(date.getUTCMilliseconds(), 3).padEnd(n, '0').slice(0, n);
    case 'n':
      return String(date.getUTCMilliseconds() * 1_000_000);
    case 'a':
      return hour < 12 ? 'AM' : 'PM';
    case 'E': {
      const day = DAYS[date.getUTCDay()]!;
      return n >= 4 ? day : day.slice(0, 3);
    }
    case 'e':
      return n <= 2 ? pad(date.getUTCDay() === 0 ? 7 : date.getUTCDay(), n) : DAYS[date.getUTCDay()];
    case 'G':
      return 'AD';
    case 'X':
      return 'Z';
    case 'x':
      return n === 1 ? '+00' : n === 2 ? '+0000' : '+00:00';
    case 'Z':
      return n <= 3 ? '+0000' : n === 4 ? 'GMT' : 'Z';
    case 'z':
    case 'V':
      return 'UTC';
    case 'O':
      return 'GMT';
    default:
      return undefined;
  }
}

/** A Java date pattern read into its pieces: quoted text, `[`/`]` optional sections, and runs of one letter (`yyyy`). */
export type DateFormatPart = { kind: 'literal'; text: string } | { kind: 'field'; letter: string; count: number } | { kind: 'open' } | { kind: 'close' };

export function dateFormatParts(format: string): DateFormatPart[] {
  const parts: DateFormatPart[] = [];
  for (let i = 0; i < format.length; ) {
    const c = format[i]!;
    if (c === "'") {
      if (format[i + 1] === "'") {
        parts.push({ kind: 'literal', text: "'" });
        i += 2;
        continue;
      }
      const end = format.indexOf("'", i + 1);
      parts.push({ kind: 'literal', text: end < 0 ? format.slice(i + 1) : format.slice(i + 1, end) });
      i = end < 0 ? format.length : end + 1;
    } else if (c === '[' || c === ']') {
      parts.push({ kind: c === '[' ? 'open' : 'close' });
      i++;
    } else if (/[A-Za-z]/.test(c)) {
      let n = 1;
      while (format[i + n] === c) n++;
      parts.push({ kind: 'field', letter: c, count: n });
      i += n;
    } else {
      parts.push({ kind: 'literal', text: c });
      i++;
    }
  }
  return parts;
}

/** `yyyy-MM-dd'T'HH:mm:ss` of `epochMs`, in UTC; optional sections are written in full, letters holdup does not know as they are. */
export function formatDate(format: string, epochMs: number): string {
  const date = new Date(epochMs);
  let out = '';
  for (const part of dateFormatParts(format)) {
    if (part.kind === 'literal') out += part.text;
    else if (part.kind === 'field') out += field(part.letter, part.count, date) ?? part.letter.repeat(part.count);
  }
  return out;
}
