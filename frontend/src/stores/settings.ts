import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import { client } from '@/api/client'
import type { Me } from '@/api/types'
import { isAppLocale, isLoaded, loadLocale, useLocale, type AppLocale } from '@/i18n'
import { useAuthStore } from '@/stores/auth'

export const SETTINGS_KEY = 'sanfang.settings'
export const LARGE_TEXT_CLASS = 'sf-large-text'

interface Saved {
  locale?: AppLocale
  largeText?: boolean
}

function readSaved(): Saved {
  const raw = localStorage.getItem(SETTINGS_KEY)
  if (!raw) return {}
  try {
    const parsed: unknown = JSON.parse(raw)
    if (typeof parsed !== 'object' || parsed === null) return {}
    const saved: Saved = {}
    if ('locale' in parsed && isAppLocale(parsed.locale)) saved.locale = parsed.locale
    if ('largeText' in parsed && typeof parsed.largeText === 'boolean') saved.largeText = parsed.largeText
    return saved
  } catch (e) {
    console.warn('settings: ignoring unreadable saved settings', e)
    return {}
  }
}

export const useSettingsStore = defineStore('settings', () => {
  const saved = readSaved()
  const locale = ref<AppLocale>(saved.locale ?? 'zh-CN')
  const largeText = ref<boolean>(saved.largeText ?? false)

  function apply(): void {
    const chosen = locale.value
    if (isLoaded(chosen)) useLocale(chosen)
    else
      loadLocale(chosen)
        .then(() => {
          if (locale.value === chosen) useLocale(chosen)
        })
        .catch((e: unknown) => console.error('settings: the language could not be loaded', e))
    const root = document.documentElement
    root.classList.toggle(LARGE_TEXT_CLASS, largeText.value)
    localStorage.setItem(SETTINGS_KEY, JSON.stringify({ locale: locale.value, largeText: largeText.value }))
  }

  watch([locale, largeText], apply, { immediate: true, flush: 'sync' })

  const auth = useAuthStore()
  /** The request saving a language on the account, while it is under way. */
  let saving: Promise<void> | null = null

  async function save(value: AppLocale): Promise<void> {
    const request = client.PUT('/api/v1/me/language', { body: { language: value } }).then(() => undefined)
    saving = request
    try {
      await request
    } finally {
      if (saving === request) saving = null
    }
  }

  /** Resolves once the account keeps the language being saved, if one is, so what is read next comes in it. */
  function languageSaved(): Promise<void> {
    return (saving ?? Promise.resolve()).catch(() => undefined)
  }

  /** Switches the language; a signed-in reader's account keeps it, so the server writes in it on every device. */
  async function setLocale(value: AppLocale): Promise<void> {
    locale.value = value
    if (auth.isLoggedIn) await save(value)
  }

  /** Takes the account's saved language, or saves this browser's on an account that has none. */
  async function adoptAccount(me: Me): Promise<void> {
    // Read while a choice was being saved, the account may still hold the language before it.
    if (saving) return
    if (isAppLocale(me.language)) locale.value = me.language
    else await save(locale.value)
  }

  watch(
    () => auth.me,
    (me) => {
      if (me) adoptAccount(me).catch((e: unknown) => console.warn('settings: the language was not saved on the account', e))
    },
  )

  function setLargeText(value: boolean): void {
    largeText.value = value
  }

  return { locale, largeText, setLocale, setLargeText, languageSaved }
})
