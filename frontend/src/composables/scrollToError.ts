import { nextTick } from 'vue'

/** Space left between the fixed nav bar and the field brought into view. */
const GAP = 12

/**
 * Brings the first field marked as wrong inside `root` into view, just below
 * the fixed header (whose height grows in large-text mode), and moves the
 * keyboard focus to it. Waits for the messages to render first.
 */
export async function scrollToFirstError(root: ParentNode = document, selector = '.van-field__error-message, [data-error="true"]'): Promise<void> {
  await nextTick()
  const hit = root.querySelector<HTMLElement>(selector)
  if (!hit) return
  const field = hit.closest<HTMLElement>('.van-field, .van-cell') ?? hit
  const bar = document.querySelector('.sf-header')
  const below = bar ? bar.getBoundingClientRect().bottom : 0
  const top = field.getBoundingClientRect().top + window.scrollY - below - GAP
  window.scrollTo({ top: Math.max(top, 0) })
  const target = field.matches('[tabindex]') ? field : (field.querySelector<HTMLElement>('input, textarea, button, [tabindex]') ?? field)
  target.focus({ preventScroll: true })
}
