import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { Pinia } from 'pinia'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { nextTick } from 'vue'
import { createMemoryHistory, createRouter } from 'vue-router'
import { showConfirmDialog, showSuccessToast } from 'vant'
import type { HolderView, PendingConfirmation, RecoveryCodeView } from '@/api/types'
import HoldersView from '@/views/HoldersView.vue'
import { apiError, compoundDetail as compound, freshPage, inDocument, json, membership, mockFetch, openAt, signInAsClerk } from '@/__tests__/helpers'

vi.mock('vant', async (importOriginal) => ({ ...(await importOriginal<typeof import('vant')>()), showConfirmDialog: vi.fn(), showSuccessToast: vi.fn(), showNotify: vi.fn() }))

const owner010 = { id: 16, username: 'owner010', phone: null, display_name: '董晓东', is_active: true, created_at: '2026-12-01T00:00:00Z' }
const linked: HolderView = { id: 10, compound_id: 7, holder_key: 'TYC0010', name: '董晓东', phone: null, is_developer: false, units: 1, area: '89.60', linked_users: [owner010] }
const unlinked: HolderView = { id: 12, compound_id: 7, holder_key: 'TYC0012', name: '梁振华', phone: null, is_developer: false, units: 1, area: '96.20', linked_users: [] }

const request: PendingConfirmation = {
  kind: 'link',
  id: 5,
  compound_id: 7,
  holder_id: 12,
  holder_key: 'TYC0012',
  holder_name: '梁振华',
  account_id: 26,
  account_name: '黄永刚',
  requested_by: 5,
  requested_by_name: '刘主任',
  requested_party: 'owners_committee',
  requested_at: '2026-12-06T02:00:00Z',
  valid_from: null,
  valid_until: null,
  can_confirm: false,
  refusal: 'own_request',
}

const recovery: RecoveryCodeView = {
  id: 3,
  community_id: 1,
  user_id: 16,
  username: 'owner010',
  user_name: '董晓东',
  code: 'Y73R-XQY8',
  issued_by_name: '李书记',
  issued_at: '2026-12-06T02:00:00Z',
  expires_at: '2026-12-09T02:00:00Z',
  confirmed_at: null,
  can_confirm: false,
  refusal: 'own_request',
}

let pinia: Pinia

async function mountHolders(): Promise<VueWrapper> {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/compounds/:id/holders', name: 'holders', component: HoldersView },
      { path: '/compounds/:id/confirmations', name: 'confirmations', component: { template: '<div />' } },
    ],
  })
  return openAt(HoldersView, router, '/compounds/7/holders', pinia)
}

async function openHolder(wrapper: VueWrapper, key: string): Promise<void> {
  const row = wrapper.findAll('[data-testid="holder-row"]').find((r) => r.text().includes(key))
  await row?.trigger('click')
  await flushPromises()
}

beforeEach(() => {
  pinia = freshPage()
})

describe('HoldersView', () => {
  it('sends a link for confirmation by the other party and marks the holder as waiting', async () => {
    signInAsClerk(membership('committee_chair', { community_id: 1, compound_id: 7 }))
    const calls = mockFetch((req) => {
      if (req.path === '/compounds/7') return json(200, compound)
      if (req.path === '/compounds/7/holders') return json(200, [linked, unlinked])
      if (req.path === '/compounds/7/confirmations') return json(200, [])
      if (req.method === 'POST' && req.path === '/holders/12/links') return json(202, request)
      return apiError(404, 'not_found', req.path)
    })
    const wrapper = await mountHolders()
    expect(wrapper.find('[data-testid="holder-pending"]').exists()).toBe(false)

    await openHolder(wrapper, 'TYC0012')
    const input = inDocument('link-login') as HTMLInputElement
    input.value = 'owner020'
    input.dispatchEvent(new Event('input'))
    await nextTick()
    inDocument('link-submit')?.click()
    await flushPromises()

    const post = calls.find((c) => c.method === 'POST')
    expect(post?.path).toBe('/holders/12/links')
    expect(post?.body).toEqual({ login: 'owner020' })
    expect(showSuccessToast).toHaveBeenCalledWith('已提交，等待另一方确认')
    const item = inDocument('holder-pending-item')
    expect(item?.textContent).toContain('绑定账号“黄永刚”')
    expect(item?.textContent).toContain('刘主任（业主委员会）')
    expect(inDocument('holder-confirmations-link')).not.toBeNull()
    // Still not linked: the holder shows as waiting, not verified.
    const row = wrapper.findAll('[data-testid="holder-row"]').find((r) => r.text().includes('TYC0012'))
    expect(row?.find('[data-testid="holder-pending"]').text()).toBe('待确认')
    expect(row?.text()).toContain('未绑定')
    // Recovery codes are the community office's; the committee is not offered them.
    await openHolder(wrapper, 'TYC0010')
    expect(inDocument('unlink-user')).not.toBeNull()
    expect(inDocument('recovery-issue')).toBeNull()
    wrapper.unmount()
  })

  it('lets a clerk of the community office issue a recovery code and shows it once', async () => {
    signInAsClerk(membership('secretary', { community_id: 1 }))
    const calls = mockFetch((req) => {
      if (req.path === '/compounds/7') return json(200, compound)
      if (req.path === '/compounds/7/holders') return json(200, [linked, unlinked])
      if (req.path === '/compounds/7/confirmations') return json(200, [request])
      if (req.method === 'POST' && req.path === '/users/16/recovery-codes') return json(201, recovery)
      return apiError(404, 'not_found', req.path)
    })
    vi.mocked(showConfirmDialog).mockResolvedValueOnce('confirm')
    const wrapper = await mountHolders()
    const waiting = wrapper.findAll('[data-testid="holder-row"]').find((r) => r.text().includes('TYC0012'))
    expect(waiting?.find('[data-testid="holder-pending"]').exists()).toBe(true)

    await openHolder(wrapper, 'TYC0010')
    inDocument('recovery-issue')?.click()
    await flushPromises()

    expect(vi.mocked(showConfirmDialog).mock.lastCall?.[0].message).toContain('本人在场')
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual(['/users/16/recovery-codes'])
    expect(inDocument('recovery-code')?.textContent).toBe('Y73R-XQY8')
    expect(inDocument('recovery-card')?.textContent).toContain('须经另一位社区工作人员确认后才能使用')
    expect(inDocument('recovery-card')?.textContent).toContain('当面交给账号持有人本人')

    inDocument('recovery-close')?.click()
    await flushPromises()
    expect(inDocument('recovery-code')).toBeNull()
    wrapper.unmount()
  })
})
