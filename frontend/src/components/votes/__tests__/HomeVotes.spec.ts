import { beforeEach, describe, expect, it } from 'vitest'
import type { Pinia } from 'pinia'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { MyHomes, VoteSummary } from '@/api/types'
import HomeVotes from '@/components/votes/HomeVotes.vue'
import { i18n } from '@/i18n'
import { useAuthStore } from '@/stores/auth'
import { apiError, freshPage, json, mockFetch, tokens } from '@/__tests__/helpers'

function summary(id: number, title: string, mine: MyHomes | null): VoteSummary {
  const closes = new Date(Date.now() + 3 * 86_400_000).toISOString()
  return { id, compound_id: 1, title, matter: 'covenant', threshold: 'ordinary', form: 'motion', secret: false, status: 'open', opens_at: '2026-11-01T00:00:00Z', closes_at: closes, mine }
}

let pinia: Pinia
beforeEach(() => {
  pinia = freshPage()
  useAuthStore().setTokens(tokens(1))
})

describe('HomeVotes', () => {
  it('marks each open vote on its card from the list alone: 去投票, 已投票 ✓, or how many homes still wait', async () => {
    const requests = mockFetch((req) => {
      if (req.path === '/compounds/1/votes') {
        return json(200, [
          summary(1, '甲', { homes: 1, voted: 0 }),
          summary(2, '乙', { homes: 1, voted: 1 }),
          summary(3, '丙', { homes: 2, voted: 1 }),
          summary(4, '丁', null),
        ])
      }
      return apiError(404, 'not_found', 'no such resource')
    })
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/votes/:id', name: 'vote', component: { template: '<div />' } }] })
    const wrapper = mount(HomeVotes, {
      props: { compounds: [{ id: 1, name: '太阳城二期', communityId: null }], communityIds: [] },
      global: { plugins: [pinia, router, i18n] },
    })
    await flushPromises()

    const cards = wrapper.findAll('[data-testid="vote-card"]')
    expect(cards.slice(0, 3).map((c) => [c.get('.sf-vote-card__title').text(), c.attributes('data-mine'), c.get('[data-testid="vote-card-mine"]').text()])).toEqual([
      ['甲', 'todo', '去投票'],
      ['乙', 'done', '已投票 ✓'],
      ['丙', 'some', '还有 1 户未投'],
    ])
    // A vote none of my homes may vote in says nothing about me.
    expect(cards).toHaveLength(4)
    expect(cards[3]?.attributes('data-mine')).toBe('none')
    expect(cards[3]?.find('[data-testid="vote-card-mine"]').exists()).toBe(false)
    expect(cards[1]?.classes()).toContain('sf-vote-card--voted')
    // One request for the list, none per vote.
    expect(requests.map((r) => r.path)).toEqual(['/compounds/1/votes'])
    wrapper.unmount()
  })
})
