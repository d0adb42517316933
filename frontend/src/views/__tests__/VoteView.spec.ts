import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { Pinia } from 'pinia'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { BallotReceipt, MyHolding, VoteView } from '@/api/types'
import { useAuthStore } from '@/stores/auth'
import VoteViewPage from '@/views/VoteView.vue'
import { apiError, freshPage, inDocument, json, mockFetch, openAt, type RecordedRequest, settle, tokens } from '@/__tests__/helpers'

function holding(patch: Partial<MyHolding> = {}): MyHolding {
  return { holder_id: 3, holder_key: 'TYC0003', units: ['1号楼 1单元202'], area: '105.08', proxy_id: null, ballot: null, can_replace: false, ...patch }
}

function vote(patch: Partial<VoteView> = {}): VoteView {
  return {
    id: 1,
    compound_id: 1,
    compound_name: '太阳城二期',
    title: '《太阳城二期文明养犬公约》表决',
    body: '## 公约\n\n1. 束犬链\n\n<script>alert(1)</script>',
    // As the server renders and sanitizes it.
    body_html: '<h4>公约</h4>\n<ol>\n<li>束犬链</li>\n</ol>\n&lt;script&gt;alert(1)&lt;/script&gt;',
    matter: 'covenant',
    threshold: 'ordinary',
    form: 'motion',
    seats: null,
    candidates: [],
    secret: false,
    allow_change: false,
    building_ids: null,
    buildings: [],
    status: 'open',
    opens_at: '2026-11-01T00:00:00Z',
    closes_at: new Date(Date.now() + 3 * 86_400_000).toISOString(),
    notice_days: 0,
    can_manage: false,
    can_count: false,
    can_object: false,
    objections: 0,
    attachments: [],
    my: [holding()],
    ...patch,
  }
}

const receipt: BallotReceipt = {
  receipt: 'RXAWM-Z88CS',
  vote_id: 1,
  holder_key: 'TYC0003',
  units: ['1号楼 1单元202'],
  area: '105.08',
  channel: 'online',
  status: 'counted',
  cast_at: '2026-11-22T03:00:00Z',
}

let pinia: Pinia

async function mountVote(): Promise<VueWrapper> {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/votes/:id', name: 'vote', component: VoteViewPage },
      { path: '/votes/:id/ballots', name: 'vote-ballots', component: { template: '<div />' } },
      { path: '/votes/:id/paper', name: 'vote-paper', component: { template: '<div />' } },
      { path: '/compounds/:id/votes', name: 'votes', component: { template: '<div />' } },
      { path: '/compounds/:id/proxies', name: 'proxies', component: { template: '<div />' } },
      { path: '/conventions/:id', name: 'convention', component: { template: '<div />' } },
    ],
  })
  return openAt(VoteViewPage, router, '/votes/1', pinia)
}

beforeEach(() => {
  pinia = freshPage()
  useAuthStore().setTokens(tokens(1))
})

