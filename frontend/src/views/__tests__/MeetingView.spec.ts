import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { Pinia } from 'pinia'
import type { VueWrapper } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { MeetingInvitation, MeetingView } from '@/api/meetings'
import { useAuthStore } from '@/stores/auth'
import MeetingViewPage from '@/views/MeetingView.vue'
import { apiError, freshPage, inDocument, json, mockFetch, openAt, type RecordedRequest, settle, tokens } from '@/__tests__/helpers'

function invitation(id: number, patch: Partial<MeetingInvitation> = {}): MeetingInvitation {
  return { id, person: { id: id + 10, name: `人${id}` }, capacity: 'party', party_kind: 'property_company', party_name: '太阳城二期物业服务中心', answer: 'pending', ...patch }
}

function meeting(patch: Partial<MeetingView> = {}): MeetingView {
  const mine = invitation(3, { person: { id: 4, name: '赵经理' } })
  return {
    id: 1,
    community_id: 1,
    compound_ids: [7],
    kind: 'consultation',
    title: '北门垃圾清运三方协商',
    description: '请三方就清运时间协商。\n\n<script>alert(1)</script>',
    description_html: '<p>请三方就清运时间协商。</p>\n<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n',
    status: 'scheduled',
    starts_at: '2026-12-09T07:00:00Z',
    duration_minutes: 90,
    place: '社区党群服务中心二楼会议室',
    online_link: 'https://meet.example.org/abc',
    chair: { id: 2, name: '李书记' },
    recorder: { id: 3, name: '张社工' },
    convened_by: { id: 2, name: '李书记' },
    convening_party: 'community_office',
    cancel_reason: null,
    items: [
      { id: 1, position: 1, title: '北门垃圾清运时间调整', description: '', source: 'agenda', source_id: 5, source_link: '/agendas/5', presenter: { id: 4, name: '赵经理' }, minutes: 30, status: 'pending', outcome: null, description_html: '', notes: '', positions: [], tasks: [] },
      { id: 2, position: 2, title: '其他事项', description: '', source: null, source_id: null, source_link: null, presenter: null, minutes: 15, status: 'pending', outcome: null, description_html: '', notes: '', positions: [], tasks: [] },
    ],
    invitations: [
      invitation(1, { person: { id: 2, name: '李书记' }, party_kind: 'community_office', party_name: '太阳城社区居委会', answer: 'attending' }),
      mine,
      invitation(5, { person: { id: 5, name: '刘主任' }, party_kind: 'owners_committee', party_name: '太阳城二期业主委员会' }),
    ],
    answers: { invited: 3, attending: 1, deputies: 0, absent: 0, pending: 2 },
    my_invitation: mine,
    can: { answer: true, send_deputy: true, manage: false, chair: false, record: false, sign_in: false, hand_off: false, attach: false },
    attendance: { present: 0, invited: 3, parties: [], absent_parties: [], quorum_present: 0, quorum_expected: 0, quorum_needed: 0, quorum_met: true },
    open_tasks: [],
    attachments: [],
    created_at: '2026-12-01T00:00:00Z',
    ...patch,
  }
}

let pinia: Pinia

async function mountMeeting(): Promise<VueWrapper> {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/meetings/:id', name: 'meeting', component: MeetingViewPage },
      { path: '/agendas/:id', name: 'agenda', component: { template: '<div />' } },
      { path: '/questionnaires/:id', name: 'questionnaire', component: { template: '<div data-testid="questionnaire-page" />' } },
    ],
  })
  return openAt(MeetingViewPage, router, '/meetings/1', pinia)
}

/** Answers the meeting page's requests: the meeting, the inbox, and `post` for a change. */
function serve(view: MeetingView, post?: (req: RecordedRequest) => Response): RecordedRequest[] {
  return mockFetch((req) => {
    if (req.path === '/me/inbox') return json(200, [])
    if (req.method === 'POST' && post) return post(req)
    return json(200, view)
  })
}

beforeEach(() => {
  pinia = freshPage()
  useAuthStore().setTokens(tokens(1))
})

