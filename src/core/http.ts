/** A request exactly as the replay server received it (header names lower-cased). */
export interface HttpRequestData {
  method: string;
  /** Path without the query string, percent-decoded. */
  path: string;
  /** Query parameters in order of appearance; repeated names keep every value. */
  query: Record<string, string[]>;
  headers: Record<string, string>;
  /** Raw body as UTF-8 text; '' when there is none. */
  body: string;
  /** `body` holds bytes, one character per byte (latin1): a body of a type that is not text (an image, `multipart/*`). */
  binary?: true;
}

/** A response the replay server sends (or would have sent). Header names lower-cased. */
export interface HttpResponseData {
  status: number;
  headers: Record<string, string>;
  /** Body as UTF-8 text; '' for none. */
  body: string;
  /** `body` holds bytes, one character per byte (latin1), to be sent as they are: a binary body from the contract. */
  binary?: true;
}

/** A header by name, whatever the case of its name; `undefined` when absent. Own entries only: a header called `constructor` is not Object's. */
export function headerValue(headers: Record<string, string>, name: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(headers, name)) return headers[name];
  const wanted = name.toLowerCase();
  return Object.entries(headers).find(([key]) => key.toLowerCase() === wanted)?.[1];
}

/**
 * An empty record for names that come from files and requests: without a prototype, a header or
 * a query parameter called `__proto__` or `constructor` is an entry like any other, not what every
 * object inherits (which crashed the replay server or changed an object's prototype).
 */
export function newRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
