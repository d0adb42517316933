import { beforeEach, describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { MeetingSummary } from '@/api/meetings'
import { i18n } from '@/i18n'
import { useAuthStore } from '@/stores/auth'
import HomeMeetings from '@/components/meetings/HomeMeetings.vue'
import { freshPage, json, mockFetch, settle, tokens } from '@/__tests__/helpers'

const DAY = 86_400_000

function summary(id: number, startsAt: number, patch: Partial<MeetingSummary> = {}): MeetingSummary {
  return { id, community_id: 1, compound_ids: [7], kind: 'consultation', title: `会议 ${id}`, status: 'scheduled', starts_at: new Date(startsAt).toISOString(), duration_minutes: 60, place: null, my_answer: null, ...patch }
}

describe('HomeMeetings', () => {
  beforeEach(() => {
    freshPage()
    useAuthStore().setTokens(tokens(1))
  })

  async function mountHome(meetings: MeetingSummary[]) {
    const calls = mockFetch(() => json(200, meetings))
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [
        { path: '/', component: { template: '<div />' } },
        { path: '/meetings/:id', name: 'meeting', component: { template: '<div />' } },
        { path: '/compounds/:id/meetings', name: 'meetings', component: { template: '<div />' } },
      ],
    })
    const wrapper = mount(HomeMeetings, {
      props: { compounds: [{ id: 7, name: '太阳城二期', communityId: 1 }] },
      global: { plugins: [router, i18n] },
    })
    await settle()
    return { wrapper, calls, router }
  }

  it('shows the invitations ahead, those to answer first, and the way to the compound’s meetings', async () => {
    const now = Date.now()
    const { wrapper, calls, router } = await mountHome([
      summary(1, now + 2 * DAY, { my_answer: 'attending' }),
      summary(2, now + 5 * DAY, { my_answer: 'pending' }),
      summary(3, now + 1 * DAY),
      summary(4, now + 1 * DAY, { my_answer: 'pending', status: 'cancelled' }),
      summary(5, now - 9 * DAY, { my_answer: 'pending', status: 'held' }),
    ])
    expect(calls.map((c) => c.path)).toEqual(['/compounds/7/meetings'])
    expect(wrapper.get('h2').text()).toBe('1 个会议邀请待回复')
    expect(wrapper.findAll('[data-testid="meeting-card"]').map((c) => c.attributes('data-id'))).toEqual(['2', '1'])
    await wrapper.get('[data-testid="home-meetings-7"]').trigger('click')
    await settle()
    expect(router.currentRoute.value.fullPath).toBe('/compounds/7/meetings')
    wrapper.unmount()
  })

  it('says nothing when no meeting ahead invites me', async () => {
    const { wrapper } = await mountHome([summary(3, Date.now() + DAY)])
    expect(wrapper.find('[data-testid="home-meetings"]').exists()).toBe(false)
    wrapper.unmount()
  })
})
