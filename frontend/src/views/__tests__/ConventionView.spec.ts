import { beforeEach, describe, expect, it } from 'vitest'
import type { Pinia } from 'pinia'
import type { VueWrapper } from '@vue/test-utils'
import { createMemoryHistory, createRouter, type Router } from 'vue-router'
import type { Acknowledgements, ConventionView } from '@/api/conventions'
import type { MeetingSummary } from '@/api/meetings'
import { useAuthStore } from '@/stores/auth'
import ConventionViewPage from '@/views/ConventionView.vue'
import { CONVENTION_DIGEST, adoptionFixture, conventionFixture } from '@/__tests__/conventions'
import { apiError, compoundDetail, freshPage, inDocument, json, mockFetch, openAt, type RecordedRequest, settle, tokens } from '@/__tests__/helpers'

let pinia: Pinia

/** Version 2 in force since 1 December 2026, adopted as a pledge by the three-party meeting. */
const PLEDGE: Partial<ConventionView> = {
  status: 'in_force',
  phase: 'in_force',
  in_force: { version: 2, digest: CONVENTION_DIGEST, from: '2026-12-01T02:00:00Z', route: 'pledge', compounds: [] },
  adoptions: [adoptionFixture({ decided_by: 'three_party', decided_on: '2026-11-30', record: '三方协商会议纪要第 3 项' })],
}

/** Version 2 in force, adopted by the owners' vote 12. */
const VOTED: Partial<ConventionView> = {
  status: 'in_force',
  phase: 'in_force',
  in_force: { version: 2, digest: CONVENTION_DIGEST, from: '2026-12-20T00:00:00Z', route: 'vote', compounds: [] },
  adoptions: [
    adoptionFixture({ route: 'vote', compound_id: 7, compound_name: '太阳城二期', vote_id: 12, vote_title: '《文明养犬公约》表决', result: { passed: true, quorum_met: true }, in_force_from: '2026-12-20T00:00:00Z' }),
  ],
}

const NONE: Acknowledgements = { version: 2, mine: [], coverage: null }

/** A meeting of compound 7 in its list, held unless said otherwise. */
const held = (m: Partial<MeetingSummary> & Pick<MeetingSummary, 'id' | 'kind' | 'title' | 'starts_at'>): MeetingSummary => ({
  community_id: 1,
  compound_ids: [7],
  duration_minutes: 90,
  status: 'held',
  ...m,
})

/** What GET /compounds/{id}/meetings lists, by compound. */
let meetingsOf: Record<number, MeetingSummary[]> = {}

let router: Router

function routes(): Router {
  const stub = { template: '<div />' }
  const names = ['convention-edit', 'convention-compare', 'convention-report', 'convention-version', 'convention-print', 'vote', 'conventions', 'convention-register', 'community-convention-register', 'questionnaire', 'concern', 'meeting']
  const paths = ['/conventions/:id/edit', '/conventions/:id/compare', '/conventions/:id/report', '/conventions/:id/versions/:version', '/conventions/:id/print', '/votes/:id', '/compounds/:id/conventions', '/compounds/:id/convention-register', '/communities/:id/convention-register', '/questionnaires/:id', '/concerns/:id', '/meetings/:id']
  return createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/conventions/:id', name: 'convention', component: ConventionViewPage }, ...names.map((name, i) => ({ path: paths[i]!, name, component: stub }))],
  })
}

/** Serves convention 9 as `convention` and its acknowledgements as `acks`; `post` answers the POSTs. */
function serve(convention: ConventionView, acks: Acknowledgements = NONE, post: (req: RecordedRequest) => Response = () => apiError(404, 'not_found', '没有找到')): RecordedRequest[] {
  return mockFetch((req) => {
    if (req.method === 'POST') return post(req)
    if (req.path === '/conventions/9') return json(200, convention)
    if (req.path === '/conventions/9/comments') return json(200, [])
    if (req.path === '/conventions/9/acknowledgements') return json(200, acks)
    if (req.path === '/compounds/7') return json(200, compoundDetail)
    const meetings = /^\/compounds\/(\d+)\/meetings$/.exec(req.path)
    if (meetings) return json(200, meetingsOf[Number(meetings[1])] ?? [])
    if (req.path === '/communities/1') return json(200, { community: compoundDetail.community, compounds: [compoundDetail.compound, { ...compoundDetail.compound, id: 8, name: '太阳城三期' }], parties: [] })
    return apiError(404, 'not_found', '没有找到')
  })
}

