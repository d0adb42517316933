import { nextTick, watch, type WatchSource } from 'vue'
import { showConfirmDialog, type DialogOptions, type OverlayProps } from 'vant'

/**
 * Focus for modal dialogs (WCAG 2.4.3): a dialog takes focus when it opens, keeps Tab inside,
 * and gives focus back to the control that opened it when it closes.
 */
const FOCUSABLE = [
  'a[href]',
  'button:not([disabled])',
  'input:not([disabled]):not([type=hidden])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  '[tabindex]:not([tabindex="-1"])',
].join(',')

const FIELD = 'input:not([disabled]):not([type=hidden]):not([readonly]), select:not([disabled]), textarea:not([disabled]):not([readonly])'

function shown(el: HTMLElement): boolean {
  return !el.closest('[aria-hidden=true], [inert]') && getComputedStyle(el).display !== 'none'
}

/** The elements inside `root` that Tab stops at, in order. */
export function focusableIn(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(shown)
}

/** The first field one types or picks in, if `root` holds one. */
export function firstFieldIn(root: HTMLElement): HTMLElement | null {
  return [...root.querySelectorAll<HTMLElement>(FIELD)].find(shown) ?? null
}

/** Keeps Tab and Shift+Tab inside `root`, wrapping at either end. */
export function keepTabInside(event: KeyboardEvent, root: HTMLElement): void {
  if (event.key !== 'Tab') return
  const stops = focusableIn(root)
  const first = stops[0]
  const last = stops.at(-1)
  if (!first || !last) return
  const active = document.activeElement
  if (event.shiftKey && (active === first || !root.contains(active))) {
    event.preventDefault()
    last.focus()
  } else if (!event.shiftKey && (active === last || !root.contains(active))) {
    event.preventDefault()
    first.focus()
  }
}

/** Remembers what has focus now; the returned function gives it focus again if it is still on the page. */
export function rememberFocus(): () => void {
  const opener = document.activeElement
  return () => {
    if (opener instanceof HTMLElement && opener !== document.body && opener.isConnected) opener.focus()
  }
}

/**
 * Props for a modal's backdrop: a tap on it still closes the modal, but it is no control of its own
 * (the kit makes it an unnamed button); the modal's own close or cancel button is.
 */
export const QUIET_OVERLAY: Partial<OverlayProps> & Record<string, unknown> = {
  role: undefined,
  tabindex: undefined,
  'aria-hidden': 'true',
}

/**
 * While `show` is true a modal has focus: `target` (if any) takes it once the modal is drawn, and
 * what had it before gets it back when `show` turns false again.
 */
export function useModalFocus(show: WatchSource<boolean>, target: () => HTMLElement | null | undefined = () => null): void {
  let restore: (() => void) | null = null
  watch(
    show,
    async (open) => {
      if (!open) {
        restore?.()
        restore = null
        return
      }
      restore = rememberFocus()
      await nextTick()
      target()?.focus()
    },
    { immediate: true },
  )
}

/**
 * Names one of the kit's dialogs by its title (WCAG 4.1.2). The kit points aria-labelledby at the
 * title's text rather than at an id, which names nothing; bind these attributes on the dialog.
 */
export function dialogName(title: string): Record<string, string | undefined> {
  return { 'aria-label': title, 'aria-labelledby': undefined, 'aria-modal': 'true' }
}

/**
 * The kit's confirm dialog, named by its title, with focus back on the control that asked once it
 * closes. Resolves on confirm and rejects with 'cancel' as the kit's does.
 */
export async function confirmDialog(options: DialogOptions & { title: string }): Promise<void> {
  const restore = rememberFocus()
  try {
    await showConfirmDialog({ ...options, ...dialogName(options.title) })
  } finally {
    restore()
  }
}
