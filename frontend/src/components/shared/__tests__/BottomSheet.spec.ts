import { afterEach, describe, expect, it } from 'vitest'
import { defineComponent, h, nextTick, ref } from 'vue'
import { mount } from '@vue/test-utils'
import { i18n } from '@/i18n'
import BottomSheet from '@/components/shared/BottomSheet.vue'

afterEach(() => {
  document.body.innerHTML = ''
})

function mountSheet(show: boolean, content: () => ReturnType<typeof h> = () => h('form', { 'data-testid': 'compound-form' })) {
  return mount(BottomSheet, {
    props: { show, title: 'New compound', testid: 'compound-sheet' },
    slots: { default: content },
    global: { plugins: [i18n] },
    attachTo: document.body,
  })
}

/** A page with a button that opens a sheet holding one field, as the app's views use it. */
const Page = defineComponent({
  props: { withField: { type: Boolean, default: true } },
  setup(props) {
    const open = ref(false)
    return () =>
      h('main', [
        h('button', { 'data-testid': 'opener', onClick: () => (open.value = true) }, 'Open'),
        h(
          BottomSheet,
          { show: open.value, title: 'New compound', 'onUpdate:show': (v: boolean) => (open.value = v) },
          { default: () => (props.withField ? h('input', { 'data-testid': 'name-input' }) : h('p', 'Read only')) },
        ),
      ])
  },
})

async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await nextTick()
}

const dialog = () => document.querySelector<HTMLElement>('[role="dialog"]')
const closeButton = () => document.querySelector<HTMLButtonElement>('[data-testid="sheet-close"]')

describe('BottomSheet', () => {
  it('shows its title above the form it holds while open', async () => {
    mountSheet(true)
    await nextTick()
    const sheet = document.querySelector<HTMLElement>('[data-testid="compound-sheet"]')
    expect(sheet?.querySelector('h2')?.textContent).toBe('New compound')
    expect(sheet?.querySelector('[data-testid="compound-form"]')).not.toBeNull()
  })

  it('shows nothing while closed', async () => {
    mountSheet(false)
    await nextTick()
    expect(document.querySelector('[data-testid="compound-form"]')).toBeNull()
  })

  it('is a modal dialog named by its title', async () => {
    mountSheet(true)
    await nextTick()
    const el = dialog()
    expect(el?.getAttribute('aria-modal')).toBe('true')
    const titleId = el?.getAttribute('aria-labelledby')
    expect(titleId).toBeTruthy()
    expect(document.getElementById(titleId ?? '')?.textContent).toBe('New compound')
    expect(document.getElementById(titleId ?? '')?.tagName).toBe('H2')
  })

  it('has a close button of its own with a name, and the backdrop is no unnamed control', async () => {
    i18n.global.locale.value = 'en'
    mountSheet(true)
    await nextTick()
    expect(closeButton()?.tagName).toBe('BUTTON')
    expect(closeButton()?.getAttribute('aria-label')).toBe('Close')
    expect(document.querySelector('.van-popup__close-icon')).toBeNull()
    expect(document.querySelector('.van-overlay')?.getAttribute('role')).toBeNull()
    i18n.global.locale.value = 'zh-CN'
  })

  it('tells its owner when the user closes it with its button', async () => {
    const wrapper = mountSheet(true)
    await nextTick()
    closeButton()?.click()
    await nextTick()
    expect(wrapper.emitted('update:show')?.at(-1)).toEqual([false])
  })

  it('closes on Escape', async () => {
    const wrapper = mountSheet(true)
    await nextTick()
    dialog()?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))
    await nextTick()
    expect(wrapper.emitted('update:show')?.at(-1)).toEqual([false])
  })

  it('moves focus to its first field when it opens and back to the opener when it closes', async () => {
    mount(Page, { global: { plugins: [i18n] }, attachTo: document.body })
    const opener = document.querySelector<HTMLButtonElement>('[data-testid="opener"]')
    opener?.focus()
    opener?.click()
    await settle()
    expect(document.activeElement).toBe(document.querySelector('[data-testid="name-input"]'))
    dialog()?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))
    await settle()
    expect(document.activeElement).toBe(opener)
  })

  it('moves focus to its close button when it holds no field', async () => {
    mount(Page, { props: { withField: false }, global: { plugins: [i18n] }, attachTo: document.body })
    document.querySelector<HTMLButtonElement>('[data-testid="opener"]')?.click()
    await settle()
    expect(document.activeElement).toBe(closeButton())
  })

  it('keeps Tab inside: from its last control Tab goes back to the first', async () => {
    mount(Page, { global: { plugins: [i18n] }, attachTo: document.body })
    document.querySelector<HTMLButtonElement>('[data-testid="opener"]')?.click()
    await settle()
    const input = document.querySelector<HTMLInputElement>('[data-testid="name-input"]')
    input?.focus()
    input?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', bubbles: true, cancelable: true }))
    expect(document.activeElement).toBe(closeButton())
    closeButton()?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', shiftKey: true, bubbles: true, cancelable: true }))
    expect(document.activeElement).toBe(input)
  })
})
