import { action, anvilPrivateKey, DevChain, modelRegistryAbi } from '@charter/contracts';
import { expect, test } from '@playwright/test';

import { shot } from './shot';
import { stack } from './stackInfo';

/** U+202E RIGHT-TO-LEFT OVERRIDE: reverses the text after it until something ends it. */
const RLO = '\u202e';

test('hostile markdown in a description runs nothing', async ({ page }) => {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const response = await page.goto(`/proposals/${stack().proposals.xss}`);
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
  expect(response?.headers()['x-frame-options']).toBe('DENY');

  const description = page.getByTestId('description');
  await expect(description).toContainText('known XSS payloads');
  // Give autofocus, onload and refresh payloads their chance.
  await page.waitForTimeout(1000);
  await description
    .getByRole('link')
    .first()
    .click({ trial: true })
    .catch(() => {});
  for (const link of await description.getByRole('link').all()) await link.hover();

  expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();
  expect(dialogs).toEqual([]);
  expect(page.url()).toContain(`/proposals/${stack().proposals.xss}`);
  const dangerous = await description.evaluate((root) => {
    const found: string[] = [];
    for (const el of root.querySelectorAll('*')) {
      if (
        ['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'STYLE', 'FORM', 'SVG', 'MATH', 'META'].includes(
          el.tagName.toUpperCase(),
        )
      ) {
        found.push(el.tagName);
      }
      for (const attr of el.attributes) {
        if (attr.name.startsWith('on') || attr.name === 'style')
          found.push(`${el.tagName}[${attr.name}]`);
        if (/^\s*javascript:/i.test(attr.value))
          found.push(`${el.tagName}[${attr.name}=javascript:]`);
      }
    }
    return found;
  });
  expect(dangerous).toEqual([]);
  await shot(page, 'xss-proposal');
});

test('links in a description go only to absolute http(s) and mailto addresses', async ({
  page,
}) => {
  await page.goto(`/proposals/${stack().proposals.xss}`);
  const description = page.getByTestId('description');
  await expect(description).toContainText('Links that must lose their target');
  const hrefs = await description
    .locator('a')
    .evaluateAll((links) => links.map((a) => a.getAttribute('href')).filter((h) => h !== null));
  expect(hrefs).toContain('https://charter.example/safe');
  for (const href of hrefs) expect(href).toMatch(/^(https?:\/\/[^/\\]|mailto:)/i);
  // The links' words are still there, as text.
  await expect(description.getByText('protocol-relative', { exact: true })).toBeVisible();
  await expect(description.getByRole('link', { name: 'protocol-relative' })).toHaveCount(0);
});

test('a right-to-left override in a vote reason or a title reorders nothing around it', async ({
  page,
}) => {
  const { rpcUrl, deployment, proposals } = stack();
  const chain = new DevChain(rpcUrl, deployment);
  // Bob has delegated his tokens away: a vote of no weight, but its reason shows like any other.
  const reason = `Looks fine to me ${RLO}and these words run backwards`;
  await chain.vote(anvilPrivateKey(2), BigInt(proposals.revoke), 2, reason);
  const title = `Fund the ${RLO}evil plan`;
  const id = await chain.propose(
    anvilPrivateKey(1),
    [
      action(deployment.contracts.modelRegistry, modelRegistryAbi, 'deprecate', [
        stack().models.v2 as `0x${string}`,
      ]),
    ],
    `# ${title}\n\nA title with a right-to-left override.`,
  );

  for (const path of [`/proposals/${proposals.revoke}`, `/proposals/${id}`, '/proposals', '/']) {
    await page.goto(path);
    await expect(page.locator('body')).toContainText(RLO, { timeout: 15_000 });
    // Every piece of text holding a bidi control sits inside an isolating element, so the control
    // ends with it: the page's own words, numbers and addresses around it keep their order.
    const leaks = await page.evaluate(() => {
      const controls = /[\u202a-\u202e\u2066-\u2069]/;
      const found: string[] = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        // SvelteKit's hydration data holds the same text, as script: not rendered.
        if (node.parentElement?.closest('script, style, template')) continue;
        // Text the app wrapped in first-strong isolates (where <bdi> cannot go) is isolated already.
        const text = (node.textContent ?? '').replace(/\u2068[^\u2068\u2069]*\u2069/g, '');
        if (!controls.test(text)) continue;
        let isolated = false;
        for (let el = node.parentElement; el && el !== document.body; el = el.parentElement) {
          const bidi = getComputedStyle(el).unicodeBidi;
          if (['isolate', 'isolate-override', 'plaintext'].includes(bidi)) {
            isolated = true;
            break;
          }
          if (getComputedStyle(el).display !== 'inline') break;
        }
        if (!isolated) found.push(`${node.parentElement?.tagName}: ${node.textContent?.trim()}`);
      }
      return found;
    });
    expect(leaks, path).toEqual([]);
  }
  await page.goto(`/proposals/${id}`);
  expect(await page.title()).toBe(`\u2068${title}\u2069 — Charter`);
});
