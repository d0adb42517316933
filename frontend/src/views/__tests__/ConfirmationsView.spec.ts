import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { Pinia } from 'pinia'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import { showConfirmDialog, showNotify, showSuccessToast } from 'vant'
import type { HolderView, PendingConfirmation, RecoveryCodeView } from '@/api/types'
import ConfirmationsView from '@/views/ConfirmationsView.vue'
import { apiError, compoundDetail as compound, freshPage, json, membership, mockFetch, openAt, signInAsClerk } from '@/__tests__/helpers'

// Vant's dialog, toast and notify are singletons mounted once into <body>; spies keep each test on its own.
vi.mock('vant', async (importOriginal) => ({ ...(await importOriginal<typeof import('vant')>()), showConfirmDialog: vi.fn(), showSuccessToast: vi.fn(), showNotify: vi.fn() }))

function item(patch: Partial<PendingConfirmation>): PendingConfirmation {
  return {
    kind: 'link',
    id: 1,
    compound_id: 7,
    holder_id: 12,
    holder_key: 'TYC0012',
    holder_name: '梁振华',
    account_id: 26,
    account_name: '黄永刚',
    requested_by: 2,
    requested_by_name: '李书记',
    requested_party: 'community_office',
    requested_at: '2026-12-06T02:00:00Z',
    valid_from: null,
    valid_until: null,
    can_confirm: true,
    refusal: null,
    ...patch,
  }
}

const link = item({})
const code = item({ kind: 'invitation', id: 4, holder_id: 13, holder_key: 'TYC0013', holder_name: '王芳', account_id: null, account_name: null, can_confirm: false, refusal: 'own_request' })
const proxy = item({
  kind: 'proxy',
  id: 9,
  holder_id: 6,
  holder_key: 'TYC0006',
  holder_name: '马娜',
  account_id: 13,
  account_name: '梁建国',
  requested_by_name: '刘主任',
  requested_party: 'owners_committee',
  valid_from: '2026-12-06T00:00:00Z',
  valid_until: '2027-01-05T00:00:00Z',
  can_confirm: false,
  refusal: 'same_party',
})

const recovery: RecoveryCodeView = {
  id: 3,
  community_id: 1,
  user_id: 16,
  username: 'owner010',
  user_name: '董晓东',
  code: null,
  issued_by_name: '李书记',
  issued_at: '2026-12-06T02:00:00Z',
  expires_at: '2026-12-09T02:00:00Z',
  confirmed_at: null,
  can_confirm: true,
  refusal: null,
}

const holderView: HolderView = {
  id: 12,
  compound_id: 7,
  holder_key: 'TYC0012',
  name: '梁振华',
  phone: null,
  is_developer: false,
  units: 1,
  area: '89.60',
  linked_users: [],
}

let pinia: Pinia

async function mountView(): Promise<VueWrapper> {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/compounds/:id/confirmations', name: 'confirmations', component: ConfirmationsView }],
  })
  return openAt(ConfirmationsView, router, '/compounds/7/confirmations', pinia)
}

/** The user's answer to the next confirmation dialog. */
function answer(confirmed: boolean): void {
  if (confirmed) vi.mocked(showConfirmDialog).mockResolvedValueOnce('confirm')
  else vi.mocked(showConfirmDialog).mockRejectedValueOnce('cancel')
}

function lastDialog(): { title?: string; message?: unknown } {
  return vi.mocked(showConfirmDialog).mock.lastCall?.[0] ?? {}
}

beforeEach(() => {
  pinia = freshPage()
})

