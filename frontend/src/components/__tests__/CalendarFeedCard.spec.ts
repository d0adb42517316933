import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import CalendarFeedCard from '@/components/CalendarFeedCard.vue'
import { i18n } from '@/i18n'
import { freshPage, json, mockFetch } from '@/__tests__/helpers'

vi.mock('vant', async (importOriginal) => ({ ...(await importOriginal<typeof import('vant')>()), showNotify: vi.fn(), showSuccessToast: vi.fn(), showToast: vi.fn() }))

beforeEach(() => {
  freshPage()
})

describe('CalendarFeedCard', () => {
  it('makes a feed address and shows it once, whole, with the server’s origin', async () => {
    const calls = mockFetch((req) =>
      req.method === 'POST'
        ? json(201, { path: '/api/v1/calendar/3f9a/meetings.ics', created_at: '2026-12-06T07:00:00Z' })
        : json(200, { created_at: null }),
    )
    const wrapper = mount(CalendarFeedCard, { global: { plugins: [i18n] } })
    await flushPromises()
    expect(wrapper.get('[data-testid="calendar-feed-date"]').text()).toBe('还没有订阅地址')
    expect(wrapper.find('[data-testid="calendar-feed-address"]').exists()).toBe(false)

    await wrapper.get('[data-testid="calendar-feed-renew"]').trigger('click')
    await flushPromises()
    expect(calls.at(-1)).toMatchObject({ method: 'POST', path: '/me/calendar' })
    expect(wrapper.get('[data-testid="calendar-feed-address"]').text()).toBe(`${window.location.origin}/api/v1/calendar/3f9a/meetings.ics`)
    expect(wrapper.get('[data-testid="calendar-feed-date"]').text()).toContain('当前地址生成于')
    expect(wrapper.get('[data-testid="calendar-feed-renew"]').text()).toBe('更换订阅地址')
    wrapper.unmount()
  })
})
