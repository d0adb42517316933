import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { Pinia } from 'pinia'
import { type VueWrapper } from '@vue/test-utils'
import { createMemoryHistory, createRouter, type Router } from 'vue-router'
import type { MembershipView } from '@/api/types'
import { useAuthStore } from '@/stores/auth'
import MeetingFormView from '@/views/MeetingFormView.vue'
import { apiError, compoundDetail, freshPage, json, me, membership, mockFetch, openAt, type RecordedRequest, settle, tokens } from '@/__tests__/helpers'

const agenda = { id: 5, title: '北门垃圾清运时间调整', status: 'open', compound_id: 7, party_kind: 'owners_committee', cosigners: 0, comments: 0, created_at: '2026-12-01T00:00:00Z', category: null, statutory_at: null }
const page = (items: unknown[]) => ({ items, total: items.length, page: 1, per_page: 50 })

let pinia: Pinia
let router: Router

function signIn(m: MembershipView, office: boolean): void {
  const auth = useAuthStore()
  auth.setTokens(tokens(1))
  auth.me = me([m], [], { compounds: { 7: { view_roster: true } }, communities: office ? { 1: { view_community: true } } : {} })
}

/** The community, the compound's open items, and `post` for the convening. */
function serve(post: (req: RecordedRequest) => Response): RecordedRequest[] {
  return mockFetch((req) => {
    if (req.method === 'POST' && req.path === '/communities/1/meetings') return post(req)
    if (req.path === '/communities/1') return json(200, { community: compoundDetail.community, compounds: [compoundDetail.compound], parties: [] })
    if (req.path === '/compounds/7/agendas') return json(200, page([agenda, { ...agenda, id: 6, title: '已办结', status: 'closed' }]))
    if (req.path === '/compounds/7/concerns') return apiError(403, 'forbidden', '无权查看')
    if (req.path === '/markdown') return json(200, { html: '' })
    return json(200, [])
  })
}

async function mountForm(path = '/communities/1/meetings/new?compound=7'): Promise<VueWrapper> {
  router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/communities/:id/meetings/new', name: 'meeting-new', component: MeetingFormView },
      { path: '/meetings/:id', name: 'meeting', component: { template: '<div />' } },
    ],
  })
  return openAt(MeetingFormView, router, path, pinia)
}

async function fill(wrapper: VueWrapper, testid: string, value: string, index = 0): Promise<void> {
  await wrapper.findAll(`[data-testid="${testid}"]`)[index]!.setValue(value)
}

/** Picks the item's source in its picker sheet, the way Vant's picker confirms. */
async function pickSource(wrapper: VueWrapper, value: string): Promise<void> {
  await wrapper.get('[data-testid="item-source"] .van-cell').trigger('click')
  await settle()
  wrapper.findComponent({ name: 'van-picker' }).vm.$emit('confirm', { selectedValues: [value] })
  await settle()
}

beforeEach(() => {
  pinia = freshPage()
  vi.spyOn(window, 'scrollTo').mockImplementation(() => undefined)
})

