import { beforeEach, describe, expect, it } from 'vitest'
import { nextTick } from 'vue'
import { createPinia, setActivePinia } from 'pinia'
import { mount } from '@vue/test-utils'
import DisplaySettings from '@/components/DisplaySettings.vue'
import { i18n } from '@/i18n'
import { LARGE_TEXT_CLASS, SETTINGS_KEY, useSettingsStore } from '@/stores/settings'

beforeEach(() => {
  localStorage.clear()
  document.documentElement.className = ''
  setActivePinia(createPinia())
})

describe('settings store', () => {
  it('large text puts the class on <html> and survives a reload', () => {
    const settings = useSettingsStore()
    expect(document.documentElement.classList.contains(LARGE_TEXT_CLASS)).toBe(false)

    settings.setLargeText(true)

    expect(document.documentElement.classList.contains(LARGE_TEXT_CLASS)).toBe(true)
    expect(JSON.parse(localStorage.getItem(SETTINGS_KEY) ?? '{}')).toMatchObject({ largeText: true })

    // A fresh page: the class comes back from storage.
    document.documentElement.className = ''
    setActivePinia(createPinia())
    expect(useSettingsStore().largeText).toBe(true)
    expect(document.documentElement.classList.contains(LARGE_TEXT_CLASS)).toBe(true)
  })

  it('switching the language changes the messages and the page language', () => {
    const settings = useSettingsStore()
    expect(i18n.global.t('nav.settings')).toBe('设置')

    settings.setLocale('en')

    expect(i18n.global.t('nav.settings')).toBe('Settings')
    expect(document.documentElement.lang).toBe('en')
    settings.setLocale('zh-CN')
    expect(document.documentElement.lang).toBe('zh-CN')
  })

  it('ignores garbage in storage', () => {
    localStorage.setItem(SETTINGS_KEY, '{"locale":"xx","largeText":"yes"}')
    const settings = useSettingsStore()
    expect(settings.locale).toBe('zh-CN')
    expect(settings.largeText).toBe(false)
  })

  it('the large-text switch in the settings page turns the mode on', async () => {
    const pinia = createPinia()
    setActivePinia(pinia)
    const wrapper = mount(DisplaySettings, { global: { plugins: [pinia, i18n] } })

    await wrapper.get('[data-testid="large-text-switch"]').trigger('click')
    await nextTick()

    expect(useSettingsStore().largeText).toBe(true)
    expect(document.documentElement.classList.contains(LARGE_TEXT_CLASS)).toBe(true)
    wrapper.unmount()
  })
})
