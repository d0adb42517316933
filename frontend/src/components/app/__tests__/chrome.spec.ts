import { describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import { i18n } from '@/i18n'
import AppHeader from '../AppHeader.vue'
import AppTabBar, { type TabLink } from '../AppTabBar.vue'

const page = { template: '<div />' }

function router() {
  return createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', name: 'home', component: page },
      { path: '/votes/:id', name: 'vote', component: page },
      { path: '/inbox', name: 'inbox', component: page },
    ],
  })
}

const TABS: TabLink[] = [
  { name: 'home', to: { name: 'home' }, icon: 'home-o', label: '首页' },
  { name: 'inbox', to: { name: 'inbox' }, icon: 'bell', label: '消息', badge: 3 },
]

describe('the tab bar', () => {
  it('is a navigation landmark of links, the current tab marked', async () => {
    const r = router()
    await r.push('/votes/1')
    const wrapper = mount(AppTabBar, { props: { tabs: TABS, active: 'home', label: '主导航' }, global: { plugins: [r, i18n] } })
    const nav = wrapper.get('nav')
    expect(nav.attributes('aria-label')).toBe('主导航')
    const links = nav.findAll('a')
    expect(links.map((a) => a.text())).toEqual(['首页', '3消息'])
    expect(links[0]?.attributes('aria-current')).toBe('page')
    expect(links[1]?.attributes('aria-current')).toBeUndefined()
  })

  it('takes one home from a sub-page whose tab is already highlighted', async () => {
    const r = router()
    await r.push('/votes/1')
    const wrapper = mount(AppTabBar, { props: { tabs: TABS, active: 'home', label: '主导航' }, global: { plugins: [r, i18n] } })
    await wrapper.get('[data-testid="tab-home"]').trigger('click')
    await flushPromises()
    expect(r.currentRoute.value.name).toBe('home')
  })
})

describe('the header', () => {
  it('holds the page title as its heading and a named back button on sub-pages', async () => {
    const wrapper = mount(AppHeader, { props: { title: '表决', back: true }, global: { plugins: [i18n] } })
    expect(wrapper.get('header h1').text()).toBe('表决')
    const back = wrapper.get('button[data-testid="nav-back"]')
    expect(back.text()).toBe('返回')
    await back.trigger('click')
    expect(wrapper.emitted('back')).toHaveLength(1)
  })

  it('has no back button on a tab of its own', () => {
    const wrapper = mount(AppHeader, { props: { title: '首页', back: false }, global: { plugins: [i18n] } })
    expect(wrapper.find('button').exists()).toBe(false)
  })
})

describe('the side navigation', () => {
  it('is a named landmark with the tabs and the staff links, the page shown marked', async () => {
    const { default: AppSideNav } = await import('../AppSideNav.vue')
    const r = router()
    r.addRoute({ path: '/compounds/:id/units', name: 'compound-units', component: page })
    await r.push('/compounds/5/units')
    const groups = [
      { key: 'compound-5', kind: 'compound' as const, id: 5, links: [{ key: 'units', label: 'desk.nav.units', to: { name: 'compound-units', params: { id: 5 } } }] },
    ]
    const wrapper = mount(AppSideNav, {
      props: {
        tabs: TABS,
        active: 'home',
        groups,
        groupName: () => '太阳城二期',
        current: (_g: unknown, key: string) => key === 'units',
        label: '主导航',
      },
      global: { plugins: [r, i18n] },
    })
    const nav = wrapper.get('nav')
    expect(nav.attributes('aria-label')).toBe('主导航')
    expect(nav.get('h2').text()).toBe('太阳城二期')
    const staff = wrapper.get('[data-testid="side-compound-units"]')
    expect(staff.text()).toBe('房屋')
    expect(staff.attributes('href')).toBe('/compounds/5/units')
    expect(staff.attributes('aria-current')).toBe('page')
    // The home tab is not the page shown while a staff page under it is.
    expect(wrapper.get('[data-testid="side-home"]').attributes('aria-current')).toBeUndefined()
  })
})
