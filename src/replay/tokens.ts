import type { TokenControl, TokenIssue } from '../core/index.js';

type AccessStatus = 'valid' | 'expired' | 'unknown';

/**
 * The token ledger of one execution: which access and refresh tokens the replay server
 * issued, which are still valid, and every issuance (the evidence for "one refresh per expiry").
 */
export class TokenLedger implements TokenControl {
  readonly issued: TokenIssue[] = [];
  private readonly access = new Map<string, boolean>();
  private readonly refresh = new Map<string, boolean>();
  /** Access tokens this ledger issued (not the contract's examples). */
  private readonly own = new Set<string>();

  /**
   * @param label distinguishes this execution's tokens from every other's
   * @param exampleTokens tokens written in the contract itself, valid until expired
   *   (so a request replayed verbatim from the contract, as Pact's Verifier sends it, is accepted)
   */
  constructor(
    private readonly label: string,
    exampleTokens: { access: readonly string[]; refresh: readonly string[] },
  ) {
    for (const token of exampleTokens.access) this.access.set(token, true);
    for (const token of exampleTokens.refresh) this.refresh.set(token, true);
  }

  issue(grantType: string, seq: number, atMs: number): { accessToken: string; refreshToken: string } {
    const n = this.issued.length + 1;
    const accessToken = `hu_at_${this.label}_${n}`;
    const refreshToken = `hu_rt_${this.label}_${n}`;
    this.access.set(accessToken, true);
    this.own.add(accessToken);
    this.refresh.set(refreshToken, true);
    this.issued.push({ atMs, seq, grantType, token: accessToken });
    return { accessToken, refreshToken };
  }

  checkAccess(token: string): AccessStatus {
    const valid = this.access.get(token);
    if (valid === undefined) return 'unknown';
    return valid ? 'valid' : 'expired';
  }

  /** Whether this server issued `token` (valid or expired since). */
  issuedHere(token: string): boolean {
    return this.own.has(token);
  }

  isRefreshValid(token: string): boolean {
    return this.refresh.get(token) === true;
  }

  expireAccessTokens(): void {
    for (const token of this.access.keys()) this.access.set(token, false);
  }

  revokeRefreshTokens(): void {
    for (const token of this.refresh.keys()) this.refresh.set(token, false);
  }
}
