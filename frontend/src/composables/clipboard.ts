/**
 * Puts `text` on the clipboard. Where the browser refuses (no HTTPS, an old
 * WebView, no permission), the text inside `fallback` is selected instead and
 * the old copy command tried, so a long press or the system menu copies it.
 * Resolves to whether the text reached the clipboard.
 */
export async function copyText(text: string, fallback?: HTMLElement | null): Promise<boolean> {
  const clipboard = typeof navigator === 'undefined' ? undefined : navigator.clipboard
  if (clipboard?.writeText) {
    const copied = await clipboard.writeText(text).then(
      () => true,
      () => false,
    )
    if (copied) return true
  }
  if (!fallback) return false
  selectContents(fallback)
  return typeof document.execCommand === 'function' && document.execCommand('copy')
}

/** Selects everything inside `el`, as a long press would. */
export function selectContents(el: HTMLElement): void {
  const selection = window.getSelection()
  if (!selection) return
  const range = document.createRange()
  range.selectNodeContents(el)
  selection.removeAllRanges()
  selection.addRange(range)
}
