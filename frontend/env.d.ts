/// <reference types="vite/client" />

declare module 'virtual:messages' {
  import type { AppLocale } from '@/i18n'
  import type { MessageArea } from '@/locales/areas'

  /** Each language's messages by area of pages, compiled to functions (plugins/messages.ts). */
  const messages: Record<AppLocale, Record<MessageArea, () => Promise<{ default: Record<string, unknown> }>>>
  export default messages
}
