import { beforeEach, describe, expect, it } from 'vitest'
import type { Pinia } from 'pinia'
import type { VueWrapper } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { MinutesView } from '@/api/minutes'
import { useAuthStore } from '@/stores/auth'
import MinutesViewPage from '@/views/MinutesView.vue'
import MinutesPrintView from '@/views/MinutesPrintView.vue'
import { DIGEST, correctionFixture, minutesFixture, signatureFixture } from '@/__tests__/minutes'
import { meetingFixture } from '@/__tests__/meetings'
import { apiError, freshPage, inDocument, json, mockFetch, openAt, type RecordedRequest, settle, tokens } from '@/__tests__/helpers'

let pinia: Pinia

function router() {
  const stub = { template: '<div />' }
  return createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/meetings/:id', name: 'meeting', component: stub },
      { path: '/meetings/:id/minutes', name: 'minutes', component: MinutesViewPage },
      { path: '/meetings/:id/minutes/print', name: 'minutes-print', component: MinutesPrintView },
      { path: '/meetings/:id/minutes/versions/:version', name: 'minutes-version', component: stub },
    ],
  })
}

/** Answers the page's requests: the minutes (or 404 when `view` is null), the meeting, and `post` for a change. */
function serve(view: MinutesView | null, post?: (req: RecordedRequest) => Response, meeting = meetingFixture({ status: 'held' })): RecordedRequest[] {
  return mockFetch((req) => {
    if (req.method !== 'GET' && post) return post(req)
    if (req.path === '/meetings/5/minutes') return view ? json(200, view) : apiError(404, 'not_found', '没有找到')
    if (req.path === '/meetings/5') return json(200, meeting)
    if (req.path === '/compounds/7') return json(200, { compound: { id: 7, name: '太阳城二期' }, community: { id: 1, name: '太阳城社区', address: null }, buildings: [], parties: [] })
    if (req.path === '/me/inbox') return json(200, [])
    return apiError(404, 'not_found', '没有找到')
  })
}

async function open(path = '/meetings/5/minutes'): Promise<VueWrapper> {
  return openAt(path.endsWith('/print') ? MinutesPrintView : MinutesViewPage, router(), path, pinia)
}

/** Types into a field of a teleported sheet. */
async function fill(testid: string, value: string): Promise<void> {
  const el = inDocument(testid) as HTMLInputElement | HTMLTextAreaElement
  el.value = value
  el.dispatchEvent(new Event('input'))
  await settle()
}

async function tap(testid: string): Promise<void> {
  inDocument(testid)!.click()
  await settle()
}

const posts = (calls: RecordedRequest[]) => calls.filter((c) => c.method !== 'GET')

beforeEach(() => {
  pinia = freshPage()
  useAuthStore().setTokens(tokens(1))
})

