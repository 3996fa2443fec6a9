import { assertInvariant } from "../../core/errors.ts";

/*
 * The cash ledger of a cascade, in bigint micro-dollars (1e-6 USD). Every movement is a
 * transfer between two parties, so the total never changes; `audit` re-adds every balance and
 * asserts it equals what was deposited (the independent auditor of TIGER_STYLE, run after every
 * sub-step). Parties: the accounts (0..n−1), then the insurance fund, the liquidators, the
 * market (the traders' external counterparties, who pay and receive realised PnL) and the
 * socialised-loss account (bad debt the fund could not cover; it goes negative, never silently).
 */

export const MICRO_PER_USD = 1_000_000;

/** USD → micro-dollars, rounded down (a credit to an account is never rounded up). */
export function microFloor(usd: number): bigint {
  return BigInt(Math.floor(usd * MICRO_PER_USD));
}

/** USD → micro-dollars, rounded up (a charge to an account is never rounded down). */
export function microCeil(usd: number): bigint {
  return BigInt(Math.ceil(usd * MICRO_PER_USD));
}

export class CascadeLedger {
  readonly balances: BigInt64Array;
  readonly fund: number;
  readonly liquidators: number;
  readonly market: number;
  readonly socialized: number;
  private deposited = 0n;

  constructor(accounts: number) {
    this.balances = new BigInt64Array(accounts + 4);
    this.fund = accounts;
    this.liquidators = accounts + 1;
    this.market = accounts + 2;
    this.socialized = accounts + 3;
  }

  /** Money entering the system (an account's collateral, the fund's capital). */
  deposit(party: number, amount: bigint): void {
    assertInvariant(amount >= 0n, "a deposit is never negative");
    this.balances[party] = (this.balances[party] as bigint) + amount;
    this.deposited += amount;
  }

  /** Moves `amount` (may be negative: the other way) from one party to another. */
  transfer(from: number, to: number, amount: bigint): void {
    this.balances[from] = (this.balances[from] as bigint) - amount;
    this.balances[to] = (this.balances[to] as bigint) + amount;
  }

  balance(party: number): bigint {
    return this.balances[party] as bigint;
  }

  totalDeposited(): bigint {
    return this.deposited;
  }

  /** Asserts the balances still add up to the deposits. */
  audit(): void {
    let sum = 0n;
    for (const b of this.balances) sum += b;
    assertInvariant(
      sum === this.deposited,
      `money not conserved: balances ${sum} ≠ deposits ${this.deposited} (micro-USD)`,
    );
  }
}