function open(hash = ''): Promise<VueWrapper> {
  router = routes()
  return openAt(ConventionViewPage, router, `/conventions/9${hash}`, pinia)
}

/** Where tapping a cell that leads elsewhere goes. */
async function follow(w: VueWrapper, testid: string): Promise<string> {
  await w.get(`[data-testid="${testid}"]`).trigger('click')
  await settle()
  const path = router.currentRoute.value.fullPath
  await router.back()
  await settle()
  return path
}

/** Types into a field of the teleported sheet, or taps one of its controls. */
async function sheet(testid: string, value?: string): Promise<void> {
  const el = inDocument(testid)!
  if (value === undefined) el.click()
  else {
    ;(el as HTMLInputElement).value = value
    el.dispatchEvent(new Event('input'))
  }
  await settle()
}

const posted = (calls: RecordedRequest[]) => calls.filter((c) => c.method === 'POST')

beforeEach(() => {
  pinia = freshPage()
  useAuthStore().setTokens(tokens(1))
  meetingsOf = {}
})

describe('ConventionView: adoption', () => {
  it('shows a pledge as a pledge, decided by the three-party meeting and binding nobody, with the printed text and the register', async () => {
    serve(conventionFixture(PLEDGE))
    const w = await open()
    const banner = w.get('[data-testid="convention-status"]')
    expect(banner.attributes('data-route')).toBe('pledge')
    expect(w.get('[data-testid="convention-in-force"]').text()).toBe('居民倡议 · 现行有效')
    expect(w.get('[data-testid="convention-in-force-since"]').text()).toBe('自 2026年12月1日 起施行')
    expect(w.get('[data-testid="convention-in-force-version"]').text()).toBe(`第 2 版 · SHA-256 ${CONVENTION_DIGEST.slice(0, 12)}…`)
    expect(w.get('[data-testid="convention-how"]').text()).toContain('由三方协商会议于 2026年11月30日 决定发布的倡议')
    expect(w.get('[data-testid="convention-pledge-note"]').text()).toContain('不是业主大会的决定')
    expect(w.find('[data-testid="convention-vote-link"]').exists()).toBe(false)
    expect(w.find('[data-testid="adoption-minutes"]').exists()).toBe(false)
    expect(w.get('[data-testid="convention-enforcer"]').text()).toBe('物业服务企业')
    expect(await follow(w, 'convention-print')).toBe('/conventions/9/print')
    expect(await follow(w, 'convention-register')).toBe('/compounds/7/convention-register')
    // Nobody here has a household to confirm nor coverage to see: no card.
    expect(w.find('#acknowledge').exists()).toBe(false)
    w.unmount()
  })

  it('shows a vote with its title and link, and the history of each round', async () => {
    serve(conventionFixture(VOTED))
    const w = await open()
    expect(w.get('[data-testid="convention-status"]').attributes('data-route')).toBe('vote')
    expect(w.get('[data-testid="convention-in-force"]').text()).toBe('现行有效')
    expect(w.get('[data-testid="convention-how"]').text()).toContain('经业主表决通过')
    const link = w.get('[data-testid="convention-vote-link"]')
    expect(link.text()).toBe('《文明养犬公约》表决')
    expect(link.attributes('href')).toBe('/votes/12')
    expect(w.find('[data-testid="convention-pledge-note"]').exists()).toBe(false)
    const rows = w.findAll('[data-testid="adoption-row"]')
    expect(rows).toHaveLength(1)
    expect(rows[0]!.get('[data-testid="adoption-status"]').text()).toBe('已生效')
    expect(rows[0]!.get('[data-testid="adoption-result"]').text()).toBe('通过')
    w.unmount()
  })

  it('says when the last vote missed its quorum and the convention went back to drafting', async () => {
    const failed = adoptionFixture({ route: 'vote', status: 'failed', vote_id: 12, vote_title: '《文明养犬公约》表决', result: { passed: false, quorum_met: false } })
    serve(conventionFixture({ adoptions: [failed] }))
    const w = await open()
    const box = w.get('[data-testid="convention-failed"]')
    expect(box.text()).toContain('上一轮表决未通过')
    expect(w.get('[data-testid="convention-failed-result"]').text()).toContain('未达法定人数')
    expect(box.text()).toContain('退回起草')
    expect(w.find('[data-testid="convention-print"]').exists()).toBe(false)
    w.unmount()
  })

  it('records a pledge: the decision, who made it, when and its record, on the version read', async () => {
    const calls = serve(conventionFixture({ can: { edit: true, answer: true, comment: false, put: true, acknowledge: false, record_acknowledgements: false, report_breach_in: [] } }), NONE, () =>
      json(200, conventionFixture(PLEDGE)),
    )
    const w = await open()
    await w.get('[data-testid="convention-put"]').trigger('click')
    await settle()
    expect(inDocument('adoption-fixed')?.textContent).toContain(`第 2 版 · SHA-256 ${CONVENTION_DIGEST.slice(0, 12)}…`)
    await sheet('adoption-route-pledge')
    await sheet('adoption-submit')
    expect(posted(calls)).toHaveLength(0)
    expect(inDocument('adoption-sheet')?.textContent).toContain('请选择作出决定的机构')
    await sheet('adoption-by-three_party')
    await sheet('adoption-decided-on', '2026-11-30')
    await sheet('adoption-record', '三方协商会议纪要第 3 项')
    await sheet('adoption-submit')
    expect(posted(calls).map((c) => [c.path, c.body])).toEqual([
      ['/conventions/9/adoptions', { action: 'adopt', route: 'pledge', version: 2, decided_on: '2026-11-30', record: '三方协商会议纪要第 3 项', decided_by: 'three_party' }],
    ])
    expect(w.get('[data-testid="convention-status"]').attributes('data-route')).toBe('pledge')
    w.unmount()
  })

  it('drafts the vote with its window, then leads to the vote to publish it', async () => {
    const adopting = conventionFixture({
      kind: 'covenant',
      status: 'adopting',
      phase: 'adopting',
      routes: ['vote'],
      adoptions: [adoptionFixture({ route: 'vote', status: 'pending', compound_id: 7, compound_name: '太阳城二期', vote_id: 31, vote_title: '《文明养犬公约》表决' })],
    })
    const calls = serve(conventionFixture({ kind: 'covenant', routes: ['vote'], can: { edit: true, answer: true, comment: false, put: true, acknowledge: false, record_acknowledgements: false, report_breach_in: [] } }), NONE, () => json(200, adopting))
    const w = await open()
    await w.get('[data-testid="convention-put"]').trigger('click')
    await settle()
    expect(inDocument('adoption-route')?.textContent).toContain('业主大会表决')
    await sheet('adoption-opens-at', '2027-01-10T09:00')
    await sheet('adoption-closes-at', '2027-01-24T18:00')
    await sheet('adoption-submit')
    expect(posted(calls).map((c) => [c.path, c.body])).toEqual([
      [
        '/conventions/9/adoptions',
        { action: 'adopt', route: 'vote', version: 2, opens_at: new Date('2027-01-10T09:00').toISOString(), closes_at: new Date('2027-01-24T18:00').toISOString() },
      ],
    ])
    expect(w.get('[data-testid="convention-adopting"]').text()).toContain('正在由业主表决')
    expect(w.get('[data-testid="convention-pending-vote"]').attributes('href')).toBe('/votes/31')
    const publish = w.get('[data-testid="convention-publish-vote"]')
    expect(publish.text()).toBe('去发布表决')
    w.unmount()
  })
  it('holds the vote on a community-wide convention in the compounds chosen, one each', async () => {
    const can = { edit: true, answer: true, comment: false, put: true, acknowledge: false, record_acknowledgements: false, report_breach_in: [] }
    const wide = conventionFixture({ compound_id: null, scope_name: '太阳城社区', can, adoptions: [adoptionFixture({ route: 'vote', status: 'failed', result: { passed: false, quorum_met: true } })] })
    const calls = serve(wide, NONE, () => json(200, wide))
    const w = await open()
    expect(await follow(w, 'convention-register')).toBe('/communities/1/convention-register')
    await w.get('[data-testid="convention-put"]').trigger('click')
    await settle()
    const boxes = document.querySelectorAll<HTMLElement>('[data-testid="adoption-compound"]')
    expect([...boxes].map((b) => b.textContent?.trim())).toEqual(['太阳城二期', '太阳城三期'])
    boxes[1]!.click()
    await settle()
    await sheet('adoption-submit')
    expect(posted(calls)[0]?.body).toMatchObject({ action: 'adopt', route: 'vote', version: 2, compound_ids: [7] })
    w.unmount()
  })

  it('records a pledge decided at a committee meeting held here: its minutes are the record and its day the day decided', async () => {
    meetingsOf[7] = [
      held({ id: 20, kind: 'committee', title: '十月业委会例会', starts_at: '2026-10-15T07:00:00Z' }),
      held({ id: 21, kind: 'committee', title: '十一月业委会例会', starts_at: '2026-11-20T07:00:00Z' }),
      held({ id: 22, kind: 'committee', title: '十二月业委会例会', starts_at: '2026-12-20T07:00:00Z', status: 'scheduled' }),
      held({ id: 23, kind: 'consultation', title: '文明养犬三方协商', starts_at: '2026-11-25T07:00:00Z' }),
    ]
    const minuted = { ...PLEDGE, adoptions: [adoptionFixture({ decided_by: 'owners_committee', decided_on: '2026-11-20', meeting_id: 21, meeting_title: '十一月业委会例会' })] }
    let answer = apiError(422, 'validation_failed', '请检查', { fields: { meeting_id: '这次会议还没有结束' } })
    const calls = serve(conventionFixture({ can: { edit: true, answer: true, comment: false, put: true, acknowledge: false, record_acknowledgements: false, report_breach_in: [] } }), NONE, () => answer)
    const w = await open()
    await w.get('[data-testid="convention-put"]').trigger('click')
    await settle()
    await sheet('adoption-route-pledge')
    // Which meetings fit depends on who decided: none before that is chosen.
    expect(inDocument('adoption-meeting')).toBeNull()
    const choices = async () => {
      document.querySelector<HTMLElement>('[data-testid="adoption-meeting"] .sf-select')!.click()
      await settle()
      return [...document.querySelectorAll('.van-picker-column__item')].map((o) => o.textContent?.trim())
    }
    await sheet('adoption-by-three_party')
    expect(await choices()).toEqual(['未在平台上召开', '文明养犬三方协商（2026年11月25日）'])
    await sheet('adoption-by-owners_committee')
    expect(await choices()).toEqual(['未在平台上召开', '十一月业委会例会（2026年11月20日）', '十月业委会例会（2026年10月15日）'])
    w.findComponent({ name: 'van-picker' }).vm.$emit('confirm', { selectedValues: [21] })
    await settle()
    expect(inDocument('adoption-meeting')?.textContent).toContain('十一月业委会例会')
    expect(inDocument('adoption-meeting-hint')?.textContent).toContain('会议纪要就是决定记录')
    expect((inDocument('adoption-decided-on') as HTMLInputElement).value).toBe('')

    await sheet('adoption-submit')
    expect(posted(calls).map((c) => c.body)).toEqual([{ action: 'adopt', route: 'pledge', version: 2, decided_by: 'owners_committee', meeting_id: 21 }])
    expect(inDocument('adoption-meeting')?.textContent).toContain('这次会议还没有结束')

    answer = json(200, conventionFixture(minuted))
    await sheet('adoption-submit')
    expect(posted(calls)).toHaveLength(2)
    const minutes = w.get('[data-testid="convention-how"] [data-testid="adoption-minutes"]')
    expect(minutes.text()).toBe('会议纪要：十一月业委会例会')
    expect(minutes.attributes('href')).toBe('/meetings/21')
    expect(w.get('[data-testid="adoption-row"] [data-testid="adoption-minutes"]').attributes('href')).toBe('/meetings/21')
    w.unmount()
  })

  it('offers the residents’ meetings of every compound of a community-wide convention, and asks for the record again when none is chosen', async () => {
    const can = { edit: true, answer: true, comment: false, put: true, acknowledge: false, record_acknowledgements: false, report_breach_in: [] }
    const together = held({ id: 30, kind: 'residents_meeting', title: '全社区居民会议', starts_at: '2026-11-02T07:00:00Z', compound_ids: [7, 8] })
    meetingsOf[7] = [together]
    meetingsOf[8] = [together, held({ id: 31, kind: 'residents_meeting', title: '三期居民会议', starts_at: '2026-11-28T07:00:00Z', compound_ids: [8] })]
    const calls = serve(conventionFixture({ compound_id: null, scope_name: '太阳城社区', routes: ['residents_meeting', 'pledge'], can }))
    const w = await open()
    await w.get('[data-testid="convention-put"]').trigger('click')
    await settle()
    expect(calls.filter((c) => c.path.endsWith('/meetings')).map((c) => c.path)).toEqual(['/compounds/7/meetings', '/compounds/8/meetings'])
    document.querySelector<HTMLElement>('[data-testid="adoption-meeting"] .sf-select')!.click()
    await settle()
    expect([...document.querySelectorAll('.van-picker-column__item')].map((o) => o.textContent?.trim())).toEqual(['未在平台上召开', '三期居民会议（2026年11月28日）', '全社区居民会议（2026年11月2日）'])
    w.findComponent({ name: 'van-picker' }).vm.$emit('confirm', { selectedValues: [30] })
    await settle()
    w.findComponent({ name: 'van-picker' }).vm.$emit('confirm', { selectedValues: [0] })
    await settle()
    expect(inDocument('adoption-meeting-hint')).toBeNull()
    await sheet('adoption-submit')
    expect(posted(calls)).toEqual([])
    expect(inDocument('adoption-sheet')?.textContent).toContain('请填写决定记录')
    w.unmount()
  })
})

