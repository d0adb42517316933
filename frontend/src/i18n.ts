import { createI18n } from 'vue-i18n'
import en from './locales/en'
import zhCN, { type MessageSchema } from './locales/zh-CN'

export type AppLocale = 'zh-CN' | 'en'
export const LOCALES: readonly AppLocale[] = ['zh-CN', 'en']

export function isAppLocale(value: unknown): value is AppLocale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}

export const i18n = createI18n<[MessageSchema], AppLocale, false>({
  legacy: false,
  locale: 'zh-CN',
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
})

/** Translate outside components (router guard, error reporting). */
export const t = i18n.global.t
