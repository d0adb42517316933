import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ItemNotes from '@/components/meetings/ItemNotes.vue'
import { i18n } from '@/i18n'
import { freshPage, json, mockFetch } from '@/__tests__/helpers'
import { meetingFixture } from '@/__tests__/meetings'

beforeEach(() => {
  freshPage()
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('ItemNotes', () => {
  it('saves after a pause in typing, once, and says it is saved', async () => {
    const calls = mockFetch(() => json(200, meetingFixture()))
    const wrapper = mount(ItemNotes, { props: { meetingId: 5, itemId: 9, notes: '' }, global: { plugins: [i18n] } })
    const area = wrapper.get('textarea')
    await area.setValue('物业：')
    await area.setValue('物业：每天清运两次')
    expect(wrapper.get('[data-testid="notes-state"]').attributes('data-phase')).toBe('dirty')
    expect(calls).toHaveLength(0)

    await vi.advanceTimersByTimeAsync(800)
    await flushPromises()
    expect(calls).toHaveLength(1)
    expect(calls[0]).toMatchObject({ method: 'PUT', path: '/meetings/5/items/9/notes', body: { notes: '物业：每天清运两次' } })
    expect(wrapper.get('[data-testid="notes-state"]').attributes('data-phase')).toBe('saved')
    expect(wrapper.get('[data-testid="notes-state"]').text()).toMatch(/^已保存（\d\d:\d\d）$/)
    wrapper.unmount()
  })

  it('takes notes saved elsewhere unless something here waits to be saved', async () => {
    mockFetch(() => json(200, meetingFixture()))
    const wrapper = mount(ItemNotes, { props: { meetingId: 5, itemId: 9, notes: '甲' }, global: { plugins: [i18n] } })
    await wrapper.setProps({ notes: '甲乙' })
    expect((wrapper.get('textarea').element as HTMLTextAreaElement).value).toBe('甲乙')

    await wrapper.get('textarea').setValue('我的改动')
    await wrapper.setProps({ notes: '别人的改动' })
    expect((wrapper.get('textarea').element as HTMLTextAreaElement).value).toBe('我的改动')
    wrapper.unmount()
  })
})
