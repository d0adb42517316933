import { loadLocale, loadMessages } from '@/i18n'

// The app loads the messages of the page shown in the reader's language; tests have all of both at hand.
await loadMessages('all')
await loadLocale('en')
await loadLocale('zh-CN')
