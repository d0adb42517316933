import { afterEach, describe, expect, it } from 'vitest'
import { defineComponent, h, nextTick, ref } from 'vue'
import { mount } from '@vue/test-utils'
import { i18n } from '@/i18n'
import SelectField from '@/components/SelectField.vue'

afterEach(() => {
  document.body.innerHTML = ''
})

const Form = defineComponent({
  setup() {
    const value = ref<string | null>('b')
    return () =>
      h(SelectField<string>, {
        label: 'Category',
        options: [
          { text: 'Alpha', value: 'a' },
          { text: 'Beta', value: 'b' },
        ],
        modelValue: value.value,
        'onUpdate:modelValue': (v: string | null) => (value.value = v),
      })
  },
})

async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await nextTick()
}

describe('SelectField', () => {
  it('opens a picker named by its label that takes focus, and gives it back to the field on Escape', async () => {
    mount(Form, { global: { plugins: [i18n] }, attachTo: document.body })
    const field = document.querySelector<HTMLElement>('.sf-select')
    field?.focus()
    field?.click()
    await settle()
    const dialog = document.querySelector<HTMLElement>('[role="dialog"][aria-label="Category"]')
    expect(dialog?.getAttribute('aria-modal')).toBe('true')
    expect(dialog?.contains(document.activeElement)).toBe(true)
    expect(document.activeElement?.textContent).toContain('Beta')
    dialog?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))
    await settle()
    expect(document.activeElement).toBe(field)
  })
})
