import { beforeEach, describe, expect, it } from 'vitest'
import type { Pinia } from 'pinia'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { MyHolding, VoteSummary } from '@/api/types'
import HomeVotes from '@/components/votes/HomeVotes.vue'
import { i18n } from '@/i18n'
import { useAuthStore } from '@/stores/auth'
import { freshPage, json, mockFetch, tokens } from '@/__tests__/helpers'

function summary(id: number, title: string): VoteSummary {
  const closes = new Date(Date.now() + 3 * 86_400_000).toISOString()
  return { id, compound_id: 1, title, matter: 'covenant', threshold: 'ordinary', form: 'motion', secret: false, status: 'open', opens_at: '2026-11-01T00:00:00Z', closes_at: closes }
}

function home(id: number, cast: boolean): MyHolding {
  const ballot = cast ? { receipt: 'K7QMA-4XPBZ', channel: 'online' as const, status: 'counted', cast_at: '2026-11-22T03:00:00Z', choice: 'agree' as const } : null
  return { holder_id: id, holder_key: `TYC000${id}`, units: [`${id}号楼 1单元101`], area: '90.00', proxy_id: null, ballot, can_replace: false }
}

let pinia: Pinia
beforeEach(() => {
  pinia = freshPage()
  useAuthStore().setTokens(tokens(1))
})

describe('HomeVotes', () => {
  it('marks each open vote on its card: 去投票, 已投票 ✓, or how many homes still wait', async () => {
    const my: Record<number, MyHolding[]> = { 1: [home(1, false)], 2: [home(1, true)], 3: [home(1, true), home(2, false)] }
    mockFetch((req) => {
      if (req.path === '/compounds/1/votes') return json(200, [summary(1, '甲'), summary(2, '乙'), summary(3, '丙')])
      const id = Number(req.path.split('/').at(-1))
      return json(200, { id, my: my[id] ?? [] })
    })
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/votes/:id', name: 'vote', component: { template: '<div />' } }] })
    const wrapper = mount(HomeVotes, {
      props: { compounds: [{ id: 1, name: '太阳城二期', communityId: null }], communityIds: [] },
      global: { plugins: [pinia, router, i18n] },
    })
    await flushPromises()

    const cards = wrapper.findAll('[data-testid="vote-card"]')
    expect(cards.map((c) => [c.get('.sf-vote-card__title').text(), c.attributes('data-mine'), c.get('[data-testid="vote-card-mine"]').text()])).toEqual([
      ['甲', 'todo', '去投票'],
      ['乙', 'done', '已投票 ✓'],
      ['丙', 'some', '还有 1 户未投'],
    ])
    expect(cards[1]?.classes()).toContain('sf-vote-card--voted')
    wrapper.unmount()
  })
})
