import { afterEach, describe, expect, it } from 'vitest'
import { h, nextTick } from 'vue'
import { mount } from '@vue/test-utils'
import { i18n } from '@/i18n'
import BottomSheet from '@/components/shared/BottomSheet.vue'

afterEach(() => {
  document.body.innerHTML = ''
})

function mountSheet(show: boolean) {
  return mount(BottomSheet, {
    props: { show, title: 'New compound', testid: 'compound-sheet' },
    slots: { default: () => h('form', { 'data-testid': 'compound-form' }) },
    global: { plugins: [i18n] },
    attachTo: document.body,
  })
}

describe('BottomSheet', () => {
  it('shows its title above the form it holds while open', async () => {
    mountSheet(true)
    await nextTick()
    const sheet = document.querySelector<HTMLElement>('[data-testid="compound-sheet"]')
    expect(sheet?.querySelector('.sf-sheet-title')?.textContent).toBe('New compound')
    expect(sheet?.querySelector('[data-testid="compound-form"]')).not.toBeNull()
  })

  it('shows nothing while closed', async () => {
    mountSheet(false)
    await nextTick()
    expect(document.querySelector('[data-testid="compound-form"]')).toBeNull()
  })

  it('tells its owner when the user closes it', async () => {
    const wrapper = mountSheet(true)
    await nextTick()
    document.querySelector<HTMLElement>('.van-popup__close-icon')?.click()
    await nextTick()
    expect(wrapper.emitted('update:show')?.at(-1)).toEqual([false])
  })
})
