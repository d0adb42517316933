import { loadLocale } from '@/i18n'

// The app loads the language in use before its first render; tests have both at hand.
await Promise.all([loadLocale('zh-CN'), loadLocale('en')])
