import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import type { InboxItem } from '@/api/types'
import { i18n } from '@/i18n'
import { useAuthStore } from '@/stores/auth'
import { useInboxStore } from '@/stores/inbox'
import { useSettingsStore } from '@/stores/settings'
import { apiError, json, mockFetch, tokens } from '@/__tests__/helpers'

function notice(id: number, read: boolean): InboxItem {
  return {
    id,
    kind: 'vote_notice',
    title: `业主大会表决通知 ${id}`,
    body: '请在手机上查看并投票。',
    link: `/votes/${id}`,
    compound_id: 1,
    created_at: '2026-11-22T02:00:00Z',
    read_at: read ? '2026-11-22T03:00:00Z' : null,
  }
}

beforeEach(() => {
  localStorage.clear()
  vi.unstubAllGlobals()
  setActivePinia(createPinia())
  useAuthStore().setTokens(tokens(1))
})

describe('inbox store', () => {
  it('counts the unread notices', async () => {
    mockFetch(() => json(200, [notice(3, false), notice(2, true), notice(1, false)]))
    const inbox = useInboxStore()
    expect(inbox.unread).toBe(0)
    await inbox.load()
    expect(inbox.unread).toBe(2)
  })

  it('marks a notice read on the server once', async () => {
    const calls = mockFetch((req) => (req.method === 'POST' ? new Response(null, { status: 204 }) : json(200, [notice(3, false), notice(2, true)])))
    const inbox = useInboxStore()
    await inbox.load()
    await inbox.markRead(3)
    await inbox.markRead(3)
    await inbox.markRead(2)
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual(['/me/inbox/3/read'])
    expect(inbox.unread).toBe(0)
  })

  it('puts the notice back to unread when the server refuses', async () => {
    mockFetch((req) => (req.method === 'POST' ? apiError(404, 'not_found', 'no such notice') : json(200, [notice(3, false)])))
    const inbox = useInboxStore()
    await inbox.load()
    await expect(inbox.markRead(3)).rejects.toMatchObject({ code: 'not_found' })
    expect(inbox.unread).toBe(1)
  })

  it('refreshes the unread count after an action even when the list was never read', async () => {
    const calls = mockFetch(() => json(200, [notice(3, false), notice(2, false), notice(1, true)]))
    const inbox = useInboxStore()
    expect(inbox.items).toBeNull()
    await inbox.refresh()
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /me/inbox'])
    expect(inbox.unread).toBe(2)
  })

  it('reads again after the action: the notice the server has just read no longer counts', async () => {
    let unread = [notice(3, false), notice(2, false)]
    mockFetch(() => json(200, unread))
    const inbox = useInboxStore()
    await inbox.load()
    expect(inbox.unread).toBe(2)
    unread = [notice(3, true), notice(2, false)]
    await inbox.refresh()
    expect(inbox.unread).toBe(1)
  })

  it('reads once more after a read that was already under way, and keeps the newer answer', async () => {
    const answers: ((r: Response) => void)[] = []
    const calls = mockFetch(() => new Promise<Response>((resolve) => answers.push(resolve)))
    const inbox = useInboxStore()
    const first = inbox.load()
    const refreshed = inbox.refresh()
    await flushPromises()
    expect(calls).toHaveLength(1)
    answers[0]?.(json(200, [notice(3, false), notice(2, false)]))
    await first
    await flushPromises()
    expect(calls).toHaveLength(2)
    answers[1]?.(json(200, [notice(3, true), notice(2, false)]))
    await refreshed
    expect(inbox.unread).toBe(1)
    expect(inbox.loading).toBe(false)
  })

  it('does not fail the action when the inbox cannot be read', async () => {
    mockFetch(() => apiError(500, 'internal', 'something went wrong'))
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const inbox = useInboxStore()
    await expect(inbox.refresh()).resolves.toBeUndefined()
    expect(inbox.unread).toBe(0)
    expect(inbox.loading).toBe(false)
    expect(warn).toHaveBeenCalled()
    warn.mockRestore()
  })

  it('reads the notices again in the new language after a switch', async () => {
    const calls = mockFetch((req) => {
      if (req.method === 'PUT') return new Response(null, { status: 204 })
      const english = req.headers.get('Accept-Language') === 'en'
      return json(200, [{ ...notice(3, false), title: english ? 'Vote notice' : '业主大会表决通知' }])
    })
    const settings = useSettingsStore()
    const inbox = useInboxStore()
    await inbox.load()
    expect(inbox.items?.map((n) => n.title)).toEqual(['业主大会表决通知'])
    await settings.setLocale('en')
    await flushPromises()
    expect(calls.filter((c) => c.path === '/me/inbox').at(-1)?.headers.get('Accept-Language')).toBe('en')
    expect(inbox.items?.map((n) => n.title)).toEqual(['Vote notice'])
  })

  it('reads the notices again only once the account keeps the new language', async () => {
    let saved: () => void = () => {}
    const calls = mockFetch((req) =>
      req.method === 'PUT'
        ? new Promise<Response>((resolve) => (saved = () => resolve(new Response(null, { status: 204 }))))
        : json(200, [notice(3, false)]),
    )
    const settings = useSettingsStore()
    const inbox = useInboxStore()
    await inbox.load()
    const switched = settings.setLocale(i18n.global.locale.value === 'en' ? 'zh-CN' : 'en')
    await flushPromises()
    const before = calls.length
    expect(calls.at(-1)?.method).toBe('PUT')
    expect(inbox.items).toBeNull()
    saved()
    await switched
    await flushPromises()
    expect(calls.slice(before).map((c) => `${c.method} ${c.path}`)).toEqual(['GET /me/inbox'])
    expect(inbox.items).toHaveLength(1)
  })

})
