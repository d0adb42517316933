import { createI18n } from 'vue-i18n'
import { Locale as VantLocale } from 'vant'
import vantZh from 'vant/es/locale/lang/zh-CN'
import MESSAGES from 'virtual:messages'
import type { MessageArea } from './locales/areas'
import type { MessageSchema } from './locales/zh-CN'

export type AppLocale = 'zh-CN' | 'en'
export const LOCALES: readonly AppLocale[] = ['zh-CN', 'en']

export function isAppLocale(value: unknown): value is AppLocale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}

// Messages come compiled, one language and one area of pages at a time (src/locales/areas.ts).
export const i18n = createI18n<[MessageSchema], AppLocale, false>({
  legacy: false,
  locale: 'zh-CN',
  fallbackLocale: 'zh-CN',
  messages: {} as Record<AppLocale, MessageSchema>,
})

/** Translate outside components (router guard, error reporting). */
export const t = i18n.global.t

type VantMessages = Parameters<typeof VantLocale.use>[1]

/** Vant's own texts in each language; the Chinese ones are its defaults, in the bundle anyway. */
const VANT: Record<AppLocale, () => Promise<VantMessages>> = {
  'zh-CN': () => Promise.resolve(vantZh),
  en: () => import('vant/es/locale/lang/en-US').then((m) => m.default),
}
const VANT_NAMES: Record<AppLocale, string> = { 'zh-CN': 'zh-CN', en: 'en-US' }
const vantLoaded = new Map<AppLocale, VantMessages>()

/** The areas the pages shown so far needed: switching language loads them all in the new one. */
const wanted = new Set<MessageArea>()
/** Loads under way or done, by `locale` (Vant's texts) and `locale/area`. */
const loading = new Map<string, Promise<void>>()
const done = new Set<string>()
/** The language shown, or the one being switched to. */
let target: AppLocale = 'zh-CN'

function once(key: string, load: () => Promise<void>): Promise<void> {
  let promise = loading.get(key)
  if (!promise) {
    promise = load().then(() => {
      done.add(key)
    })
    promise.catch(() => loading.delete(key))
    loading.set(key, promise)
  }
  return promise
}

function loadArea(locale: AppLocale, area: MessageArea): Promise<void> {
  // Every message is in `all`: once it is asked for, no area needs loading on its own.
  const all = loading.get(`${locale}/all`)
  if (all) return all
  return once(`${locale}/${area}`, () => MESSAGES[locale][area]().then((m) => i18n.global.mergeLocaleMessage(locale, m.default)))
}

/** Whether `locale`'s messages for the pages shown so far are here, so switching to it is immediate. */
export function isLoaded(locale: AppLocale): boolean {
  return vantLoaded.has(locale) && [...wanted].every((area) => done.has(`${locale}/${area}`) || done.has(`${locale}/all`))
}

/** Fetches `locale`'s messages for the pages shown so far, and Vant's; resolves when they are here. */
export function loadLocale(locale: AppLocale): Promise<void> {
  target = locale
  const vant = once(locale, () =>
    VANT[locale]().then((messages) => {
      vantLoaded.set(locale, messages)
    }),
  )
  const loads = Promise.all([vant, ...[...wanted].map((area) => loadArea(locale, area))]).then(() => undefined)
  loads.catch(() => {
    if (target === locale) target = i18n.global.locale.value
  })
  return loads
}

/** Fetches the messages of a page's area in the language shown (or being switched to). */
export function loadMessages(area: MessageArea): Promise<void> {
  wanted.add(area)
  return loadArea(target, area)
}

/** A part of a page loaded when it is first shown, for `defineAsyncComponent`, with the messages of its own `area`. */
export function withMessages<T>(area: MessageArea, load: () => Promise<T>): () => Promise<T> {
  return () => Promise.all([load(), loadMessages(area)]).then(([loaded]) => loaded)
}

/** Shows the app and Vant's own texts in `locale`, whose messages must be loaded. */
export function useLocale(locale: AppLocale): void {
  target = locale
  i18n.global.locale.value = locale
  const vant = vantLoaded.get(locale)
  if (vant) VantLocale.use(VANT_NAMES[locale], vant)
  document.documentElement.lang = locale
}