describe('ConventionView: acknowledgement', () => {
  it('lets an owner confirm a household with one big button, then shows it confirmed', async () => {
    const mine = { holder_id: 3, compound_name: '太阳城二期', homes: ['3号楼 2-301'], acknowledged_at: null, channel: null }
    const calls = serve(conventionFixture({ ...VOTED, can: { edit: false, answer: false, comment: false, put: false, acknowledge: true, record_acknowledgements: false, report_breach_in: [] } }), { version: 2, mine: [mine], coverage: null }, () =>
      json(201, { version: 2, mine: [{ ...mine, acknowledged_at: '2026-12-21T02:00:00Z', channel: 'online' }], coverage: null }),
    )
    const w = await open('#acknowledge')
    const card = w.get('#acknowledge')
    expect(card.text()).toContain('3号楼 2-301')
    expect(card.find('[data-testid="ack-done"]').exists()).toBe(false)
    await card.get('[data-testid="ack-button"]').trigger('click')
    await settle()
    expect(posted(calls).map((c) => [c.path, c.body])).toEqual([['/conventions/9/acknowledgements', { holder_id: 3 }]])
    expect(w.find('[data-testid="ack-button"]').exists()).toBe(false)
    const done = w.get('[data-testid="ack-done"]')
    expect(done.text()).toContain('已确认')
    expect(done.text()).toContain('网上确认')
    w.unmount()
  })

  it('shows the parties the coverage overall and by building, and enters a paper confirmation', async () => {
    const pending = [{ holder_id: 5, compound_name: '太阳城二期', homes: ['2号楼 1-101'], acknowledged_at: null, channel: null }]
    const coverage = {
      households: 120,
      acknowledged: 45,
      online: 40,
      paper: 5,
      buildings: [
        { compound_name: '太阳城二期', building: '1号楼', households: 60, acknowledged: 30 },
        { compound_name: '太阳城二期', building: '2号楼', households: 60, acknowledged: 15 },
      ],
      pending,
    }
    const after = { ...coverage, acknowledged: 46, paper: 6, pending: [] }
    const calls = serve(conventionFixture({ ...PLEDGE, can: { edit: true, answer: true, comment: false, put: true, acknowledge: false, record_acknowledgements: true, report_breach_in: [] } }), { version: 2, mine: [], coverage }, () =>
      json(201, { version: 2, mine: [], coverage: after }),
    )
    const w = await open()
    expect(w.get('[data-testid="ack-coverage-total"]').text()).toBe('已确认 45 / 120 户')
    expect(w.get('[data-testid="ack-coverage"]').text()).toContain('37%')
    expect(w.get('[data-testid="ack-coverage-channels"]').text()).toBe('网上确认 40 户，纸质签字 5 户')
    expect(w.findAll('[data-testid="ack-building"]').map((b) => [b.attributes('data-building'), b.get('[data-testid="ack-building-count"]').text()])).toEqual([
      ['1号楼', '30 / 60 户'],
      ['2号楼', '15 / 60 户'],
    ])
    expect(w.find('[data-testid="ack-remind"]').exists()).toBe(true)

    await w.get('[data-testid="ack-paper-open"]').trigger('click')
    await settle()
    document.querySelector<HTMLElement>('[data-testid="ack-paper-sheet"] .sf-select')!.click()
    await settle()
    document.querySelector<HTMLElement>('.van-picker__confirm')!.click()
    await settle()
    await sheet('ack-paper-signed-on', '2026-12-05')
    await sheet('ack-paper-submit')
    expect(posted(calls).map((c) => [c.path, c.body])).toEqual([['/conventions/9/acknowledgements/paper', { holder_id: 5, signed_on: '2026-12-05', scan_file_id: null }]])
    expect(w.get('[data-testid="ack-coverage-total"]').text()).toBe('已确认 46 / 120 户')
    expect(w.find('[data-testid="ack-all-done"]').exists()).toBe(true)
    w.unmount()
  })
})

