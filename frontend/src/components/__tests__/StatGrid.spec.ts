import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import StatGrid from '@/components/StatGrid.vue'

function router() {
  return createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: { template: '<div />' } },
      { path: '/compounds/:id/concerns', name: 'concerns', component: { template: '<div />' } },
    ],
  })
}

describe('StatGrid', () => {
  it('makes a figure with a destination a link to the list it counts, and leaves the others as text', async () => {
    const r = router()
    await r.push('/')
    const wrapper = mount(StatGrid, {
      props: {
        items: [
          { label: '逾期', value: 3, testid: 'overdue', to: { name: 'concerns', params: { id: 7 }, query: { overdue: '1' } } },
          { label: '全部', value: 12, testid: 'all' },
        ],
      },
      global: { plugins: [r] },
    })
    const overdue = wrapper.get('[data-testid="overdue"]')
    expect(overdue.element.tagName).toBe('A')
    expect(overdue.attributes('href')).toBe('/compounds/7/concerns?overdue=1')
    expect(overdue.text()).toContain('3')
    expect(wrapper.get('[data-testid="all"]').element.tagName).toBe('DIV')
  })
})
