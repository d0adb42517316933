import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import { Locale as VantLocale } from 'vant'
import vantEn from 'vant/es/locale/lang/en-US'
import vantZh from 'vant/es/locale/lang/zh-CN'
import { i18n, isAppLocale, type AppLocale } from '@/i18n'

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
    i18n.global.locale.value = locale.value
    if (locale.value === 'en') VantLocale.use('en-US', vantEn)
    else VantLocale.use('zh-CN', vantZh)
    const root = document.documentElement
    root.lang = locale.value
    root.classList.toggle(LARGE_TEXT_CLASS, largeText.value)
    localStorage.setItem(SETTINGS_KEY, JSON.stringify({ locale: locale.value, largeText: largeText.value }))
  }

  watch([locale, largeText], apply, { immediate: true, flush: 'sync' })

  function setLocale(value: AppLocale): void {
    locale.value = value
  }

  function setLargeText(value: boolean): void {
    largeText.value = value
  }

  return { locale, largeText, setLocale, setLargeText }
})