describe('ConfirmationsView', () => {
  it('lists what waits for a second person, with a confirm button only where the server allows it', async () => {
    signInAsClerk(membership('committee_chair', { community_id: 1, compound_id: 7 }))
    const calls = mockFetch((req) => {
      if (req.path === '/compounds/7') return json(200, compound)
      if (req.path === '/compounds/7/confirmations') return json(200, [link, code, proxy])
      return apiError(404, 'not_found', req.path)
    })
    const wrapper = await mountView()

    const rows = wrapper.findAll('[data-testid="pending-row"]')
    expect(rows.map((r) => [r.attributes('data-kind'), r.attributes('data-holder-key')])).toEqual([
      ['link', 'TYC0012'],
      ['invitation', 'TYC0013'],
      ['proxy', 'TYC0006'],
    ])
    const [first, second, third] = rows
    expect(first?.get('[data-testid="pending-kind"]').text()).toBe('绑定账号')
    expect(first?.text()).toContain('梁振华（TYC0012）')
    expect(first?.get('[data-testid="pending-account"]').text()).toBe('黄永刚')
    expect(first?.get('[data-testid="pending-requested"]').text()).toContain('李书记（社区）')
    expect(first?.find('[data-testid="pending-confirm"]').exists()).toBe(true)
    expect(first?.find('[data-testid="pending-withdraw"]').exists()).toBe(true)

    expect(second?.find('[data-testid="pending-confirm"]').exists()).toBe(false)
    expect(second?.find('[data-testid="pending-withdraw"]').exists()).toBe(false)
    expect(second?.get('[data-testid="pending-refusal"]').text()).toBe('这是您提出的，须由另一方的人员确认。')

    expect(third?.get('[data-testid="pending-account"]').text()).toBe('梁建国')
    expect(third?.get('[data-testid="pending-requested"]').text()).toContain('刘主任（业主委员会）')
    expect(third?.get('[data-testid="pending-refusal"]').text()).toContain('同属一方')

    // A committee member is no clerk of the community office: no recovery codes asked for or shown.
    expect(wrapper.find('[data-testid="recovery-row"]').exists()).toBe(false)
    expect(calls.some((c) => c.path.includes('recovery-codes'))).toBe(false)
    wrapper.unmount()
  })

  it('asks the confirmer to vouch for the documents, confirms, and drops the item', async () => {
    signInAsClerk(membership('committee_chair', { community_id: 1, compound_id: 7 }))
    const calls = mockFetch((req) => {
      if (req.path === '/compounds/7') return json(200, compound)
      if (req.path === '/compounds/7/confirmations') return json(200, [link, code])
      if (req.method === 'POST' && req.path === '/link-requests/1/confirm') return json(200, { ...holderView, linked_users: [] })
      return apiError(404, 'not_found', req.path)
    })
    const wrapper = await mountView()

    answer(true)
    await wrapper.get('[data-testid="pending-confirm"]').trigger('click')
    await flushPromises()
    expect(lastDialog().title).toBe('确认绑定账号')
    expect(lastDialog().message).toContain('请确认您已核对业主身份证明材料')
    expect(lastDialog().message).toContain('黄永刚')
    expect(lastDialog().message).toContain('梁振华（TYC0012）')

    expect(calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual(['/link-requests/1/confirm'])
    expect(wrapper.findAll('[data-testid="pending-row"]').map((r) => r.attributes('data-kind'))).toEqual(['invitation'])
    expect(showSuccessToast).toHaveBeenCalledWith('已确认，账号已绑定')
    wrapper.unmount()
  })

  it('sends nothing when the confirmer backs out of the dialog', async () => {
    signInAsClerk(membership('committee_chair', { community_id: 1, compound_id: 7 }))
    const calls = mockFetch((req) => {
      if (req.path === '/compounds/7') return json(200, compound)
      return json(200, [link])
    })
    const wrapper = await mountView()

    answer(false)
    await wrapper.get('[data-testid="pending-confirm"]').trigger('click')
    await flushPromises()

    expect(showConfirmDialog).toHaveBeenCalledTimes(1)
    expect(calls.filter((c) => c.method === 'POST')).toEqual([])
    expect(wrapper.findAll('[data-testid="pending-row"]')).toHaveLength(1)
    wrapper.unmount()
  })

  it('withdraws a link request', async () => {
    signInAsClerk(membership('secretary', { community_id: 1 }))
    const calls = mockFetch((req) => {
      if (req.path === '/compounds/7') return json(200, compound)
      if (req.path === '/compounds/7/confirmations') return json(200, [item({ can_confirm: false, refusal: 'own_request' })])
      if (req.path === '/communities/1/recovery-codes') return json(200, [])
      if (req.method === 'POST' && req.path === '/link-requests/1/cancel') return json(204, null)
      return apiError(404, 'not_found', req.path)
    })
    const wrapper = await mountView()

    answer(true)
    await wrapper.get('[data-testid="pending-withdraw"]').trigger('click')
    await flushPromises()

    expect(calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual(['/link-requests/1/cancel'])
    expect(wrapper.find('[data-testid="pending-row"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="pending-empty"]').exists()).toBe(true)
    wrapper.unmount()
  })

  it('shows a refusal from the server and reloads the list when someone else confirmed first', async () => {
    signInAsClerk(membership('committee_chair', { community_id: 1, compound_id: 7 }))
    let lists = 0
    mockFetch((req) => {
      if (req.path === '/compounds/7') return json(200, compound)
      if (req.path === '/compounds/7/confirmations') return json(200, lists++ === 0 ? [link] : [])
      return apiError(409, 'already_confirmed', '已经有人确认过了')
    })
    const wrapper = await mountView()

    answer(true)
    await wrapper.get('[data-testid="pending-confirm"]').trigger('click')
    await flushPromises()

    expect(showNotify).toHaveBeenCalledWith({ type: 'danger', message: '已经有人确认过了' })
    expect(lists).toBe(2)
    expect(wrapper.find('[data-testid="pending-row"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('gives the community office its recovery codes to confirm', async () => {
    signInAsClerk(membership('community_staff', { community_id: 1 }))
    const calls = mockFetch((req) => {
      if (req.path === '/compounds/7') return json(200, compound)
      if (req.path === '/compounds/7/confirmations') return json(200, [])
      if (req.path === '/communities/1/recovery-codes') return json(200, [recovery, { ...recovery, id: 4, username: 'owner011', can_confirm: false, refusal: 'linked_to_holder' }])
      if (req.method === 'POST' && req.path === '/recovery-codes/3/confirm') return json(200, { ...recovery, confirmed_at: '2026-12-06T03:00:00Z', can_confirm: false })
      return apiError(404, 'not_found', req.path)
    })
    const wrapper = await mountView()

    const rows = wrapper.findAll('[data-testid="recovery-row"]')
    expect(rows.map((r) => r.attributes('data-username'))).toEqual(['owner010', 'owner011'])
    expect(rows[0]?.text()).toContain('董晓东（账号 owner010）')
    expect(rows[0]?.text()).toContain('李书记')
    expect(rows[1]?.find('[data-testid="recovery-confirm"]').exists()).toBe(false)
    expect(rows[1]?.get('[data-testid="recovery-refusal"]').text()).toContain('同属一户')

    answer(true)
    await rows[0]?.get('[data-testid="recovery-confirm"]').trigger('click')
    await flushPromises()
    expect(lastDialog().message).toContain('董晓东（账号 owner010）')

    expect(calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual(['/recovery-codes/3/confirm'])
    expect(wrapper.findAll('[data-testid="recovery-row"]').map((r) => r.attributes('data-username'))).toEqual(['owner011'])
    wrapper.unmount()
  })
})
