import { beforeEach, describe, expect, it } from 'vitest'
import type { Pinia } from 'pinia'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { ConcernSummary } from '@/api/types'
import SecretaryDesk from '@/components/desk/SecretaryDesk.vue'
import { i18n } from '@/i18n'
import { useAuthStore } from '@/stores/auth'
import { apiError, freshPage, json, me, membership, mockFetch, tokens } from '@/__tests__/helpers'

function concern(id: number, createdAt: string): ConcernSummary {
  return {
    id,
    compound_id: 7,
    category: { id: 1, key: 'noise', name_zh: '噪音扰民', name_en: 'Noise', default_party_kind: 'community_office', time_limit_hours: 72, position: 1 },
    excerpt: `诉求 ${id}`,
    status: 'submitted',
    assigned_kind: null,
    overdue: false,
    due_at: '2026-12-10T00:00:00Z',
    created_at: createdAt,
    updated_at: createdAt,
    raised_by_name: '业主',
    raised_by_person: { name: '业主' },
    mine: false,
    photos: 0,
    rating: null,
  } as ConcernSummary
}

let pinia: Pinia
beforeEach(() => {
  pinia = freshPage()
  const auth = useAuthStore()
  auth.setTokens(tokens(1))
  auth.me = me([membership('community_staff', { community_id: 1 })], [], {
    communities: { 1: { view_community: true, view_concern_dashboard: true } },
    compounds: { 7: { view_concerns: true, verify_owners: true }, 8: {} },
  })
})

describe('SecretaryDesk', () => {
  it('lists the concerns to route first and links every count to the list it counts', async () => {
    const requests = mockFetch((req) => {
      if (req.path === '/communities/1') {
        return json(200, {
          community: { id: 1, name: '太阳城社区', address: null },
          compounds: [
            { id: 7, name: '太阳城二期', units: 1, holders: 1, total_area: '1.00' },
            { id: 8, name: '上河时代', units: 1, holders: 1, total_area: '1.00' },
          ],
          parties: [],
        })
      }
      if (req.path === '/compounds/7/concerns') {
        const status = req.query.get('status')
        if (req.query.get('per_page') === '5') return json(200, { items: [concern(2, '2026-12-02T00:00:00Z'), concern(1, '2026-12-01T00:00:00Z')], total: 2, page: 1, per_page: 5 })
        const total = status === 'submitted' ? 2 : status === 'acknowledged' ? 4 : req.query.get('overdue') === 'true' ? 3 : 0
        return json(200, { items: [], total, page: 1, per_page: 1 })
      }
      if (req.path === '/compounds/7/agendas') return json(200, { items: [], total: req.query.get('status') === 'open' ? 1 : 0, page: 1, per_page: 1 })
      if (req.path === '/compounds/7/confirmations') return json(200, [{}, {}])
      return apiError(404, 'not_found', 'no such resource')
    })
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [
        { path: '/concerns/:id', name: 'concern', component: { template: '<div />' } },
        { path: '/compounds/:id/concerns', name: 'concerns', component: { template: '<div />' } },
        { path: '/compounds/:id/agendas', name: 'agendas', component: { template: '<div />' } },
        { path: '/compounds/:id/confirmations', name: 'confirmations', component: { template: '<div />' } },
      ],
    })
    const wrapper = mount(SecretaryDesk, { props: { communityId: 1 }, global: { plugins: [pinia, router, i18n] } })
    await flushPromises()

    expect(wrapper.get('[data-testid="triage-count"]').attributes('data-count')).toBe('2')
    // The oldest first, each a link to the concern.
    expect(wrapper.findAll('[data-testid="triage-item"]').map((a) => a.attributes('href'))).toEqual(['/concerns/1', '/concerns/2'])
    const count = (key: string) => wrapper.get(`[data-testid="desk-count-${key}"]`)
    expect(count('submitted').attributes('href')).toBe('/compounds/7/concerns?status=submitted')
    expect(count('acknowledged').attributes('data-count')).toBe('4')
    expect(count('overdue').attributes('href')).toBe('/compounds/7/concerns?overdue=1')
    expect(count('overdue').attributes('data-count')).toBe('3')
    expect(count('agendasOpen').attributes('href')).toBe('/compounds/7/agendas?status=open')
    expect(count('confirmations').attributes('data-count')).toBe('2')
    // The link names its compound for a screen reader.
    expect(count('submitted').text()).toContain('太阳城二期')
    // A compound the user may not see the concerns of is left out.
    expect(requests.some((r) => r.path.startsWith('/compounds/8'))).toBe(false)
    wrapper.unmount()
  })
})