describe('VoteView', () => {
  it('shows the text safely, the rule in plain words and what my vote weighs', async () => {
    mockFetch(() => json(200, vote()))
    const wrapper = await mountVote()

    expect(wrapper.get('[data-testid="vote-title"]').text()).toBe('《太阳城二期文明养犬公约》表决')
    expect(wrapper.get('[data-testid="vote-status"]').text()).toBe('投票中')
    const body = wrapper.get('[data-testid="vote-body"]')
    expect(body.find('h4').text()).toBe('公约')
    expect(body.find('script').exists()).toBe(false)
    expect(body.text()).toContain('<script>alert(1)</script>')
    expect(wrapper.get('[data-testid="vote-rule-text"]').text()).toMatch(/^普通事项：.*过半数的业主同意$/)
    expect(wrapper.get('[data-testid="vote-countdown"]').text()).toMatch(/距截止还有 [23] 天/)
    expect(wrapper.get('[data-testid="my-units"]').text()).toBe('1号楼 1单元202')
    expect(wrapper.get('[data-testid="my-weight"]').text()).toContain('105.08 m²')
    expect(wrapper.get('[data-testid="my-weight"]').text()).toContain('计 1 人')
    expect(wrapper.findAll('[data-testid^="choice-"]').map((b) => b.text())).toEqual(['同意', '反对', '弃权'])
    // Owners see no turnout gauge and no management tools.
    expect(wrapper.find('[data-testid="turnout"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="manage-actions"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('names the convention whose final text is voted on, by its fingerprint, with a way to it', async () => {
    mockFetch(() => json(200, vote({ convention: { id: 9, title: '太阳城二期文明养犬公约', digest: 'c0ffee5a1e2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5' } })))
    const wrapper = await mountVote()
    const line = wrapper.get('[data-testid="vote-convention"]')
    expect(line.text()).toContain('表决文本为《太阳城二期文明养犬公约》定稿，SHA-256 c0ffee5a1e2b…')
    expect(line.get('a').attributes('href')).toBe('/conventions/9')
    wrapper.unmount()
  })

  it('confirms the choice and the weight, casts once, and shows the receipt to keep', async () => {
    const calls = mockFetch((req) => (req.method === 'POST' ? json(201, receipt) : json(200, vote())))
    const wrapper = await mountVote()

    await wrapper.get('[data-testid="choice-agree"]').trigger('click')
    await flushPromises()
    expect(inDocument('confirm-choice')?.textContent?.trim()).toBe('同意')
    expect(inDocument('confirm-weight')?.textContent).toContain('105.08 m²')
    expect(calls.some((c) => c.method === 'POST')).toBe(false)

    inDocument('confirm-cast')?.click()
    await settle()

    const posts = calls.filter((c) => c.method === 'POST') as RecordedRequest[]
    expect(posts).toHaveLength(1)
    expect(posts[0]?.path).toBe('/votes/1/ballots')
    expect(posts[0]?.body).toMatchObject({ holder_id: 3, choice: 'agree' })
    expect(typeof (posts[0]?.body as { idempotency_key?: unknown }).idempotency_key).toBe('string')
    expect(wrapper.get('[data-testid="receipt-code"]').text()).toBe('RXAWM-Z88CS')
    expect(wrapper.get('[data-testid="receipt-screen"]').text()).toContain('请保存此回执码')
    expect(wrapper.get('[data-testid="receipt-channel"]').text()).toBe('网上投票')
    wrapper.unmount()
  })

  it('shows a counted ballot with its receipt and channel instead of the choices', async () => {
    const cast = { receipt: 'K7QMA-4XPBZ', channel: 'paper' as const, status: 'counted', cast_at: '2026-11-22T03:00:00Z', choice: 'oppose' as const }
    mockFetch(() => json(200, vote({ my: [holding({ ballot: cast })] })))
    const wrapper = await mountVote()

    expect(wrapper.get('[data-testid="my-receipt"]').text()).toBe('K7QMA-4XPBZ')
    expect(wrapper.get('[data-testid="my-channel"]').text()).toBe('纸质表决票')
    expect(wrapper.get('[data-testid="my-choice"]').text()).toBe('反对')
    expect(wrapper.find('[data-testid="choose"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="holding-vote"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('opens with "您已投票", when and the receipt once every home has voted, instead of 去投票', async () => {
    const online = { receipt: 'K7QMA-4XPBZ', channel: 'online' as const, status: 'counted', cast_at: '2026-11-22T03:00:00Z', choice: 'agree' as const }
    mockFetch(() => json(200, vote({ my: [holding({ ballot: online })] })))
    const wrapper = await mountVote()

    const first = wrapper.get('[data-testid="vote-page"]').element.querySelector('.sf-card')
    expect(first?.getAttribute('data-testid')).toBe('voted-block')
    const block = wrapper.get('[data-testid="voted-block"]')
    expect(block.attributes('data-state')).toBe('done')
    expect(block.get('[data-testid="done-title"]').text()).toBe('您已投票')
    expect(block.get('[data-testid="done-when"]').text()).toMatch(/^投票时间：2026/)
    expect(block.get('[data-testid="voted-receipt"]').text()).toBe('K7QMA-4XPBZ')
    expect(block.get('[data-testid="receipt-copy"]').attributes('aria-label')).toBe('复制回执码 K7QMA-4XPBZ')
    expect(block.get('[data-testid="voted-receipt-check"]').text()).toBe('核对回执')
    expect(wrapper.find('[data-testid="go-vote"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('says which homes are done and which still wait when only some have voted', async () => {
    const online = { receipt: 'K7QMA-4XPBZ', channel: 'online' as const, status: 'counted', cast_at: '2026-11-22T03:00:00Z', choice: 'agree' as const }
    const second = holding({ holder_id: 4, holder_key: 'TYC0004', units: ['2号楼 1单元101'], proxy_id: 9 })
    mockFetch(() => json(200, vote({ my: [holding({ ballot: online }), second] })))
    const wrapper = await mountVote()

    const block = wrapper.get('[data-testid="voted-block"]')
    expect(block.attributes('data-state')).toBe('some')
    expect(block.get('[data-testid="done-title"]').text()).toBe('您的 2 户已投 1 户')
    const items = block.findAll('[data-testid="done-item"]')
    expect(items.map((i) => [i.text(), i.attributes('data-done')])).toEqual([
      ['1号楼 1单元202已投票 ✓', 'true'],
      ['2号楼 1单元101未投票', 'false'],
    ])
    expect(wrapper.find('[data-testid="go-vote"]').exists()).toBe(true)
    wrapper.unmount()
  })

  it('copies the receipt code and says so, or selects it where the clipboard is refused', async () => {
    const online = { receipt: 'K7QMA-4XPBZ', channel: 'online' as const, status: 'counted', cast_at: '2026-11-22T03:00:00Z', choice: 'agree' as const }
    mockFetch(() => json(200, vote({ my: [holding({ ballot: online })] })))
    const writeText = vi.fn(async (_text: string) => undefined)
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } })
    const wrapper = await mountVote()

    await wrapper.get('[data-testid="receipt-copy"]').trigger('click')
    await flushPromises()
    expect(writeText).toHaveBeenCalledWith('K7QMA-4XPBZ')
    expect(document.body.textContent).toContain('回执码已复制')

    writeText.mockRejectedValueOnce(new Error('not allowed'))
    await wrapper.get('[data-testid="receipt-copy"]').trigger('click')
    await flushPromises()
    expect(window.getSelection()?.toString()).toBe('K7QMA-4XPBZ')
    wrapper.unmount()
  })

  it('puts the focus on the confirm button when the dialog opens and keeps Tab inside it', async () => {
    mockFetch(() => json(200, vote()))
    const wrapper = await mountVote()

    await wrapper.get('[data-testid="choice-agree"]').trigger('click')
    await flushPromises()
    // The dialog's opening transition ends.
    wrapper.findComponent({ name: 'van-dialog' }).vm.$emit('opened')
    await flushPromises()
    const cast = inDocument('confirm-cast')
    const back = inDocument('confirm-back')
    expect(document.activeElement).toBe(cast)
    back?.focus()
    inDocument('confirm-dialog')?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', bubbles: true }))
    expect(document.activeElement).toBe(cast)
    wrapper.unmount()
  })

  it('lets the owner replace a ballot their proxy cast', async () => {
    const byProxy = { receipt: 'ABCDE-FGHJK', channel: 'proxy' as const, status: 'counted', cast_at: '2026-11-22T03:00:00Z', choice: 'agree' as const }
    mockFetch(() => json(200, vote({ my: [holding({ ballot: byProxy, can_replace: true })] })))
    const wrapper = await mountVote()

    expect(wrapper.get('[data-testid="my-ballot"]').attributes('data-channel')).toBe('proxy')
    expect(wrapper.find('[data-testid="proxy-cast-note"]').exists()).toBe(true)
    await wrapper.get('[data-testid="holding-vote"]').trigger('click')
    expect(wrapper.find('[data-testid="choice-oppose"]').exists()).toBe(true)
    wrapper.unmount()
  })

  it('offers no new ballot when the server says the stored one stays', async () => {
    const online = { receipt: 'ABCDE-FGHJK', channel: 'online' as const, status: 'counted', cast_at: '2026-11-22T03:00:00Z', choice: 'agree' as const }
    mockFetch(() => json(200, vote({ allow_change: true, my: [holding({ ballot: online, can_replace: false })] })))
    const wrapper = await mountVote()

    expect(wrapper.get('[data-testid="my-receipt"]').text()).toBe('ABCDE-FGHJK')
    expect(wrapper.find('[data-testid="holding-vote"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="choose"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('reloads the vote when the server says the holding has already voted', async () => {
    let counted = false
    const calls = mockFetch((req) => {
      if (req.method === 'POST') {
        counted = true
        return apiError(409, 'already_voted', '这户业主的票已经计入')
      }
      const ballot = { receipt: 'K7QMA-4XPBZ', channel: 'paper' as const, status: 'counted', cast_at: '2026-11-22T03:00:00Z', choice: 'agree' as const }
      return json(200, vote({ my: [holding({ ballot: counted ? ballot : null })] }))
    })
    const wrapper = await mountVote()

    await wrapper.get('[data-testid="choice-abstain"]').trigger('click')
    await flushPromises()
    inDocument('confirm-cast')?.click()
    await flushPromises()

    expect(calls.filter((c) => c.method === 'GET' && c.path === '/votes/1')).toHaveLength(2)
    expect(document.querySelector('.van-notify')?.textContent).toContain('已经计入')
    expect(wrapper.get('[data-testid="my-channel"]').text()).toBe('纸质表决票')
    wrapper.unmount()
  })

  it('offers the election as a checkbox list limited to the seats', async () => {
    const calls = mockFetch((req) =>
      req.method === 'POST'
        ? json(201, receipt)
        : json(
            200,
            vote({
              form: 'election',
              matter: 'committee',
              seats: 2,
              candidates: [
                { position: 0, name: '王建国' },
                { position: 1, name: '李秀英' },
                { position: 2, name: '张志强' },
              ],
            }),
          ),
    )
    const wrapper = await mountVote()

    expect(wrapper.get('[data-testid="vote-rule-election"]').text()).toContain('2 名')
    const options = wrapper.findAll('[data-testid="candidate-option"]')
    expect(options).toHaveLength(3)
    for (const option of options) await option.trigger('click')
    await wrapper.get('[data-testid="submit-picks"]').trigger('click')
    await flushPromises()
    expect(inDocument('confirm-choice')?.textContent).toContain('王建国、李秀英')
    inDocument('confirm-cast')?.click()
    await flushPromises()
    expect(calls.find((c) => c.method === 'POST')?.body).toMatchObject({ holder_id: 3, candidates: [0, 1] })
    wrapper.unmount()
  })

  it('shows a closed result: the banner, the weights, the checkpoint and how to recount', async () => {
    const w = (area: string, headcount: number) => ({ area, headcount })
    const closed = vote({
      status: 'closed',
      closed_at: '2026-12-06T02:43:00Z',
      publicity_until: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      can_object: true,
      objections: 1,
      checkpoint: { seq: 508, hash: 'a965e4d312df6e8af21c7884a094c5e3e4280054ce71d1a4257a03d2f3cc3a66' },
      result: {
        matter: 'covenant',
        threshold: 'ordinary',
        ballots: 160,
        total: w('25567.68', 207),
        participating: w('18705.63', 160),
        quorum_needed: w('17045.12', 138),
        quorum_met: true,
        agree: w('12310.15', 105),
        oppose: w('4356.94', 38),
        abstain: w('2038.54', 17),
        passed: true,
        unconfirmed_paper: 0,
      },
      attachments: [{ id: 9, name: '公约全文.pdf', content_type: 'application/pdf', sha256: 'ab', size: 20480 }],
    })
    const calls = mockFetch((req) => (req.method === 'POST' ? json(201, { id: 1, by: '罗淑珍', text: '计票有误', created_at: '2026-12-07T00:00:00Z' }) : json(200, closed)))
    const wrapper = await mountVote()

    expect(wrapper.get('[data-testid="result-banner"]').attributes('data-outcome')).toBe('passed')
    expect(wrapper.get('[data-testid="result-banner"]').text()).toBe('表决通过')
    expect(wrapper.get('[data-testid="result-participating"]').text()).toContain('18705.63 m²')
    expect(wrapper.get('[data-testid="result-agree"]').text()).toContain('105 人')
    expect(wrapper.get('[data-testid="vote-result"]').text()).toContain('按面积 73.16%，按人数 77.29%')
    expect(wrapper.get('[data-testid="checkpoint-seq"]').text()).toBe('#508')
    expect(wrapper.get('[data-testid="checkpoint-hash"]').text()).toBe('a965e4d312df6e8af21c7884a094c5e3e4280054ce71d1a4257a03d2f3cc3a66')
    expect(wrapper.get('[data-testid="tally-command"]').text()).toBe(
      'sanfang tally --roster vote-1-roster.csv --ballots vote-1-ballots.csv --matter covenant',
    )
    expect(wrapper.find('[data-testid="export-roster"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="choose"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="vote-attachments"]').text()).toContain('公约全文.pdf')

    await wrapper.get('[data-testid="objection-text"]').setValue('计票有误')
    await wrapper.get('[data-testid="objection-submit"]').trigger('click')
    await flushPromises()
    expect(calls.find((c) => c.method === 'POST')).toMatchObject({ path: '/votes/1/objections', body: { text: '计票有误' } })
    wrapper.unmount()
  })
})
