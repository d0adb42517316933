import { beforeEach, describe, expect, it } from 'vitest'
import type { Pinia } from 'pinia'
import type { VueWrapper } from '@vue/test-utils'
import { createMemoryHistory, createRouter, type Router } from 'vue-router'
import type { MeetingSummary } from '@/api/meetings'
import type { MembershipView } from '@/api/types'
import { useAuthStore } from '@/stores/auth'
import MeetingListView from '@/views/MeetingListView.vue'
import { compoundDetail, freshPage, json, me, membership, mockFetch, openAt, settle, tokens } from '@/__tests__/helpers'

const DAY = 86_400_000

function summary(id: number, startsAt: number, patch: Partial<MeetingSummary> = {}): MeetingSummary {
  return {
    id,
    community_id: 1,
    compound_ids: [7],
    kind: 'consultation',
    title: `会议 ${id}`,
    status: 'scheduled',
    starts_at: new Date(startsAt).toISOString(),
    duration_minutes: 60,
    place: '社区会议室',
    my_answer: null,
    ...patch,
  }
}

let pinia: Pinia
let router: Router

async function mountList(memberships: MembershipView[], meetings: MeetingSummary[]): Promise<VueWrapper> {
  const auth = useAuthStore()
  auth.setTokens(tokens(1))
  auth.me = me(memberships)
  mockFetch((req) => json(200, /^\/compounds\/\d+$/.test(req.path) ? compoundDetail : meetings))
  router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/compounds/:id/meetings', name: 'meetings', component: MeetingListView },
      { path: '/communities/:id/meetings/new', name: 'meeting-new', component: { template: '<div />' } },
      { path: '/meetings/:id', name: 'meeting', component: { template: '<div />' } },
    ],
  })
  return openAt(MeetingListView, router, '/compounds/7/meetings', pinia)
}

beforeEach(() => {
  pinia = freshPage()
})

describe('MeetingListView', () => {
  it('lists what is ahead first, then what is past, with the kind, the state and my answer', async () => {
    const now = Date.now()
    const wrapper = await mountList([membership('owner', { compound_id: 7 })], [
      summary(1, now - 40 * DAY, { status: 'held', kind: 'committee', my_answer: 'attending' }),
      summary(2, now + 3 * DAY, { my_answer: 'pending' }),
      summary(3, now + 1 * DAY, { status: 'cancelled', kind: 'residents_meeting', my_answer: 'deputy' }),
    ])
    const ahead = wrapper.get('[data-testid="meetings-upcoming"]')
    expect(ahead.get('h2').text()).toBe('即将召开')
    expect(ahead.findAll('[data-testid="meeting-card"]').map((c) => c.attributes('data-id'))).toEqual(['3', '2'])
    const past = wrapper.get('[data-testid="meetings-past"]')
    expect(past.findAll('[data-testid="meeting-card"]').map((c) => c.attributes('data-id'))).toEqual(['1'])
    expect(wrapper.findAll('[data-testid="meeting-month"]').length).toBeGreaterThanOrEqual(2)

    const [cancelled, pending] = ahead.findAll('[data-testid="meeting-card"]')
    expect(cancelled!.text()).toContain('居民会议')
    expect(cancelled!.get('[data-testid="meeting-status"]').text()).toBe('已取消')
    expect(cancelled!.get('[data-testid="meeting-my-answer"]').text()).toBe('委派代表')
    expect(pending!.get('[data-testid="meeting-my-answer"]').text()).toBe('待回复')
    expect(pending!.attributes('href')).toBe('/meetings/2')
    expect(past.get('[data-testid="meeting-my-answer"]').text()).toBe('出席')
    // An owner convenes nothing.
    expect(wrapper.find('[data-testid="meeting-new"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('offers the committee chair to convene, in the compound’s community', async () => {
    const wrapper = await mountList([membership('committee_chair', { community_id: 1, compound_id: 7 })], [])
    expect(wrapper.get('[data-testid="meetings-empty"]').text()).toContain('还没有会议')
    await wrapper.get('[data-testid="meeting-new"]').trigger('click')
    await settle()
    expect(router.currentRoute.value.fullPath).toBe('/communities/1/meetings/new?compound=7')
    wrapper.unmount()
  })
})
