import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { Pinia } from 'pinia'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import { showConfirmDialog, showNotify, showSuccessToast } from 'vant'
import type { PendingConfirmation, ProxyView } from '@/api/types'
import { useAuthStore } from '@/stores/auth'
import ProxiesView from '@/views/ProxiesView.vue'
import { apiError, compoundDetail as compound, freshPage, json, mockFetch, openAt, tokens } from '@/__tests__/helpers'

vi.mock('vant', async (importOriginal) => ({ ...(await importOriginal<typeof import('vant')>()), showConfirmDialog: vi.fn(), showSuccessToast: vi.fn(), showNotify: vi.fn() }))

const HOUR = 3_600_000
const at = (offset: number) => new Date(Date.now() + offset).toISOString()

function proxy(id: number, key: string, patch: Partial<ProxyView> = {}): ProxyView {
  return {
    id,
    compound_id: 7,
    holder_id: id + 100,
    holder_key: key,
    proxy_user_id: 20 + id,
    proxy_name: '梁建国',
    valid_from: at(-72 * HOUR),
    valid_until: at(30 * 24 * HOUR),
    note: null,
    scan_file_id: null,
    revoked_at: null,
    confirmed_at: null,
    confirmed_by_name: null,
    counts_from: null,
    ...patch,
  }
}

const pending = proxy(1, 'TYC0006')
const ownPending = proxy(2, 'TYC0008')
const settling = proxy(3, 'TYC0009', { confirmed_at: at(-HOUR), confirmed_by_name: '刘主任', counts_from: at(23 * HOUR) })
const active = proxy(4, 'TYC0004', { confirmed_at: at(-72 * HOUR), confirmed_by_name: '李书记', counts_from: at(-72 * HOUR) })
const revoked = proxy(5, 'TYC0010', { revoked_at: at(-HOUR), confirmed_at: at(-72 * HOUR), counts_from: at(-72 * HOUR) })
const expired = proxy(6, 'TYC0011', { valid_from: at(-60 * 24 * HOUR), valid_until: at(-HOUR), confirmed_at: at(-60 * 24 * HOUR), counts_from: at(-60 * 24 * HOUR) })

function waiting(p: ProxyView, patch: Partial<PendingConfirmation>): PendingConfirmation {
  return {
    kind: 'proxy',
    id: p.id,
    compound_id: 7,
    holder_id: p.holder_id,
    holder_key: p.holder_key,
    holder_name: '马娜',
    account_id: p.proxy_user_id,
    account_name: p.proxy_name,
    requested_by: 2,
    requested_by_name: '李书记',
    requested_party: 'community_office',
    requested_at: at(-HOUR),
    valid_from: p.valid_from,
    valid_until: p.valid_until,
    can_confirm: true,
    refusal: null,
    ...patch,
  }
}

let pinia: Pinia

async function mountProxies(): Promise<VueWrapper> {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/compounds/:id/proxies', name: 'proxies', component: ProxiesView },
      { path: '/compounds/:id/confirmations', name: 'confirmations', component: { template: '<div />' } },
    ],
  })
  return openAt(ProxiesView, router, '/compounds/7/proxies', pinia)
}

function row(wrapper: VueWrapper, key: string) {
  return wrapper.get(`[data-testid="proxy-row"][data-holder-key="${key}"]`)
}

beforeEach(() => {
  pinia = freshPage()
  useAuthStore().setTokens(tokens(1))
})

