import type { Locator, Page } from 'playwright-core';

// A person who uses the keyboard only: Tab and Shift+Tab to move, Enter and Space to act, typing into the
// focused field. Where they want to go is named by accessible name (getByRole, getByLabel), so the walk fails
// when a control cannot be reached by Tab or its name changes, not when the markup is rearranged. Every control
// that receives focus on the way must show it (WCAG 2.4.7): an outline or a box-shadow, noted and reported
// together at the end so one run shows all of them.

/** How many Tabs a walk may take before it gives up: the longest form (posting) has about 40 stops. */
const MAX_TABS = 80;

export class KeyboardUser {
  /** Controls that had focus without a visible outline or box-shadow, as "where: what". */
  readonly invisibleFocus: string[] = [];

  constructor(readonly page: Page) {}

  /**
   * Presses Tab (or Shift+Tab) until `target` has focus. Fails once focus has gone round the whole page (or after
   * `maxTabs`) with the list of what got focus, so a control out of the tab order, or a renamed one, is named in
   * the failure.
   */
  async tabTo(target: Locator, options: { backwards?: boolean; maxTabs?: number } = {}): Promise<void> {
    const focused = target.and(this.page.locator(':focus'));
    const seen: string[] = [];
    const limit = options.maxTabs ?? MAX_TABS;
    for (let presses = 0; presses < limit; presses++) {
      await this.page.keyboard.press(options.backwards ? 'Shift+Tab' : 'Tab');
      const focus = await this.focusedElement(presses === 0);
      if (!focus) continue; // past the last control the document itself has focus for one press
      if (focus.roundTrip) break;
      seen.push(focus.description);
      if (!focus.visible) this.invisibleFocus.push(`${new URL(this.page.url()).pathname}: ${focus.description}`);
      if ((await focused.count()) > 0) return;
    }
    throw new Error(
      `${options.backwards ? 'Shift+Tab' : 'Tab'} on ${this.page.url()} never reached ${target.toString()}.\n` +
        `Focus went to:\n  ${seen.join('\n  ')}`,
    );
  }

  /** Tabs to the field and types into it (what it held stays: the forms of the loop start empty). A select picks by typing. */
  async typeInto(field: Locator, text: string): Promise<void> {
    await this.tabTo(field);
    await this.page.keyboard.type(text);
  }

  /** Tabs to a link or button and presses Enter; waits for the page it opens when it opens one. */
  async activate(target: Locator, expectedUrl?: RegExp): Promise<void> {
    await this.tabTo(target);
    await Promise.all([expectedUrl ? this.page.waitForURL(expectedUrl) : undefined, this.page.keyboard.press('Enter')]);
    await this.page.waitForLoadState('load');
  }

  /** Tabs to a checkbox or radio button and presses Space. */
  async toggle(target: Locator): Promise<void> {
    await this.tabTo(target);
    await this.page.keyboard.press('Space');
  }

  /** What has focus now; `roundTrip` when it is the element that had it first in this walk (`first`: this is the first). */
  private focusedElement(first: boolean): Promise<{ description: string; visible: boolean; roundTrip: boolean } | null> {
    return this.page.evaluate((first) => {
      const element = document.activeElement as HTMLElement | null;
      if (!element || element === document.body || element === document.documentElement) return null;
      const walk = window as unknown as { firstFocusOfWalk?: Element };
      if (first || !walk.firstFocusOfWalk) walk.firstFocusOfWalk = element;
      else if (walk.firstFocusOfWalk === element) return { description: '', visible: true, roundTrip: true };
      const label =
        element.getAttribute('aria-label') ??
        (element as HTMLInputElement).labels?.[0]?.textContent ??
        (element.textContent || (element as HTMLInputElement).value || element.getAttribute('name') || '');
      const role = element.getAttribute('role') ?? element.tagName.toLowerCase();
      const type = element.getAttribute('type');
      const style = getComputedStyle(element);
      const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
      const shadow = style.boxShadow !== 'none' && style.boxShadow !== '';
      // A date field has Tab stops inside Chromium's own control (day, month, year, the calendar button); on the
      // calendar button the field itself is no longer :focus, and the ring is Chromium's to draw, not our CSS's.
      const insideBrowserControl = !element.matches(':focus');
      return {
        description: `${role}${type ? `[${type}]` : ''} "${label.replace(/\s+/g, ' ').trim().slice(0, 80)}"`,
        visible: outline || shadow || insideBrowserControl,
        roundTrip: false,
      };
    }, first);
  }
}
