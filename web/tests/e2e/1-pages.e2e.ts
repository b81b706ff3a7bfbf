import { expect, test } from '@playwright/test';

import { open } from './open';
import { shot } from './shot';
import { stack } from './stackInfo';

test.describe('every main page renders against the real stack', () => {
  test('overview, lists and details', async ({ page }) => {
    const { proposals, models, accounts } = stack();
    const pages: [string, string, RegExp][] = [
      ['overview', '/', /Overview/],
      ['proposals', '/proposals', /Proposals/],
      ['proposal', `/proposals/${proposals.approve}`, /Approve mail-guard v2/],
      ['proposal-active', `/proposals/${proposals.revoke}`, /Revoke mail-guard v1/],
      ['new-proposal', '/proposals/new', /New proposal/],
      ['new-proposal-policy', '/proposals/new?kind=set-policy', /New proposal/],
      ['models', '/models', /Models/],
      ['model', `/models/${models.v2}`, /mail-guard/],
      ['policies', '/policies', /Policies/],
      ['evaluations', '/evaluations', /Evaluations/],
      ['submit-result', '/evaluations/submit', /Submit a result/],
      ['delegates', '/delegates', /Delegates/],
      ['account', `/account/${accounts[1]}`, /Account/],
    ];
    for (const [name, path, heading] of pages) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
      await shot(page, name);
    }
  });

  test('the proposal page shows evidence, actions and votes', async ({ page }) => {
    const { proposals } = stack();
    await page.goto(`/proposals/${proposals.approve}`);
    await expect(page.getByTestId('would-execute')).toContainText('Execution would succeed now');
    await expect(
      page.getByRole('heading', { name: /Rule 3: robustness · recall ≥ 0.85/ }),
    ).toBeVisible();
    await page.getByText('Raw calldata').first().click();
    await expect(page.locator('.calldata').first()).toContainText('0x');

    await page.goto(`/proposals/${proposals.revoke}`);
    await expect(page.getByTestId('votes')).toContainText('v1 fails every rule of mail-safety');
  });

  test('an approval says in words what it is pinned to, on its form and on its proposal', async ({
    page,
  }) => {
    const { proposals, models } = stack();
    await page.goto(`/proposals/${proposals.approve}`);
    const terms = page.getByTestId('approval-terms');
    await expect(terms).toContainText(
      'Approves mail-guard v2 under policy mail-safety version 2, the policy that governs the family.',
    );
    await expect(terms).toContainText('The family had no current version when it was proposed.');
    await expect(terms).toContainText(/can execute from .* UTC until .* UTC \(expires in 29 d/);
    await expect(page.getByTestId('approval-blockers')).toHaveCount(0);

    // The form fills the family's policy, its active version and the current version itself.
    await open(page, `/proposals/new?kind=approve-model&model=${models.v2}`);
    const filled = page.getByTestId('approval-terms');
    await expect(filled).toContainText('mail-guard');
    await expect(filled).toContainText('mail-safety version 2');
    await expect(filled).toContainText('no current version');
    await expect(page.getByTestId('action-words')).toContainText(
      "Approve mail-guard v2 under policy mail-safety version 2 (the family's), the family has no current version; it can execute until",
    );
    await page.getByLabel('The approval can execute for (days)').fill('3');
    await expect(
      page.getByText(/The approval would expire before the proposal can execute/),
    ).toBeVisible();
    await shot(page, 'new-proposal-approval');
  });

  test('the model page gives each evaluator one look on every chart, and readable time axes', async ({
    page,
  }) => {
    const { models } = stack();
    await page.goto(`/models/${models.v2}`);
    const charts = await page.locator('figure.chart').evaluateAll((figures) =>
      figures.map((figure) => ({
        legend: [...figure.querySelectorAll('.legend li')].map((li) => ({
          name: li.textContent?.trim() ?? '',
          look: `${li.querySelector('svg')?.getAttribute('fill')} ${li.querySelector('svg > *')?.tagName}`,
        })),
        xLabels: [...figure.querySelectorAll('text.x-label')].map((t) => t.textContent ?? ''),
        markers: [...figure.querySelectorAll('g.point > :not(title)')].map(
          (m) => `${m.getAttribute('cx') ?? m.getAttribute('x') ?? m.getAttribute('points')}`,
        ),
      })),
    );
    expect(charts.length).toBeGreaterThanOrEqual(6);
    const looks = new Map<string, string>();
    for (const chart of charts) {
      for (const { name, look } of chart.legend) {
        expect(looks.get(name) ?? look, `${name} looks the same on every chart`).toBe(look);
        looks.set(name, look);
      }
      expect(new Set(chart.xLabels).size, chart.xLabels.join(' | ')).toBe(chart.xLabels.length);
      // Both evaluators posted the same values: every marker is still drawn somewhere of its own.
      expect(new Set(chart.markers).size).toBe(chart.markers.length);
    }
    expect(new Set(looks.values()).size).toBe(looks.size);
  });

  test('reading works without JavaScript', async ({ browser }) => {
    const { proposals } = stack();
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`/proposals/${proposals.revoke}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Revoke mail-guard v1/);
    await expect(page.getByTestId('votes')).toContainText('Abstaining');
    await page.goto('/proposals?state=active');
    await expect(page.getByRole('link', { name: /Revoke mail-guard v1/ })).toBeVisible();
    await page.goto('/models');
    await page.getByLabel('Status').selectOption('candidate');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect(page).toHaveURL(/status=candidate/);
    await context.close();
  });

  test('a phone-width screen', async ({ browser }) => {
    const { proposals, models } = stack();
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`/proposals/${proposals.approve}`);
    await shot(page, 'phone-proposal');
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await page.goto(`/models/${models.v2}`);
    await shot(page, 'phone-model');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`/proposals/${proposals.revoke}`);
    await shot(page, 'phone-dark-proposal');
    await context.close();
  });
});