describe('ProxiesView', () => {
  it('tells a waiting proxy from one settling after its confirmation and one in effect', async () => {
    mockFetch((req) => {
      if (req.path === '/compounds/7') return json(200, compound)
      if (req.path === '/compounds/7/proxies') return json(200, [pending, ownPending, settling, active, revoked, expired])
      if (req.path === '/compounds/7/confirmations') return json(200, [waiting(pending, {}), waiting(ownPending, { can_confirm: false, refusal: 'own_request' })])
      return apiError(404, 'not_found', req.path)
    })
    const wrapper = await mountProxies()

    const state = (key: string) => row(wrapper, key).get('[data-testid="proxy-state"]').text()
    expect(state('TYC0006')).toBe('待确认')
    expect(state('TYC0008')).toBe('待确认')
    expect(state('TYC0009')).toMatch(/^生效于 /)
    expect(state('TYC0004')).toBe('有效')
    expect(state('TYC0010')).toBe('已撤销')
    expect(state('TYC0011')).toBe('已过期')

    // The confirm button is offered on a waiting proxy unless the server has said this user may not.
    expect(row(wrapper, 'TYC0006').find('[data-testid="proxy-confirm"]').exists()).toBe(true)
    expect(row(wrapper, 'TYC0008').find('[data-testid="proxy-confirm"]').exists()).toBe(false)
    expect(row(wrapper, 'TYC0008').get('[data-testid="proxy-refusal"]').text()).toBe('这是您提出的，须由另一方的人员确认。')
    for (const key of ['TYC0009', 'TYC0004', 'TYC0010', 'TYC0011']) {
      expect(row(wrapper, key).find('[data-testid="proxy-confirm"]').exists()).toBe(false)
    }
    expect(row(wrapper, 'TYC0009').get('[data-testid="proxy-confirmed-by"]').text()).toContain('刘主任')
    expect(row(wrapper, 'TYC0009').text()).toContain('24 小时后才能代为投票')
    expect(row(wrapper, 'TYC0004').text()).not.toContain('24 小时')
    wrapper.unmount()
  })

  it('confirms a waiting proxy after the confirmer vouches for the documents', async () => {
    const confirmed = { ...pending, confirmed_at: at(0), confirmed_by_name: '刘主任', counts_from: at(24 * HOUR) }
    const calls = mockFetch((req) => {
      if (req.path === '/compounds/7') return json(200, compound)
      if (req.path === '/compounds/7/proxies') return json(200, [pending])
      if (req.path === '/compounds/7/confirmations') return json(200, [waiting(pending, {})])
      if (req.method === 'POST' && req.path === '/proxies/1/confirm') return json(200, confirmed)
      return apiError(404, 'not_found', req.path)
    })
    vi.mocked(showConfirmDialog).mockResolvedValueOnce('confirm')
    const wrapper = await mountProxies()

    await row(wrapper, 'TYC0006').get('[data-testid="proxy-confirm"]').trigger('click')
    await flushPromises()

    expect(vi.mocked(showConfirmDialog).mock.lastCall?.[0].message).toContain('书面委托书原件')
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual(['/proxies/1/confirm'])
    expect(row(wrapper, 'TYC0006').get('[data-testid="proxy-state"]').text()).toMatch(/^生效于 /)
    expect(row(wrapper, 'TYC0006').find('[data-testid="proxy-confirm"]').exists()).toBe(false)
    expect(showSuccessToast).toHaveBeenCalledWith('委托已确认')
    wrapper.unmount()
  })

  it('offers the button when the waiting list cannot be read, and shows the server’s refusal', async () => {
    mockFetch((req) => {
      if (req.path === '/compounds/7') return json(200, compound)
      if (req.path === '/compounds/7/proxies') return json(200, [pending])
      if (req.path === '/compounds/7/confirmations') return apiError(403, 'forbidden', 'forbidden')
      return apiError(403, 'same_party', '须由另一方的人员确认，不能由提出人所在的一方确认')
    })
    vi.mocked(showConfirmDialog).mockResolvedValueOnce('confirm')
    const wrapper = await mountProxies()

    await row(wrapper, 'TYC0006').get('[data-testid="proxy-confirm"]').trigger('click')
    await flushPromises()

    expect(showNotify).toHaveBeenCalledWith({ type: 'danger', message: '须由另一方的人员确认，不能由提出人所在的一方确认' })
    expect(row(wrapper, 'TYC0006').get('[data-testid="proxy-state"]').text()).toBe('待确认')
    wrapper.unmount()
  })
})