describe('MinutesView', () => {
  it('shows where the minutes stand, their text and the signature block, "did not sign" for a seat too late', async () => {
    serve(
      minutesFixture({
        signatures: [
          signatureFixture({ id: 10, seat: 'chair', party_kind: null, party_name: null, person: { id: 2, name: '李书记' }, answer: 'approved', digest: DIGEST, answered_at: '2026-12-07T10:00:00Z' }),
          signatureFixture({ id: 11, answer: 'dissent', person: { id: 4, name: '赵经理' }, opinion: '清运时间应写明早七点前', digest: DIGEST, answered_at: '2026-12-07T11:00:00Z' }),
          signatureFixture({ id: 12, party_kind: 'owners_committee', party_name: '太阳城二期业主委员会', did_not_sign: true }),
        ],
      }),
    )
    const wrapper = await open()
    const steps = wrapper.get('[data-testid="minutes-steps"]')
    expect(steps.attributes('data-status')).toBe('signing')
    expect(steps.get('[aria-current="step"]').text()).toContain('签认')
    expect(wrapper.get('[data-testid="minutes-text-body"]').html()).toContain('<h1>会议纪要</h1>')
    expect(wrapper.get('[data-testid="minutes-digest"]').text()).toContain(DIGEST.slice(0, 12))
    const rows = wrapper.findAll('[data-testid="signature"]')
    expect(rows.map((r) => r.get('[data-testid="signature-answer"]').text())).toEqual(['同意', '附意见同意', '未签认'])
    expect(rows[0]!.get('[data-testid="signature-seat"]').text()).toBe('主持人')
    expect(rows[1]!.get('[data-testid="signature-seat"]').text()).toBe('出席单位 · 太阳城二期物业服务中心')
    expect(rows[1]!.get('[data-testid="signature-opinion"]').text()).toContain('清运时间应写明早七点前')
    expect(rows[1]!.get('[data-testid="signature-digest"]').text()).toContain(DIGEST.slice(0, 12))
    expect(wrapper.get('[data-testid="signatures-progress"]').text()).toBe('2 / 3 已签认')
    // Neither the sign sheet nor the recorder's actions are offered to a reader the server allows neither.
    expect(wrapper.find('[data-testid="minutes-sign"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="minutes-recorder"]').exists()).toBe(false)
    expect(wrapper.findAll('[data-testid="minutes-version"]').map((v) => v.attributes('data-version'))).toEqual(['2', '1'])
    wrapper.unmount()
  })

  it('signs the text shown, sending its digest', async () => {
    const signed = minutesFixture({ signatures: [signatureFixture({ answer: 'approved', digest: DIGEST })] })
    const calls = serve(minutesFixture({ can: { ...minutesFixture().can, sign: true }, signatures: [signatureFixture({ mine: true })] }), () => json(200, signed))
    const wrapper = await open()
    expect(wrapper.get('[data-testid="minutes-sign"]').text()).toContain('太阳城二期物业服务中心')
    await wrapper.get('[data-testid="minutes-sign-open"]').trigger('click')
    await settle()
    expect(inDocument('sign-digest')!.dataset.digest).toBe(DIGEST)
    await tap('sign-choice-approve')
    await tap('sign-submit')
    expect(posts(calls)).toHaveLength(1)
    expect(posts(calls)[0]).toMatchObject({ path: '/meetings/5/minutes/signatures', body: { digest: DIGEST, answer: 'approve', opinion: null } })
    expect(wrapper.find('[data-testid="minutes-sign"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="signature-answer"]').text()).toBe('同意')
    wrapper.unmount()
  })

  it('reads the minutes again when the text changed since it was shown, rather than signing the new one unread', async () => {
    let version = 2
    const calls = mockFetch((req) => {
      if (req.method === 'POST') {
        version = 3
        return apiError(409, 'minutes_changed', '纪要已经改动，请重新阅读')
      }
      if (req.path === '/me/inbox') return json(200, [])
      return json(200, minutesFixture({ version, digest: version === 2 ? DIGEST : 'cc'.repeat(32), can: { ...minutesFixture().can, sign: true }, signatures: [signatureFixture({ mine: true })] }))
    })
    const wrapper = await open()
    await wrapper.get('[data-testid="minutes-sign-open"]').trigger('click')
    await settle()
    await tap('sign-choice-approve')
    await tap('sign-submit')
    expect(posts(calls)).toHaveLength(1)
    expect(calls.filter((c) => c.path === '/meetings/5/minutes' && c.method === 'GET')).toHaveLength(2)
    expect(wrapper.get('[data-testid="minutes-digest"]').attributes('data-digest')).toBe('cc'.repeat(32))
    wrapper.unmount()
  })

  it('does not send a dissent without its opinion, nor a return without its comment', async () => {
    const calls = serve(minutesFixture({ can: { ...minutesFixture().can, sign: true }, signatures: [signatureFixture({ mine: true })] }), () => json(200, minutesFixture()))
    const wrapper = await open()
    await wrapper.get('[data-testid="minutes-sign-open"]').trigger('click')
    await settle()
    await tap('sign-submit')
    expect(inDocument('sign-sheet')!.textContent).toContain('请选择一项')
    await tap('sign-choice-dissent')
    await tap('sign-submit')
    expect(inDocument('sign-sheet')!.textContent).toContain('请填写不同意见')
    await tap('sign-choice-return')
    await fill('sign-opinion', '   ')
    await tap('sign-submit')
    expect(inDocument('sign-sheet')!.textContent).toContain('请填写修改意见')
    expect(posts(calls)).toHaveLength(0)

    await tap('sign-choice-dissent')
    await fill('sign-opinion', '清运时间应写明早七点前')
    await tap('sign-submit')
    expect(posts(calls).map((c) => c.body)).toEqual([{ digest: DIGEST, answer: 'dissent', opinion: '清运时间应写明早七点前' }])
    wrapper.unmount()
  })

  it('shows each correction as a diff, the characters changed marked, and its answer', async () => {
    serve(
      minutesFixture({
        status: 'correcting',
        corrections: [
          correctionFixture(),
          correctionFixture({ id: 2, original: '会议于十点结束。\n', replacement: '会议于十一点结束。\n', status: 'declined', answer: '会议记录显示十点', answered_by: { id: 2, name: '李书记' } }),
        ],
      }),
    )
    const wrapper = await open()
    const [first, second] = wrapper.findAll('[data-testid="correction"]')
    expect(first!.get('del[data-testid="diff-original"]').text()).toBe('物业每日清运一次。')
    expect(first!.get('ins[data-testid="diff-replacement"]').text()).toBe('物业每日清运两次。')
    expect(first!.findAll('[data-testid="diff-removed"]').map((m) => m.text())).toEqual(['一'])
    expect(first!.findAll('[data-testid="diff-inserted"]').map((m) => m.text())).toEqual(['两'])
    expect(first!.get('[data-testid="correction-reason"]').text()).toContain('会上议定的是两次')
    expect(first!.get('[data-testid="correction-status"]').text()).toBe('待答复')
    expect(second!.findAll('[data-testid="diff-inserted"]').map((m) => m.text())).toEqual(['一'])
    expect(second!.get('[data-testid="correction-answer"]').text()).toBe('李书记 答复：会议记录显示十点')
    // Only the recorder answers.
    expect(wrapper.find('[data-testid="correction-accept"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('lets an attendee propose a correction by editing the whole text, on the version read', async () => {
    const calls = serve(minutesFixture({ status: 'correcting', version: 1, can: { ...minutesFixture().can, correct: true } }), () => json(201, minutesFixture({ status: 'correcting', corrections: [correctionFixture()] })))
    const wrapper = await open()
    await wrapper.get('[data-testid="minutes-propose-open"]').trigger('click')
    await settle()
    const text = inDocument('propose-text') as HTMLTextAreaElement
    expect(text.value).toBe(minutesFixture().text)
    await fill('propose-reason', '会上议定的是三次')
    await tap('propose-submit')
    expect(inDocument('propose-sheet')!.textContent).toContain('正文还没有改动')
    expect(posts(calls)).toHaveLength(0)

    await fill('propose-text', text.value.replace('两次', '三次'))
    await tap('propose-submit')
    expect(posts(calls)[0]).toMatchObject({
      path: '/meetings/5/minutes/corrections',
      body: { version: 1, text: '# 会议纪要\n\n物业每日清运三次。\n', reason: '会上议定的是三次' },
    })
    expect(wrapper.findAll('[data-testid="correction"]')).toHaveLength(1)
    wrapper.unmount()
  })

  it('lets the recorder accept a correction with a reason, and holds the sign-off back while one waits', async () => {
    const recorder = { edit: true, correct: false, sign: false, publish: false, add_addendum: false }
    const calls = serve(minutesFixture({ status: 'correcting', can: recorder, corrections: [correctionFixture()] }), () =>
      json(200, minutesFixture({ status: 'correcting', version: 3, can: recorder, corrections: [correctionFixture({ status: 'accepted', answer: '同意' })] })),
    )
    const wrapper = await open()
    expect(wrapper.get('[data-testid="minutes-sign-off"]').attributes('disabled')).toBeDefined()
    expect(wrapper.get('[data-testid="corrections-waiting"]').text()).toContain('1')
    await wrapper.get('[data-testid="correction-accept"]').trigger('click')
    await settle()
    await tap('correction-answer-submit')
    expect(inDocument('correction-answer-sheet')!.textContent).toContain('请填写答复理由')
    await fill('correction-answer-reason', '同意')
    await tap('correction-answer-submit')
    expect(posts(calls)[0]).toMatchObject({ path: '/meetings/5/minutes/corrections/1/answer', body: { accept: true, reason: '同意' } })
    expect(wrapper.get('[data-testid="correction-status"]').text()).toBe('已采纳')
    expect(wrapper.get('[data-testid="minutes-sign-off"]').attributes('disabled')).toBeUndefined()
    wrapper.unmount()
  })

  it('offers the recorder of a held meeting to draft the minutes from the record when there are none', async () => {
    const calls = serve(null, (req) => (req.path === '/meetings/5/minutes' ? json(201, minutesFixture({ status: 'drafting', version: 1 })) : apiError(404, 'not_found', '')), meetingFixture({ status: 'held', can: { ...meetingFixture().can, record: true } }))
    const wrapper = await open()
    expect(wrapper.get('[data-testid="minutes-none"]').text()).toContain('本次会议还没有纪要')
    await wrapper.get('[data-testid="minutes-draft"]').trigger('click')
    await settle()
    expect(posts(calls)).toMatchObject([{ method: 'POST', path: '/meetings/5/minutes' }])
    expect(wrapper.get('[data-testid="minutes-status"]').text()).toBe('起草中')
    wrapper.unmount()
  })

  it('offers no draft to whoever does not keep the record', async () => {
    serve(null)
    const wrapper = await open()
    expect(wrapper.get('[data-testid="minutes-none"]').text()).toContain('本次会议还没有纪要')
    expect(wrapper.find('[data-testid="minutes-draft"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('shows published minutes with their publicity, reads, addenda and a late committee meeting', async () => {
    serve(
      minutesFixture({
        status: 'published',
        meeting_kind: 'committee',
        published_at: '2026-12-12T02:00:00Z',
        publicity_until: '2026-12-19T02:00:00Z',
        publish_due: '2026-12-09T07:00:00Z',
        late: true,
        reads: { recipients: 120, read: 37 },
        addenda: [{ id: 1, text: '补充：监控于月底前安装。', text_html: '<p>补充：监控于月底前安装。</p>', digest: 'bb'.repeat(32), author: { id: 2, name: '李书记' }, created_at: '2026-12-13T02:00:00Z' }],
      }),
    )
    const wrapper = await open()
    expect(wrapper.get('[data-testid="minutes-reads"]').text()).toBe('已读 37 / 120 人')
    expect(wrapper.get('[data-testid="minutes-late"]').text()).toContain('晚于规定时间公布')
    expect(wrapper.get('[data-testid="minutes-addendum"]').text()).toContain('监控于月底前安装')
    wrapper.unmount()
  })
})

describe('MinutesPrintView', () => {
  it('prints the meeting, the sign-in list, the text and the signature block with its dissent and "did not sign"', async () => {
    serve(
      minutesFixture({
        status: 'published',
        signatures: [
          signatureFixture({ id: 11, answer: 'dissent', person: { id: 4, name: '赵经理' }, opinion: '清运时间应写明早七点前', digest: DIGEST, answered_at: '2026-12-07T11:00:00Z' }),
          signatureFixture({ id: 12, party_kind: 'owners_committee', party_name: '太阳城二期业主委员会', did_not_sign: true }),
        ],
      }),
      undefined,
      meetingFixture({
        status: 'held',
        invitations: [
          { id: 3, person: { id: 4, name: '赵经理' }, capacity: 'party', party_kind: 'property_company', party_name: '太阳城二期物业服务中心', answer: 'attending', signed_in_at: '2026-12-06T06:55:00Z', sign_in_method: 'qr' },
          { id: 4, person: { id: 6, name: '刘主任' }, capacity: 'party', party_kind: 'owners_committee', party_name: '太阳城二期业主委员会', answer: 'pending' },
        ],
      }),
    )
    const wrapper = await open('/meetings/5/minutes/print')
    expect(wrapper.get('[data-testid="print-title"]').text()).toBe('北门垃圾清运三方协商')
    expect(wrapper.get('[data-testid="print-community"]').text()).toBe('太阳城社区')
    expect(wrapper.get('[data-testid="print-place"]').text()).toBe('社区议事厅')
    expect(wrapper.findAll('[data-testid="print-invitation"]').map((r) => r.attributes('data-signed-in'))).toEqual(['yes', 'no'])
    expect(wrapper.get('[data-testid="print-text"]').html()).toContain('物业每日清运两次')
    const rows = wrapper.findAll('[data-testid="print-signature"]')
    expect(rows.map((r) => r.attributes('data-did-not-sign'))).toEqual(['no', 'yes'])
    expect(rows[1]!.text()).toContain('未签认')
    expect(wrapper.get('[data-testid="print-opinion"]').text()).toContain('清运时间应写明早七点前')
    expect(wrapper.get('[data-testid="print-footer"]').text()).toContain(DIGEST)
    expect(document.head.querySelector('style[data-sf-print="minutes"]')?.textContent).toContain('size: A4')
    wrapper.unmount()
    expect(document.head.querySelector('style[data-sf-print="minutes"]')).toBeNull()
  })
})