describe('MeetingFormView', () => {
  it('convenes with an item drawn from an open agenda, and opens the meeting', async () => {
    signIn(membership('secretary', { community_id: 1 }), true)
    const calls = serve(() => json(201, { id: 12 }))
    const wrapper = await mountForm()
    expect(wrapper.get('[data-testid="kind-consultation"]').attributes('aria-checked')).toBe('true')
    expect(wrapper.get('[data-testid="meeting-compound"]').attributes('aria-checked')).toBe('true')
    expect(wrapper.text()).toContain('社区召集，邀请参会小区的社区、物业、业委会三方')

    await fill(wrapper, 'meeting-title-input', '北门垃圾清运三方协商')
    await fill(wrapper, 'meeting-starts-at', '2030-05-08T14:00')
    await fill(wrapper, 'meeting-place', '会议室')
    await wrapper.get('[data-testid="item-add"]').trigger('click')
    await pickSource(wrapper, 'agenda:5')
    expect((wrapper.get('input[data-testid="item-title"]').element as HTMLInputElement).value).toBe('北门垃圾清运时间调整')
    await fill(wrapper, 'item-minutes', '30')
    await wrapper.get('[data-testid="meeting-submit"]').trigger('click')
    await settle()

    const post = calls.find((c) => c.method === 'POST')
    expect(post?.body).toMatchObject({
      kind: 'consultation',
      title: '北门垃圾清运三方协商',
      compound_ids: [7],
      starts_at: new Date('2030-05-08T14:00').toISOString(),
      duration_minutes: 90,
      place: '会议室',
      online_link: null,
      chair_id: null,
      items: [{ title: '北门垃圾清运时间调整', minutes: 30, source: 'agenda', source_id: 5, presenter_id: null }],
      invitee_ids: [],
    })
    expect(router.currentRoute.value.fullPath).toBe('/meetings/12')
    wrapper.unmount()
  })

  it('shows the server’s field messages at their fields, an item’s at that item, until the field changes', async () => {
    signIn(membership('secretary', { community_id: 1 }), true)
    serve(() => apiError(422, 'validation_failed', '请检查', { fields: { 'items[1].title': '最多 200 个字', starts_at: '已经过去，请选择以后的时间' } }))
    const wrapper = await mountForm()
    await fill(wrapper, 'meeting-title-input', '协商')
    await fill(wrapper, 'meeting-place', '会议室')
    await wrapper.get('[data-testid="item-add"]').trigger('click')
    await wrapper.get('[data-testid="item-add"]').trigger('click')
    await fill(wrapper, 'item-title', '说明', 0)
    await fill(wrapper, 'item-title', '很长的标题', 1)
    await wrapper.get('[data-testid="meeting-submit"]').trigger('click')
    await settle()

    const items = wrapper.findAll('[data-testid="item-editor"]')
    expect(items[0]!.find('.van-field__error-message').exists()).toBe(false)
    expect(items[1]!.get('.van-field__error-message').text()).toBe('最多 200 个字')
    expect(wrapper.text()).toContain('已经过去，请选择以后的时间')
    expect(window.scrollTo).toHaveBeenCalled()

    await fill(wrapper, 'item-title', '短标题', 1)
    expect(wrapper.findAll('[data-testid="item-editor"]')[1]!.find('.van-field__error-message').exists()).toBe(false)
    expect(wrapper.text()).toContain('已经过去，请选择以后的时间')
    wrapper.unmount()
  })

  it('checks what it can before sending, and moves and removes items', async () => {
    signIn(membership('secretary', { community_id: 1 }), true)
    const calls = serve(() => json(201, { id: 1 }))
    const wrapper = await mountForm()
    await wrapper.get('[data-testid="item-add"]').trigger('click')
    await wrapper.get('[data-testid="item-add"]').trigger('click')
    await fill(wrapper, 'item-title', '甲', 0)
    await fill(wrapper, 'item-title', '乙', 1)
    await wrapper.findAll('[data-testid="item-up"]')[1]!.trigger('click')
    expect(wrapper.findAll<HTMLInputElement>('input[data-testid="item-title"]').map((i) => i.element.value)).toEqual(['乙', '甲'])
    await wrapper.findAll('[data-testid="item-remove"]')[0]!.trigger('click')
    expect(wrapper.findAll<HTMLInputElement>('input[data-testid="item-title"]').map((i) => i.element.value)).toEqual(['甲'])

    await wrapper.get('[data-testid="meeting-submit"]').trigger('click')
    await settle()
    expect(calls.some((c) => c.method === 'POST')).toBe(false)
    expect(wrapper.text()).toContain('请填写地点或线上会议链接，或两者都填')
    await fill(wrapper, 'meeting-link', 'https://meet.example.org/1')
    expect(wrapper.text()).not.toContain('请填写地点或线上会议链接，或两者都填')
    wrapper.unmount()
  })

  it('offers a committee member the assembly sitting, and shows the server’s refusal of another kind', async () => {
    signIn(membership('committee_member', { community_id: 1, compound_id: 7 }), false)
    serve(() => apiError(403, 'forbidden', '您的角色不能召集这类会议'))
    const wrapper = await mountForm()
    expect(wrapper.get('[data-testid="kind-assembly_sitting"]').attributes('aria-checked')).toBe('true')
    expect(wrapper.findAll('[data-testid="meeting-compound"]').map((c) => c.text())).toEqual(['太阳城二期'])

    await wrapper.get('[data-testid="kind-committee"]').trigger('click')
    await fill(wrapper, 'meeting-title-input', '业委会例会')
    await fill(wrapper, 'meeting-place', '业委会办公室')
    await wrapper.get('[data-testid="meeting-submit"]').trigger('click')
    await settle()
    expect(wrapper.get('[data-testid="meeting-refusal"]').text()).toBe('您的角色不能召集这类会议')
    wrapper.unmount()
  })
})