/** The text of version 2 as the page shows it: 第一条 and 第二条, then 第三条 in its own chapter. */
const CHAPTERS: ConventionView['chapters'] = [
  {
    id: 'c1',
    title: '',
    articles: [
      { id: 'a1', label: '第一条', text: '养犬应当登记。', comments: 0, amendments: 0, unanswered: 0 },
      { id: 'a2', label: '第二条', text: '出户应当束犬链。', comments: 0, amendments: 0, unanswered: 0 },
    ],
  },
  { id: 'c2', label: '第二章', title: '附则', articles: [{ id: 'a3', label: '第三条', text: '本公约自公布之日起施行。', comments: 0, amendments: 0, unanswered: 0 }] },
]
const OWNER_CAN = { edit: false, answer: false, comment: false, put: false, acknowledge: false, record_acknowledgements: false }

/** The breach sheet's field errors, as shown at the fields. */
const sheetErrors = () => [...document.querySelectorAll('[data-testid="breach-sheet"] .van-field__error-message, [data-testid="breach-error"]')].map((e) => e.textContent?.trim())

describe('ConventionView: breach reports', () => {
  it('reports a breach of an article in force with what happened, where and a photo, then opens the concern', async () => {
    const calls = serve(conventionFixture({ ...VOTED, enforcer: 'owners_committee', chapters: CHAPTERS, can: { ...OWNER_CAN, report_breach_in: [7] } }), NONE, (req) =>
      req.path === '/compounds/7/concerns' ? json(201, { id: 55 }) : json(201, { id: 301, name: 'dog.png' }),
    )
    const w = await open()
    const buttons = w.findAll('[data-testid="convention-article"] [data-testid="convention-breach"]')
    expect(buttons.map((b) => b.text())).toEqual(['报告违反', '报告违反', '报告违反'])
    await w.get('[data-article="a2"] [data-testid="convention-breach"]').trigger('click')
    await settle()
    const head = inDocument('breach-article')!
    expect(head.dataset.article).toBe('a2')
    expect(head.textContent).toContain('《文明养犬公约》第二条')
    expect(head.textContent).toContain('出户应当束犬链。')
    // Only one compound: no picker.
    expect(inDocument('breach-compound')).toBeNull()
    expect(inDocument('breach-enforcer')?.textContent).toContain('转交业主委员会处理')

    // Nothing said: told at the field, nothing sent.
    await sheet('breach-submit')
    expect(sheetErrors()).toEqual(['请写下发生了什么'])
    expect(posted(calls)).toEqual([])

    await sheet('breach-text', '  有人在绿地遛犬不牵绳  ')
    await sheet('breach-location', '7号楼东侧绿地')
    const input = inDocument('breach-photos') as HTMLInputElement
    const photo = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'dog.png', { type: 'image/png' })
    Object.defineProperty(input, 'files', { value: [photo], configurable: true })
    input.dispatchEvent(new Event('change'))
    await settle()
    expect(document.querySelectorAll('[data-testid="breach-photos-picked"]')).toHaveLength(1)
    await sheet('breach-submit')

    const sent = posted(calls)
    expect(sent.map((c) => c.path)).toEqual(['/compounds/7/concerns', '/concerns/55/photos'])
    expect(sent[0]!.body).toEqual({ text: '有人在绿地遛犬不牵绳', location: '7号楼东侧绿地', convention_id: 9, article_id: 'a2' })
    expect(sent[1]!.query.get('name')).toBe('dog.png')
    expect(router.currentRoute.value.fullPath).toBe('/concerns/55')
    w.unmount()
  })

  it('asks for the compound where the caller may report in several, and shows the server’s refusal of the article', async () => {
    const wide = conventionFixture({ ...VOTED, compound_id: null, scope_name: '太阳城社区', chapters: CHAPTERS, can: { ...OWNER_CAN, report_breach_in: [7, 8] } })
    const calls = serve(wide, NONE, () => apiError(422, 'validation_failed', '请检查', { fields: { article_id: '这一条不在现行有效的文本中' } }))
    const w = await open()
    await w.get('[data-article="a1"] [data-testid="convention-breach"]').trigger('click')
    await settle()
    await sheet('breach-text', '夜里十一点后遛犬吠叫')
    await sheet('breach-submit')
    expect(sheetErrors()).toEqual(['请选择小区'])
    expect(posted(calls)).toEqual([])

    // The names come from the community's page; 太阳城三期 is chosen.
    document.querySelector<HTMLElement>('[data-testid="breach-compound"] .sf-select')!.click()
    await settle()
    expect([...document.querySelectorAll('.van-picker-column__item')].map((o) => o.textContent?.trim())).toEqual(['太阳城二期', '太阳城三期'])
    w.findComponent({ name: 'van-picker' }).vm.$emit('confirm', { selectedValues: [8] })
    await settle()
    await sheet('breach-submit')
    expect(posted(calls).map((c) => [c.path, c.body])).toEqual([['/compounds/8/concerns', { text: '夜里十一点后遛犬吠叫', location: null, convention_id: 9, article_id: 'a1' }]])
    expect(sheetErrors()).toEqual(['这一条不在现行有效的文本中'])
    expect(router.currentRoute.value.fullPath).toBe('/conventions/9')
    w.unmount()
  })

  it('offers the report only on the articles of the text in force, numbered as in force, and not to those who may not', async () => {
    // Version 3 is being drafted: 第二条 was removed and a new article added; version 2 is in force.
    const draft: ConventionView['chapters'] = [
      { id: 'c1', title: '', articles: [CHAPTERS[0]!.articles[0]!, { id: 'a4', label: '第二条', text: '新增的条文。', comments: 0, amendments: 0, unanswered: 0 }] },
      { ...CHAPTERS[1]!, articles: [{ ...CHAPTERS[1]!.articles[0]!, label: '第三条' }] },
    ]
    const amending = conventionFixture({ ...VOTED, version: 3, chapters: draft, can: { ...OWNER_CAN, report_breach_in: [7] } })
    mockFetch((req) => {
      if (req.path === '/conventions/9') return json(200, amending)
      if (req.path === '/conventions/9/versions/2') return json(200, { chapters: CHAPTERS, preamble: '', version: { version: 2 } })
      if (req.path === '/conventions/9/acknowledgements') return json(200, NONE)
      return json(200, [])
    })
    const w = await open()
    expect(w.findAll('[data-testid="convention-breach"]').map((b) => b.element.closest('[data-article]')?.getAttribute('data-article'))).toEqual(['a1', 'a3'])
    w.unmount()

    serve(conventionFixture({ ...VOTED, chapters: CHAPTERS, can: { ...OWNER_CAN, report_breach_in: [] } }))
    const other = await open()
    expect(other.findAll('[data-testid="convention-article"]')).toHaveLength(3)
    expect(other.find('[data-testid="convention-breach"]').exists()).toBe(false)
    other.unmount()
  })
})
