import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { Pinia } from 'pinia'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import { showConfirmDialog, showNotify, showSuccessToast } from 'vant'
import type { PaperBallotView, UnsealView, VoteView } from '@/api/types'
import { useAuthStore } from '@/stores/auth'
import { saveBlob } from '@/utils/download'
import PaperBallotsView from '@/views/PaperBallotsView.vue'
import { apiError, freshPage, type Handler, json, me, membership, mockFetch, openAt, tokens } from '@/__tests__/helpers'

// Vant's dialog, toast and notify are singletons mounted once into <body>; spies keep each test on its own.
vi.mock('vant', async (importOriginal) => ({ ...(await importOriginal<typeof import('vant')>()), showConfirmDialog: vi.fn(), showSuccessToast: vi.fn(), showNotify: vi.fn() }))
vi.mock('@/utils/download', () => ({ saveBlob: vi.fn() }))

const DAY = 86_400_000

function vote(patch: Partial<VoteView> = {}): VoteView {
  return {
    id: 5,
    compound_id: 7,
    compound_name: '太阳城二期',
    title: '选聘物业服务企业',
    body: '',
    body_html: '',
    matter: 'manager',
    threshold: 'special',
    form: 'motion',
    seats: null,
    candidates: [],
    secret: true,
    allow_change: false,
    building_ids: null,
    buildings: [],
    status: 'closed',
    opens_at: '2026-11-01T00:00:00Z',
    closes_at: '2026-11-30T00:00:00Z',
    notice_days: 0,
    can_manage: false,
    can_count: true,
    can_object: false,
    objections: 0,
    attachments: [],
    my: [],
    ...patch,
  }
}

function slip(patch: Partial<PaperBallotView> = {}): PaperBallotView {
  return {
    id: 11,
    serial: 'P-001',
    holder_id: 40,
    holder_key: 'TYC0040',
    units: ['5号楼 2单元301'],
    choice: null,
    candidates: null,
    sealed: true,
    status: 'counted',
    entered_by: '张社工',
    confirmed_by: '李书记',
    cast_at: '2026-11-20T02:00:00Z',
    receipt: 'K7QMA-4XPBZ',
    scan_file_id: 31,
    ...patch,
  }
}

function unseal(patch: Partial<UnsealView> = {}): UnsealView {
  return {
    id: 3,
    file_id: 31,
    reason: '业主对计票有异议',
    requested_by: '李书记',
    requested_party: 'community_office',
    requested_at: '2026-12-01T02:00:00Z',
    approved_by: null,
    approved_party: null,
    approved_at: null,
    expires_at: null,
    ...patch,
  }
}

function approved(patch: Partial<UnsealView> = {}): UnsealView {
  return unseal({
    approved_by: '测试用户',
    approved_party: 'owners_committee',
    approved_at: new Date(Date.now() - DAY).toISOString(),
    expires_at: new Date(Date.now() + 6 * DAY).toISOString(),
    ...patch,
  })
}

let pinia: Pinia

/** The vote and its slips as the server answers them; `files` answers the rest. */
function serve(slips: PaperBallotView[], files: Handler) {
  return mockFetch((req) => {
    if (req.path === '/votes/5') return json(200, vote())
    if (req.path === '/votes/5/paper-ballots') return json(200, slips)
    if (req.path.startsWith('/files/')) return files(req)
    return apiError(404, 'not_found', req.path)
  })
}

async function mountView(): Promise<VueWrapper> {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/votes/:id/paper', name: 'vote-paper', component: PaperBallotsView }],
  })
  return openAt(PaperBallotsView, router, '/votes/5/paper', pinia)
}

function inDocument<T extends HTMLElement = HTMLElement>(testid: string): T | null {
  return document.querySelector<T>(`[data-testid="${testid}"]`)
}

async function typeReason(text: string): Promise<void> {
  const field = inDocument<HTMLTextAreaElement>('unseal-reason')
  expect(field).not.toBeNull()
  if (!field) return
  field.value = text
  field.dispatchEvent(new Event('input'))
  await flushPromises()
}

/** Whether the unsealing sheet is on screen. */
function sheetOpen(): boolean {
  const popup = inDocument('unseal-sheet')?.closest<HTMLElement>('.van-popup')
  return popup !== null && popup !== undefined && popup.style.display !== 'none'
}

async function showRequests(wrapper: VueWrapper): Promise<void> {
  await wrapper.get('[data-testid="unseal-toggle"]').trigger('click')
  await flushPromises()
}

beforeEach(() => {
  pinia = freshPage()
  const auth = useAuthStore()
  auth.setTokens(tokens(1))
  auth.me = me([membership('committee_member', { community_id: 1, compound_id: 7 })])
})

