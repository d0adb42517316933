import { beforeEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import { createPinia, setActivePinia } from 'pinia'
import { flushPromises, mount } from '@vue/test-utils'
import DisplaySettings from '@/components/DisplaySettings.vue'
import { i18n } from '@/i18n'
import { useAuthStore } from '@/stores/auth'
import { LARGE_TEXT_CLASS, SETTINGS_KEY, useSettingsStore } from '@/stores/settings'
import { apiError, json, me, mockFetch, tokens, type RecordedRequest } from '@/__tests__/helpers'

beforeEach(() => {
  localStorage.clear()
  vi.unstubAllGlobals()
  document.documentElement.className = ''
  setActivePinia(createPinia())
})

/** A server whose /me answers with the account's saved language; it records the language requests. */
function server(saved: string | null): RecordedRequest[] {
  return mockFetch((req) => {
    if (req.path === '/auth/login') return json(200, tokens(1))
    if (req.path === '/me') return json(200, { ...me(), language: saved })
    if (req.path === '/me/language') return new Response(null, { status: 204 })
    return apiError(404, 'not_found', 'no route')
  })
}

function languageCalls(calls: RecordedRequest[]): unknown[] {
  return calls.filter((c) => c.path === '/me/language').map((c) => [c.method, c.body])
}

describe('settings store and the account', () => {
  it('a signed-in reader’s choice is saved on the account, in the language chosen', async () => {
    const calls = server('zh-CN')
    useAuthStore().setTokens(tokens(1))
    const settings = useSettingsStore()

    await settings.setLocale('en')

    expect(languageCalls(calls)).toEqual([['PUT', { language: 'en' }]])
    expect(calls[0]?.headers.get('Accept-Language')).toBe('en')
  })

  it('a signed-out reader’s choice stays in the browser', async () => {
    const calls = server(null)
    const settings = useSettingsStore()

    await settings.setLocale('en')

    expect(calls).toEqual([])
    expect(settings.locale).toBe('en')
  })

  it('after sign-in the account’s saved language is adopted', async () => {
    const calls = server('en')
    const settings = useSettingsStore()
    expect(settings.locale).toBe('zh-CN')

    await useAuthStore().login('owner001', 'sanfang-demo')
    await flushPromises()

    expect(settings.locale).toBe('en')
    expect(i18n.global.t('nav.settings')).toBe('Settings')
    expect(languageCalls(calls)).toEqual([])
  })

  it('an account without a language is given the one the reader is using', async () => {
    const calls = server(null)
    const settings = useSettingsStore()
    await settings.setLocale('en')

    await useAuthStore().login('owner001', 'sanfang-demo')
    await flushPromises()

    expect(settings.locale).toBe('en')
    expect(languageCalls(calls)).toEqual([['PUT', { language: 'en' }]])
    // The sign-in itself went out in the reader's language, so its errors come back in it.
    expect(calls.find((c) => c.path === '/auth/login')?.headers.get('Accept-Language')).toBe('en')
  })

  it('a /me read while the choice is being saved does not undo it', async () => {
    let answer: (res: Response) => void = () => undefined
    mockFetch((req) => {
      if (req.path === '/me') return json(200, { ...me(), language: 'zh-CN' })
      return new Promise<Response>((resolve) => (answer = resolve))
    })
    const auth = useAuthStore()
    auth.setTokens(tokens(1))
    const settings = useSettingsStore()

    const choosing = settings.setLocale('en')
    await auth.loadMe()
    await flushPromises()
    answer(new Response(null, { status: 204 }))
    await choosing

    expect(settings.locale).toBe('en')
  })

  it('the language cell sends one request for one tap', async () => {
    const calls = server('zh-CN')
    const pinia = createPinia()
    setActivePinia(pinia)
    useAuthStore().setTokens(tokens(1))
    const wrapper = mount(DisplaySettings, { global: { plugins: [pinia, i18n] } })

    await wrapper.get('[data-testid="locale-en"]').trigger('click')
    await flushPromises()

    expect(useSettingsStore().locale).toBe('en')
    expect(languageCalls(calls)).toEqual([['PUT', { language: 'en' }]])
    wrapper.unmount()
  })
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
