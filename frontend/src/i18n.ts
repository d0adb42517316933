import { createI18n } from 'vue-i18n'
import { Locale as VantLocale } from 'vant'
import vantZh from 'vant/es/locale/lang/zh-CN'
import type { MessageSchema } from './locales/zh-CN'

export type AppLocale = 'zh-CN' | 'en'
export const LOCALES: readonly AppLocale[] = ['zh-CN', 'en']

export function isAppLocale(value: unknown): value is AppLocale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}

// Only the language in use is loaded (each is its own chunk); the other comes when it is chosen.
export const i18n = createI18n<[MessageSchema], AppLocale, false>({
  legacy: false,
  locale: 'zh-CN',
  fallbackLocale: 'zh-CN',
  messages: {} as Record<AppLocale, MessageSchema>,
})

/** Translate outside components (router guard, error reporting). */
export const t = i18n.global.t

type VantMessages = Parameters<typeof VantLocale.use>[1]

/** The app's and Vant's messages of each language, and how to fetch them. */
const LOADERS: Record<AppLocale, () => Promise<[MessageSchema, VantMessages]>> = {
  // Vant's Chinese texts are its defaults, in the bundle anyway.
  'zh-CN': () => import('./locales/zh-CN').then((app) => [app.default, vantZh]),
  en: () => Promise.all([import('./locales/en'), import('vant/es/locale/lang/en-US')]).then(([app, vant]) => [app.default, vant.default]),
}
const VANT_NAMES: Record<AppLocale, string> = { 'zh-CN': 'zh-CN', en: 'en-US' }
const vantLoaded = new Map<AppLocale, VantMessages>()
const loading = new Map<AppLocale, Promise<void>>()

/** Whether `locale`'s messages are here, so switching to it is immediate. */
export function isLoaded(locale: AppLocale): boolean {
  return vantLoaded.has(locale)
}

/** Fetches `locale`'s messages once; resolves when they are here. */
export function loadLocale(locale: AppLocale): Promise<void> {
  let promise = loading.get(locale)
  if (!promise) {
    promise = LOADERS[locale]().then(([app, vant]) => {
      i18n.global.setLocaleMessage(locale, app)
      vantLoaded.set(locale, vant)
    })
    promise.catch(() => loading.delete(locale))
    loading.set(locale, promise)
  }
  return promise
}

/** Shows the app and Vant's own texts in `locale`, whose messages must be loaded. */
export function useLocale(locale: AppLocale): void {
  i18n.global.locale.value = locale
  const vant = vantLoaded.get(locale)
  if (vant) VantLocale.use(VANT_NAMES[locale], vant)
  document.documentElement.lang = locale
}
