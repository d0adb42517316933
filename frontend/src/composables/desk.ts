import { readonly, ref, type Ref } from 'vue'

/** The width from which staff pages use a desk layout: a side navigation and wide tables. */
export const DESK_QUERY = '(min-width: 1024px)'

const desk = ref(false)
let watching = false

/** Whether the window is desk-wide now; follows resizes. False where there is no window (tests). */
export function useDesk(): Readonly<Ref<boolean>> {
  if (!watching && typeof window !== 'undefined' && typeof window.matchMedia === 'function') {
    watching = true
    const media = window.matchMedia(DESK_QUERY)
    desk.value = media.matches
    media.addEventListener('change', (e) => {
      desk.value = e.matches
    })
  }
  return readonly(desk)
}
