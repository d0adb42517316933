/**
 * The UI kit draws radios, checkboxes, switches, tabs and clickable cells as elements with an
 * ARIA role and a tab stop, but answers only a click. This makes Space and Enter press them,
 * as they press a native control (WCAG 2.1.1), for the whole app at once.
 */
const PRESSABLE = '[role=radio], [role=checkbox], [role=switch], [role=tab], [role=button], [role=option], [role=menuitem]'

/** Whether a key press on `target` should act as a click on it. */
export function pressedByKey(event: KeyboardEvent): HTMLElement | null {
  if (event.key !== ' ' && event.key !== 'Enter') return null
  if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return null
  const target = event.target
  if (!(target instanceof HTMLElement)) return null
  // Native controls and links already answer the keyboard.
  if (target.closest('button, a[href], input, select, textarea, [contenteditable=true]') !== null) return null
  if (!target.matches(PRESSABLE) || target.getAttribute('aria-disabled') === 'true') return null
  return target
}

export function installKeyboardPress(root: Document = document): void {
  root.addEventListener('keydown', (event) => {
    const target = pressedByKey(event)
    if (!target) return
    event.preventDefault()
    target.click()
  })
}
