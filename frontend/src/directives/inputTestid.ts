import type { Directive } from 'vue'

/**
 * Puts a data-testid on the <input>/<textarea> inside a component such as
 * van-field, whose own attributes land on its wrapper; browser tests fill the
 * control itself.
 */
export const vInputTestid: Directive<HTMLElement, string> = {
  mounted(el, binding) {
    const control = el.matches('input, textarea') ? el : el.querySelector('input, textarea')
    control?.setAttribute('data-testid', binding.value)
  },
}
