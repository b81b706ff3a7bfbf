import { expect, type Page } from '@playwright/test';

/**
 * Asserts that nothing on the page covers a control: every visible link, button and field in the viewport
 * is what the browser finds at its own centre. A toast or panel drawn over the reason box or the Submit,
 * Execute or timeline links fails this, wherever it is placed.
 */
export async function expectNoControlCovered(page: Page): Promise<void> {
  const covered = await page.evaluate(() => {
    const found: string[] = [];
    const controls = document.querySelectorAll<HTMLElement>(
      'a[href], button, input, textarea, select, summary, [tabindex]:not([tabindex="-1"])',
    );
    for (const control of controls) {
      const box = control.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      const x = box.left + box.width / 2;
      const y = box.top + box.height / 2;
      if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) continue;
      const top = document.elementFromPoint(x, y);
      if (top && top !== control && !control.contains(top) && !top.contains(control)) {
        const name = (control.textContent || control.getAttribute('aria-label') || control.id)
          .trim()
          .slice(0, 40);
        found.push(`${control.tagName.toLowerCase()} "${name}" under ${top.tagName.toLowerCase()}`);
      }
    }
    return found;
  });
  expect(covered).toEqual([]);
}