describe('PaperBallotsView, sealed scans', () => {
  it('offers the scan of a named vote’s slip and no unsealing', async () => {
    serve([slip({ sealed: false, choice: 'agree' })], () => json(200, []))
    const wrapper = await mountView()

    const row = wrapper.get('[data-testid="paper-counted-row"]')
    expect(row.find('[data-testid="paper-scan"]').exists()).toBe(true)
    expect(row.find('[data-testid="paper-scan-sealed"]').exists()).toBe(false)
    expect(row.find('[data-testid="unseal-request"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('asks to unseal a sealed scan with a reason, explaining the other party must approve', async () => {
    const stored: UnsealView[] = []
    const calls = serve([slip()], (req) => {
      if (req.method === 'POST') stored.unshift(unseal())
      return req.method === 'POST' ? json(201, stored[0]) : json(200, stored)
    })
    const wrapper = await mountView()

    const row = wrapper.get('[data-testid="paper-counted-row"]')
    expect(row.text()).toContain('张社工')
    expect(row.get('[data-testid="paper-scan-sealed"]').text()).toBe('扫描件已封存（无记名表决）')
    expect(row.find('[data-testid="paper-scan"]').exists()).toBe(false)

    await row.get('[data-testid="unseal-request"]').trigger('click')
    await flushPromises()
    expect(sheetOpen()).toBe(true)
    const sheet = inDocument('unseal-sheet')
    expect(sheet?.textContent).toContain('纸质票编号 P-001')
    expect(sheet?.textContent).toContain('另一方（社区居委会或业主委员会）的人员批准')
    expect(sheet?.textContent).toContain('审计记录')

    await typeReason('  业主对计票有异议  ')
    inDocument('unseal-submit')?.click()
    await flushPromises()

    const posts = calls.filter((c) => c.method === 'POST')
    expect(posts.map((c) => [c.path, c.body])).toEqual([['/files/31/unseal-requests', { reason: '业主对计票有异议' }]])
    expect(showSuccessToast).toHaveBeenCalledWith('启封申请已提交，须由另一方的人员批准')
    expect(sheetOpen()).toBe(false)
    const requests = wrapper.findAll('[data-testid="unseal-row"]')
    expect(requests.map((r) => r.attributes('data-state'))).toEqual(['waiting'])
    expect(requests[0]?.get('[data-testid="unseal-state"]').text()).toBe('待批准')
    expect(requests[0]?.text()).toContain('申请：李书记（社区）')
    expect(requests[0]?.text()).toContain('理由：业主对计票有异议')
    expect(requests[0]?.find('[data-testid="unseal-approve"]').exists()).toBe(true)
    wrapper.unmount()
  })

  it('shows the server’s 422 under the reason when it is left empty', async () => {
    const calls = serve([slip()], (req) =>
      req.method === 'POST'
        ? apiError(422, 'validation_failed', 'reason: 不能为空', { fields: { reason: '不能为空' } })
        : json(200, []),
    )
    const wrapper = await mountView()

    await wrapper.get('[data-testid="unseal-request"]').trigger('click')
    await flushPromises()
    inDocument('unseal-submit')?.click()
    await flushPromises()

    expect(calls.filter((c) => c.method === 'POST').map((c) => c.body)).toEqual([{ reason: '' }])
    expect(inDocument('unseal-sheet')?.querySelector('.van-field__error-message')?.textContent).toBe('不能为空')
    expect(sheetOpen()).toBe(true)
    expect(showSuccessToast).not.toHaveBeenCalled()
    expect(showNotify).not.toHaveBeenCalled()
    expect(wrapper.find('[data-testid="unseal-row"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('approves a waiting request after saying what the approval lets the two people do', async () => {
    const done = approved({ approved_by: '测试用户' })
    const calls = serve([slip()], (req) => {
      if (req.method === 'POST' && req.path === '/files/31/unseal-requests/3/approve') return json(200, done)
      if (req.path === '/files/31/unseal-requests') return json(200, [unseal()])
      return apiError(404, 'not_found', req.path)
    })
    const wrapper = await mountView()

    await showRequests(wrapper)
    expect(wrapper.findAll('[data-testid="unseal-row"]').map((r) => r.attributes('data-state'))).toEqual(['waiting'])

    vi.mocked(showConfirmDialog).mockResolvedValueOnce('confirm')
    await wrapper.get('[data-testid="unseal-approve"]').trigger('click')
    await flushPromises()

    const dialog = vi.mocked(showConfirmDialog).mock.lastCall?.[0]
    expect(dialog?.message).toContain('李书记（社区）申请启封编号 P-001 的扫描件')
    expect(dialog?.message).toContain('业主对计票有异议')
    expect(dialog?.message).toContain('七天内')
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual(['/files/31/unseal-requests/3/approve'])

    const row = wrapper.get('[data-testid="unseal-row"]')
    expect(row.attributes('data-state')).toBe('approved')
    expect(row.get('[data-testid="unseal-state"]').text()).toBe('已批准')
    expect(row.get('[data-testid="unseal-until"]').text()).toMatch(/^有效至 /)
    expect(row.text()).toContain('批准：测试用户（业主委员会）')
    expect(row.find('[data-testid="unseal-approve"]').exists()).toBe(false)
    expect(showSuccessToast).toHaveBeenCalledWith(expect.stringMatching(/^已批准启封，有效至 /))
    wrapper.unmount()
  })

  it('sends nothing when the approver backs out, and shows the server’s refusal', async () => {
    const calls = serve([slip()], (req) => {
      if (req.method === 'POST') {
        return apiError(409, 'other_party_required', '启封须由申请方以外另一方的人员批准。')
      }
      return json(200, [unseal({ requested_party: 'owners_committee', requested_by: '刘主任' })])
    })
    const wrapper = await mountView()
    await showRequests(wrapper)

    vi.mocked(showConfirmDialog).mockRejectedValueOnce('cancel')
    await wrapper.get('[data-testid="unseal-approve"]').trigger('click')
    await flushPromises()
    expect(calls.filter((c) => c.method === 'POST')).toEqual([])

    vi.mocked(showConfirmDialog).mockResolvedValueOnce('confirm')
    await wrapper.get('[data-testid="unseal-approve"]').trigger('click')
    await flushPromises()
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1)
    expect(showNotify).toHaveBeenCalledWith({ type: 'danger', message: '启封须由申请方以外另一方的人员批准。' })
    expect(wrapper.get('[data-testid="unseal-row"]').attributes('data-state')).toBe('waiting')
    wrapper.unmount()
  })

  it('offers the scan to the approver of an approved, unexpired request', async () => {
    const scan = new Blob(['%PDF'], { type: 'application/pdf' })
    const calls = serve([slip()], (req) => {
      if (req.path === '/files/31/unseal-requests') return json(200, [approved()])
      if (req.path === '/files/31') return new Response(scan, { status: 200 })
      return apiError(404, 'not_found', req.path)
    })
    const wrapper = await mountView()
    await showRequests(wrapper)

    const row = wrapper.get('[data-testid="unseal-row"]')
    expect(row.attributes('data-state')).toBe('approved')
    expect(row.get('[data-testid="unseal-until"]').text()).toMatch(/^有效至 /)
    expect(wrapper.text()).toContain('您是这次启封的申请人或批准人，可以查看扫描件')

    await wrapper.get('[data-testid="paper-scan"]').trigger('click')
    await flushPromises()
    expect(calls.filter((c) => c.path === '/files/31').map((c) => c.method)).toEqual(['GET'])
    expect(saveBlob).toHaveBeenCalledWith(expect.any(Blob), 'paper-P-001')
    wrapper.unmount()
  })

  it('shows the server’s message when the scan is still refused', async () => {
    serve([slip()], (req) => {
      if (req.path === '/files/31/unseal-requests') return json(200, [approved({ requested_by: '测试用户', approved_by: '刘主任' })])
      return apiError(403, 'scan_sealed', '这是无记名表决签名票的扫描件，已封存')
    })
    const wrapper = await mountView()
    await showRequests(wrapper)

    await wrapper.get('[data-testid="paper-scan"]').trigger('click')
    await flushPromises()
    expect(saveBlob).not.toHaveBeenCalled()
    expect(showNotify).toHaveBeenCalledWith({ type: 'danger', message: expect.stringContaining('已封存') })
    wrapper.unmount()
  })

  it('offers no scan to others, nor after the approval has expired', async () => {
    const expired = approved({
      id: 2,
      approved_at: new Date(Date.now() - 9 * DAY).toISOString(),
      expires_at: new Date(Date.now() - 2 * DAY).toISOString(),
    })
    serve([slip()], () => json(200, [approved({ approved_by: '刘主任' }), expired]))
    const wrapper = await mountView()
    await showRequests(wrapper)

    const rows = wrapper.findAll('[data-testid="unseal-row"]')
    expect(rows.map((r) => r.attributes('data-state'))).toEqual(['approved', 'expired'])
    expect(rows[1]?.get('[data-testid="unseal-state"]').text()).toBe('已过期')
    expect(rows.some((r) => r.find('[data-testid="unseal-approve"]').exists())).toBe(false)
    expect(wrapper.find('[data-testid="paper-scan"]').exists()).toBe(false)
    wrapper.unmount()
  })
})
