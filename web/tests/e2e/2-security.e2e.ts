import { expect, test } from '@playwright/test';

import { stack } from './stackInfo';

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
  await page.screenshot({ path: 'screenshots/xss-proposal.png', fullPage: true });
});
