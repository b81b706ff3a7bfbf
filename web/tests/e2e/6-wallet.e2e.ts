import { devAccountNames } from '@charter/contracts/dev-accounts';
import { expect, test } from '@playwright/test';

import { open } from './open';
import { shot } from './shot';
import { stack } from './stackInfo';

/**
 * A browser wallet as an extension would inject it: announced through EIP-6963, answering EIP-1193
 * requests. It relays to the dev chain, whose accounts anvil keeps unlocked, through `walletRpc` (a binding
 * to the test process, as an extension talks to its own node, not through the app's `/rpc`), and starts on
 * the wrong network (chain 1) until asked to switch.
 */
function injectWallet(account: string) {
  let chainId = '0x1';
  const listeners: Record<string, ((value: unknown) => void)[]> = {};
  const emit = (event: string, value: unknown) => (listeners[event] ?? []).forEach((l) => l(value));
  const relay = (body: string) =>
    (window as unknown as { walletRpc: (body: string) => Promise<string> }).walletRpc(body);
  const provider = {
    async request({ method, params }: { method: string; params?: unknown[] }) {
      if (method === 'eth_requestAccounts' || method === 'eth_accounts') return [account];
      if (method === 'eth_chainId') return chainId;
      if (method === 'wallet_switchEthereumChain') {
        chainId = (params![0] as { chainId: string }).chainId;
        emit('chainChanged', chainId);
        return null;
      }
      const body = JSON.parse(
        await relay(JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: params ?? [] })),
      ) as {
        result?: unknown;
        error?: { code: number; message: string; data?: unknown };
      };
      if (body.error) throw Object.assign(new Error(body.error.message), body.error);
      return body.result;
    },
    on(event: string, listener: (value: unknown) => void) {
      (listeners[event] ??= []).push(listener);
    },
    removeListener(event: string, listener: (value: unknown) => void) {
      listeners[event] = (listeners[event] ?? []).filter((l) => l !== listener);
    },
  };
  const info = {
    uuid: '350670db-19fa-4704-a166-e52e178b59d1',
    name: 'Test Wallet',
    icon: 'data:image/svg+xml,<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32"/>',
    rdns: 'org.charter.testwallet',
  };
  const announce = () =>
    window.dispatchEvent(
      new CustomEvent('eip6963:announceProvider', { detail: Object.freeze({ info, provider }) }),
    );
  window.addEventListener('eip6963:requestProvider', announce);
  announce();
}

test('a browser wallet found through EIP-6963, on the wrong network, switches and delegates', async ({
  page,
}) => {
  const { accounts, rpcUrl } = stack();
  const holder = accounts[devAccountNames.indexOf('erin')]!; // delegates to carol in the seed
  await page.exposeFunction('walletRpc', async (body: string) =>
    (
      await fetch(rpcUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      })
    ).text(),
  );
  await page.addInitScript(injectWallet, holder);
  await open(page, `/delegates/${accounts[1]}`);

  await page.getByRole('button', { name: 'Connect wallet' }).click();
  await page.getByRole('button', { name: 'Test Wallet' }).click();
  await expect(page.getByRole('link', { name: /Connected as/ })).toContainText('Test Wallet');

  // Chain 1 is not the deployment's chain: writing is off until the wallet switches.
  await expect(page.getByRole('button', { name: /Wrong network/ })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Delegate my votes here' })).toBeDisabled();
  await shot(page, 'wrong-network', false);
  await page.getByRole('button', { name: /Wrong network/ }).click();
  await expect(page.getByRole('button', { name: /Wrong network/ })).toBeHidden();

  const before = await page.getByTestId('voting-power').textContent();
  await page.getByRole('button', { name: 'Delegate my votes here' }).click();
  const tx = page.locator('section[aria-label="Transactions"] article').first();
  await expect(tx).toHaveAttribute('data-step', 'indexed', { timeout: 30_000 });
  await expect(page.getByTestId('voting-power')).not.toHaveText(before!);
  await expect(page.getByRole('listitem').filter({ hasText: holder.slice(0, 6) })).toBeVisible();
});
