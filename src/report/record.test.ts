import { describe, expect, it } from 'vitest';
import { formatOperationRecorded, formatRecordSummary, formatRefusedRequests } from './record.js';

describe('holdup record text', () => {
  it('says per operation how many requests it sent, how many were refused, what it threw and what it warned', () => {
    expect(formatOperationRecorded({ operation: 'listInvoices', requests: 3, refused: 0, warnings: [] })).toBe('recording listInvoices … 3 requests\n');
    expect(
      formatOperationRecorded({ operation: 'getInvoice', requests: 1, refused: 0, error: 'BillingError: GET /v1/invoices/in_1: 404', warnings: ['GET /v1/invoices/in_1 is deprecated'] }),
    ).toBe(
      'recording getInvoice … 1 request (threw: BillingError: GET /v1/invoices/in_1: 404; its requests are recorded anyway)\n' +
        '  warning: GET /v1/invoices/in_1 is deprecated\n',
    );
    expect(formatOperationRecorded({ operation: 'sync', requests: 0, refused: 2, warnings: [] })).toBe('recording sync … 0 requests, 2 refused\n');
  });

  it('names the file written, the interactions and the redacted values, and what to do next', () => {
    expect(formatRecordSummary({ file: 'contracts/a-b.json', connector: 'a', interactions: 1, redacted: 0, duplicates: 0, failed: [], refused: [] })).toBe(
      'wrote contracts/a-b.json: 1 interaction, 0 redacted values\n' + 'next: point the `contract` of a at it, then holdup run --connector a\n',
    );
    expect(formatRecordSummary({ file: 'x.json', connector: 'a', interactions: 4, redacted: 1, duplicates: 1, failed: ['getInvoice'], refused: [] })).toBe(
      'wrote x.json: 4 interactions, 1 redacted value (1 repeated request left out)\n' +
        'note: getInvoice threw while recording; check that the contract holds what you expect before relying on it\n' +
        'next: point the `contract` of a at it, then holdup run --connector a\n',
    );
  });

  it('lists every refused request with its answer and why, in the summary', () => {
    const refused = [
      { operation: 'sync', request: 'GET http://evil.example/x', status: 421, reason: 'its target names http://evil.example, not the upstream' },
      { operation: 'sync', request: 'GET /x (Host: evil.example)', status: 421, reason: 'its Host names evil.example' },
    ];
    const list =
      'refused 2 requests that named another host than the upstream or rewrote its target: answered with a 4xx, not forwarded, not in the contract\n' +
      '  sync: GET http://evil.example/x → 421, its target names http://evil.example, not the upstream\n' +
      '  sync: GET /x (Host: evil.example) → 421, its Host names evil.example\n';
    expect(formatRefusedRequests(refused)).toBe(list);
    expect(formatRefusedRequests([])).toBe('');
    expect(formatRecordSummary({ file: 'x.json', connector: 'a', interactions: 1, redacted: 0, duplicates: 0, failed: [], refused })).toBe(
      'wrote x.json: 1 interaction, 0 redacted values\n' + list + 'next: point the `contract` of a at it, then holdup run --connector a\n',
    );
  });
});