describe('MeetingView', () => {
  it('shows the meeting, my invitation before the items, and the items with their sources', async () => {
    serve(meeting())
    const wrapper = await mountMeeting()
    expect(wrapper.get('[data-testid="meeting-kind"]').text()).toBe('三方协同协商会议')
    expect(wrapper.get('[data-testid="meeting-when"]').text()).toContain('1 小时 30 分钟')
    expect(wrapper.get('[data-testid="meeting-link"]').attributes('href')).toBe('https://meet.example.org/abc')
    // The description is the server's sanitized HTML: a script typed in it is text.
    expect(wrapper.get('[data-testid="meeting-description"]').text()).toContain('<script>alert(1)</script>')
    expect(wrapper.find('[data-testid="meeting-description"] script').exists()).toBe(false)
    const order = [...wrapper.element.querySelectorAll('[data-testid="my-invitation"], [data-testid="meeting-items"]')].map((e) => e.getAttribute('data-testid'))
    expect(order).toEqual(['my-invitation', 'meeting-items'])
    const items = wrapper.findAll('[data-testid="meeting-item"]')
    expect(items.map((i) => i.get('[data-testid="meeting-item-title"]').text())).toEqual(['北门垃圾清运时间调整', '其他事项'])
    expect(items[0]!.get('[data-testid="meeting-item-source"]').attributes('href')).toBe('/agendas/5')
    expect(items[1]!.find('[data-testid="meeting-item-source"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="count-pending"]').text()).toContain('2')
    expect(wrapper.findAll('[data-testid="invitation-group"]').map((g) => g.get('h3').text())).toEqual([
      '太阳城社区居委会（社区）',
      '太阳城二期物业服务中心（物业服务企业）',
      '太阳城二期业主委员会（业主委员会）',
    ])
    expect(wrapper.find('[data-testid="meeting-manage"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('sends a deputy by name, saying that a deputy is no ballot proxy', async () => {
    const answered = meeting({ my_invitation: { ...meeting().my_invitation!, answer: 'deputy', deputy_name: '王副经理' } })
    const calls = serve(meeting(), () => json(200, answered))
    const wrapper = await mountMeeting()
    expect(wrapper.get('[data-testid="deputy-note"]').text()).toContain('不是表决的委托代理人')
    expect(wrapper.get('[data-testid="deputy-form"]').isVisible()).toBe(false)

    await wrapper.get('[data-testid="answer-deputy"]').trigger('click')
    expect(wrapper.get('[data-testid="answer-deputy"]').attributes('aria-expanded')).toBe('true')
    await wrapper.get('[data-testid="deputy-submit"]').trigger('click')
    await settle()
    expect(wrapper.get('[data-testid="deputy-form"] .van-field__error-message').text()).toBe('请填写代表姓名')
    expect(calls.some((c) => c.method === 'POST')).toBe(false)

    await wrapper.get('input[data-testid="deputy-name"]').setValue(' 王副经理 ')
    await wrapper.get('[data-testid="deputy-submit"]').trigger('click')
    await settle()
    const post = calls.find((c) => c.method === 'POST')
    expect(post?.path).toBe('/meetings/1/answer')
    expect(post?.body).toEqual({ answer: 'deputy', deputy_name: '王副经理' })
    expect(wrapper.get('[data-testid="my-invitation"]').attributes('data-answer')).toBe('deputy')
    expect(wrapper.get('[data-testid="my-deputy"]').text()).toContain('王副经理')
    wrapper.unmount()
  })

  it('offers no deputy where the server allows none, and shows the server’s refusal of an answer', async () => {
    const member = meeting({ kind: 'committee', can: { answer: true, send_deputy: false, manage: false, chair: false, record: false, sign_in: false, hand_off: false, attach: false } })
    serve(member, () => apiError(422, 'validation_failed', '请检查', { fields: { answer: '业委会委员须本人出席' } }))
    const wrapper = await mountMeeting()
    expect(wrapper.find('[data-testid="answer-deputy"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="deputy-note"]').exists()).toBe(false)
    await wrapper.get('[data-testid="answer-attending"]').trigger('click')
    await settle()
    expect(wrapper.get('[data-testid="my-invitation"] [role="alert"]').text()).toBe('业委会委员须本人出席')
    wrapper.unmount()
  })

  it('shows a cancelled meeting’s reason first, and takes no more answers', async () => {
    serve(meeting({ status: 'cancelled', cancel_reason: '物业方案未准备好', can: { answer: false, send_deputy: false, manage: false, chair: false, record: false, sign_in: false, hand_off: false, attach: false } }))
    const wrapper = await mountMeeting()
    const first = wrapper.get('.sf-meeting__main').element.firstElementChild
    expect(first?.getAttribute('data-testid')).toBe('meeting-cancelled')
    expect(wrapper.get('[data-testid="meeting-cancel-reason"]').text()).toContain('物业方案未准备好')
    expect(wrapper.get('[data-testid="meeting-status"]').text()).toBe('已取消')
    expect(wrapper.find('[data-testid="answer-attending"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="answer-closed"]').exists()).toBe(true)
    wrapper.unmount()
  })

  it('lets the convener postpone in a named dialog, with a new time and a reason', async () => {
    vi.spyOn(window, 'scrollTo').mockImplementation(() => undefined)
    const managed = meeting({ my_invitation: null, can: { answer: false, send_deputy: false, manage: true, chair: false, record: false, sign_in: false, hand_off: false, attach: false } })
    const moved = { ...managed, starts_at: '2026-12-16T07:00:00Z' }
    const calls = serve(managed, () => json(200, moved))
    const wrapper = await mountMeeting()
    expect(wrapper.find('[data-testid="my-invitation"]').exists()).toBe(false)

    await wrapper.get('[data-testid="meeting-postpone"]').trigger('click')
    await settle()
    const sheet = inDocument('meeting-change-sheet')!
    const dialog = sheet.closest('[role="dialog"]')!
    expect(document.getElementById(dialog.getAttribute('aria-labelledby') ?? '')?.textContent).toBe('延期')
    inDocument('meeting-change-submit')!.click()
    await settle()
    expect(sheet.textContent).toContain('请填写原因')
    expect(calls.some((c) => c.method === 'POST')).toBe(false)

    const reason = sheet.querySelector<HTMLTextAreaElement>('textarea[data-testid="change-reason"]')!
    reason.value = '等物业先拿出清运新方案'
    reason.dispatchEvent(new Event('input'))
    const when = sheet.querySelector<HTMLInputElement>('input[data-testid="postpone-starts-at"]')!
    when.value = '2026-12-16T15:00'
    when.dispatchEvent(new Event('input'))
    inDocument('meeting-change-submit')!.click()
    await settle()
    const post = calls.find((c) => c.method === 'POST')
    expect(post?.path).toBe('/meetings/1/postpone')
    expect(post?.body).toEqual({ starts_at: new Date('2026-12-16T15:00').toISOString(), reason: '等物业先拿出清运新方案' })
    expect(wrapper.get('[data-testid="meeting-when"]').attributes('data-starts-at')).toBe('2026-12-16T07:00:00Z')
    wrapper.unmount()
  })

  it('hands an agreed item on to a questionnaire and opens the draft; an item not agreed offers nothing', async () => {
    vi.spyOn(window, 'scrollTo').mockImplementation(() => undefined)
    const chaired = meeting({
      status: 'held',
      my_invitation: null,
      can: { answer: false, send_deputy: false, manage: false, chair: true, record: true, sign_in: false, hand_off: true, attach: true },
    })
    chaired.items = [
      { ...chaired.items[0]!, status: 'done', outcome: 'agreed' },
      { ...chaired.items[1]!, status: 'done', outcome: 'not_agreed' },
    ]
    const handed = { ...chaired, items: [{ ...chaired.items[0]!, handed_to: 'questionnaire' as const, handed_to_id: 9, handed_to_link: '/questionnaires/9' }, chaired.items[1]!] }
    const calls = serve(chaired, () => json(200, handed))
    const wrapper = await mountMeeting()
    const items = wrapper.findAll('[data-testid="meeting-item"]')
    expect(items[1]!.find('[data-testid="item-handoff"]').exists()).toBe(false)
    // The papers card invites the recorder to upload what those invited should read.
    expect(wrapper.get('[data-testid="meeting-papers"]').text()).toContain('还没有会议材料')

    await items[0]!.get('[data-testid="item-handoff"]').trigger('click')
    await settle()
    inDocument('handoff-submit')!.click()
    await settle()
    expect(inDocument('handoff-sheet')!.textContent).toContain('请选择转交表决还是问卷')
    expect(calls.some((c) => c.method === 'POST')).toBe(false)
    inDocument('handoff-to-questionnaire')!.click()
    await settle()
    inDocument('handoff-submit')!.click()
    await settle()
    const post = calls.find((c) => c.method === 'POST')
    expect(post?.path).toBe('/meetings/1/items/1/handoff')
    expect(post?.body).toEqual({ to: 'questionnaire', compound_id: 7, matter: null })
    expect(wrapper.vm.$router.currentRoute.value.fullPath).toBe('/questionnaires/9')
    wrapper.unmount()
  })
})
