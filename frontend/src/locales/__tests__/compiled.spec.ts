import { describe, expect, it } from 'vitest'
import { createI18n } from 'vue-i18n'
import { messagesModule } from '../../../plugins/messages'
import { i18n } from '@/i18n'
import type { MessageTree } from '@/locales/areas'

/** `tree` as the browser gets it: the module the build writes, run. */
function compiled(tree: MessageTree): Record<string, unknown> {
  const code = messagesModule(tree, 'the test').replace('export default', 'return')
  return new Function(code)() as Record<string, unknown>
}

describe('compiled messages', () => {
  const tree = {
    greet: 'Hello, {name}!',
    people: 'no one | one person | {count} people',
    back: 'Back',
    goBack: '@:back to the list',
    braces: "a {'{'}literal{'}'}",
  }
  // Loaded as the app loads them, into an instance of vue-i18n of its own.
  const local = createI18n({ legacy: false, locale: 'en' })
  local.global.mergeLocaleMessage('en', compiled(tree))
  const { t } = local.global

  it('keep placeholders, plural forms and links, with no compiler in the bundle', () => {
    expect(t('greet', { name: 'Li' })).toBe('Hello, Li!')
    expect(t('people', 0)).toBe('no one')
    expect(t('people', 1)).toBe('one person')
    expect(t('people', 7)).toBe('7 people')
    expect(t('goBack')).toBe('Back to the list')
    expect(t('braces')).toBe('a {literal}')
  })

  it('are refused when a link leads out of the area', () => {
    expect(() => messagesModule({ goBack: '@:back to the list' }, 'the vote area')).toThrow('message goBack links to back, which the vote area leaves out')
  })

  it('read the same in the app, in both languages', () => {
    const { t: say } = i18n.global
    expect(say('common.areaValue', { area: '105.08' }, { locale: 'zh-CN' })).toBe('105.08 m²')
    expect(say('votes.heads', 1, { locale: 'en' })).toBe('1 person')
    expect(say('votes.heads', 3, { locale: 'en' })).toBe('3 people')
    expect(say('app.name', {}, { locale: 'zh-CN' })).toBe('三方议事')
  })
})
