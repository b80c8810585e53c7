import { describe, expect, it } from 'vitest';
import { formatOperationRecorded, formatRecordSummary } from './record.js';

describe('holdup record text', () => {
  it('says per operation how many requests it sent, what it threw and what it warned', () => {
    expect(formatOperationRecorded({ operation: 'listInvoices', requests: 3, warnings: [] })).toBe('recording listInvoices … 3 requests\n');
    expect(
      formatOperationRecorded({ operation: 'getInvoice', requests: 1, error: 'BillingError: GET /v1/invoices/in_1: 404', warnings: ['GET /v1/invoices/in_1 is deprecated'] }),
    ).toBe(
      'recording getInvoice … 1 request (threw: BillingError: GET /v1/invoices/in_1: 404; its requests are recorded anyway)\n' +
        '  warning: GET /v1/invoices/in_1 is deprecated\n',
    );
  });

  it('names the file written, the interactions and the redacted values, and what to do next', () => {
    expect(formatRecordSummary({ file: 'contracts/a-b.json', connector: 'a', interactions: 1, redacted: 0, duplicates: 0, failed: [] })).toBe(
      'wrote contracts/a-b.json: 1 interaction, 0 redacted values\n' + 'next: point the `contract` of a at it, then holdup run --connector a\n',
    );
    expect(formatRecordSummary({ file: 'x.json', connector: 'a', interactions: 4, redacted: 1, duplicates: 1, failed: ['getInvoice'] })).toBe(
      'wrote x.json: 4 interactions, 1 redacted value (1 repeated request left out)\n' +
        'note: getInvoice threw while recording; check that the contract holds what you expect before relying on it\n' +
        'next: point the `contract` of a at it, then holdup run --connector a\n',
    );
  });
});
