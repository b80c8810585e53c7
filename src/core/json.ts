/** A JSON value, as parsed from a contract body or returned by a connector. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
