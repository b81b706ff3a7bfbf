// Whether the connected account can pay for gas, for a form that writes with gas and, where a relayer is
// configured, without. One rule for every such form: when the account holds no ETH, or a write from the form
// failed for want of it, the form says so (`noGasWords`) and points to its button without gas, which then comes
// first. Free of viem, like state.svelte.ts: the balance is read through the wallet code, loaded on first use.
import { noGasWords } from '$lib/errors';
import type { Sent } from './session';
import { session, wallet, wrongNetwork } from './state.svelte';

export class GasFunds {
  /** The connected account's ETH in wei; undefined until read, or where it cannot be read. */
  balance: bigint | undefined = $state();
  /** A write from this form failed because the account's ETH could not pay for it. */
  #refused = $state(false);
  readonly #gasless: () => string | null;

  /**
   * `gasless` names the form's button that does the same without gas, or is null where no relayer is
   * configured. Construct it while a component initialises: it follows the connected account.
   */
  constructor(gasless: () => string | null) {
    this.#gasless = gasless;
    $effect(() => {
      const account = wallet.account;
      const readable = account && !wrongNetwork();
      this.balance = undefined;
      this.#refused = false;
      if (!readable) return;
      let current = true;
      session()
        .then((s) => s.ethBalance(account))
        .then((balance) => {
          if (current) this.balance = balance;
        })
        .catch(() => {
          // Unknown: the form offers both ways as usual, and a refused write still says why.
        });
      return () => {
        current = false;
      };
    });
  }

  /** The account cannot pay for gas, as far as the form knows. */
  get short(): boolean {
    return this.#refused || this.balance === 0n;
  }

  /** What the form says about it: empty while the account can pay, as far as is known. */
  get hint(): string {
    return this.short ? noGasWords(this.#gasless()) : '';
  }

  /** The button without gas comes first: the account cannot pay, and the relayer can. */
  get gaslessFirst(): boolean {
    return this.short && this.#gasless() !== null;
  }

  /** The name of the button without gas, passed to `send` so that its failure for want of ETH names it. */
  get gasless(): string | null {
    return this.#gasless();
  }

  /** Hears how a write from the form went. */
  sent(result: Sent): void {
    if (result.cannotPay) this.#refused = true;
  }
}
