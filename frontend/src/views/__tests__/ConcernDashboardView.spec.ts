import { beforeEach, describe, expect, it } from 'vitest'
import type { Pinia } from 'pinia'
import { createMemoryHistory, createRouter, type Router } from 'vue-router'
import type { BreachCount } from '@/api/types'
import type { components } from '@/api/schema'
import { useAuthStore } from '@/stores/auth'
import ConcernDashboardView from '@/views/ConcernDashboardView.vue'
import { compoundDetail, freshPage, json, mockFetch, openAt, settle, tokens } from '@/__tests__/helpers'

type Dashboard = components['schemas']['ConcernDashboard']

let pinia: Pinia
let router: Router
beforeEach(() => {
  pinia = freshPage()
  useAuthStore().setTokens(tokens(1))
})

const breach = (month: string, conventionId: number, title: string, articleId: string, label: string, count: number): BreachCount => ({
  month,
  article: { convention_id: conventionId, title, article_id: articleId, article_label: label },
  count,
})

/** The dashboard of community 1 with `breaches`, and nothing else to speak of. */
async function openDashboard(breaches: BreachCount[]) {
  const dashboard: Dashboard = { open: 3, overdue: 1, overdue_tasks: 0, open_by_party: [], open_by_category: [], satisfaction: [], breaches }
  mockFetch((req) => {
    if (req.path === '/communities/1/concern-dashboard') return json(200, dashboard)
    if (req.path === '/communities/1') return json(200, { community: compoundDetail.community, compounds: [compoundDetail.compound], parties: [] })
    return json(200, [])
  })
  const stub = { template: '<div />' }
  router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/community/:id/dashboard', name: 'concern-dashboard', component: ConcernDashboardView },
      { path: '/conventions/:id', name: 'convention', component: stub },
      { path: '/compounds/:id/concerns', name: 'concerns', component: stub },
    ],
  })
  return openAt(ConcernDashboardView, router, '/community/1/dashboard', pinia)
}

describe('ConcernDashboardView: 公约违反报告', () => {
  it('lists the articles reported broken month by month, newest first, each leading to its convention', async () => {
    const w = await openDashboard([
      breach('2026-12', 9, '文明养犬公约', 'a2', '第二条', 4),
      breach('2026-12', 12, '停车管理公约', 'a5', '第五条', 1),
      breach('2026-11', 9, '文明养犬公约', 'a1', '第一条', 2),
    ])
    const section = w.get('[data-testid="dashboard-breaches"]')
    expect(section.get('h2').text()).toBe('公约违反报告')
    const months = section.findAll('[data-testid="breach-month"]')
    expect(months.map((m) => [m.attributes('data-month'), m.get('h3').text()])).toEqual([
      ['2026-12', '2026年12月'],
      ['2026-11', '2026年11月'],
    ])
    const rows = months.map((m) => m.findAll('[data-testid="breach-row"]').map((r) => [r.get('.van-cell__title').text(), r.get('.van-cell__value').text()]))
    expect(rows).toEqual([
      [
        ['《文明养犬公约》第二条', '4 次'],
        ['《停车管理公约》第五条', '1 次'],
      ],
      [['《文明养犬公约》第一条', '2 次']],
    ])
    // A row leads to its convention.
    await months[0]!.findAll('[data-testid="breach-row"]')[1]!.trigger('click')
    await settle()
    expect(router.currentRoute.value.fullPath).toBe('/conventions/12')
    w.unmount()
  })

  it('shows no section when nothing was reported', async () => {
    const w = await openDashboard([])
    expect(w.find('[data-testid="dashboard-stats"]').exists()).toBe(true)
    expect(w.find('[data-testid="dashboard-breaches"]').exists()).toBe(false)
    w.unmount()
  })
})
