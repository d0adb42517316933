import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { defineComponent, h, ref } from 'vue'
import { i18n } from '@/i18n'
import { apiError, json, mockFetch } from '@/__tests__/helpers'
import MarkdownEditor from '@/components/shared/MarkdownEditor.vue'

function editor(initial: string) {
  const text = ref(initial)
  const Host = defineComponent(() => () => h(MarkdownEditor, { modelValue: text.value, 'onUpdate:modelValue': (v: string) => (text.value = v), testid: 'body' }))
  return { text, wrapper: mount(Host, { global: { plugins: [i18n] }, attachTo: document.body }) }
}

afterEach(() => {
  vi.useRealTimers()
  document.body.innerHTML = ''
})

describe('MarkdownEditor', () => {
  it('previews the text as the server renders it, once typing pauses', async () => {
    vi.useFakeTimers()
    const calls = mockFetch((req) => json(200, { html: `<p><strong>${(req.body as { text: string }).text.length}</strong></p>` }))
    const { text, wrapper } = editor('**停水**')
    await vi.runAllTimersAsync()
    await flushPromises()
    expect(wrapper.get('[data-testid="body-preview"] strong').text()).toBe('6')

    text.value = '**停水通知**'
    await flushPromises()
    await vi.advanceTimersByTimeAsync(200)
    text.value = '**停水通知**：周六'
    await flushPromises()
    await vi.advanceTimersByTimeAsync(400)
    await flushPromises()
    // One request for the pause, none for each key.
    expect(calls.filter((c) => c.path === '/markdown').map((c) => c.body)).toEqual([{ text: '**停水**' }, { text: '**停水通知**：周六' }])
    expect(wrapper.get('[data-testid="body-preview"] strong').text()).toBe('11')
  })

  it('keeps the last good preview and says why the new one failed', async () => {
    vi.useFakeTimers()
    let fail = false
    mockFetch(() => (fail ? apiError(422, 'validation_failed', '内容过长') : json(200, { html: '<p>好</p>' })))
    const { text, wrapper } = editor('好')
    await vi.runAllTimersAsync()
    await flushPromises()
    fail = true
    text.value = '好'.repeat(3)
    await vi.runAllTimersAsync()
    await flushPromises()
    expect(wrapper.get('[data-testid="body-preview"]').text()).toContain('好')
    expect(wrapper.get('[data-testid="body-preview"] [role="alert"]').text()).toContain('内容过长')
  })

  it('makes the selected words bold from the toolbar', async () => {
    mockFetch(() => json(200, { html: '' }))
    const { text, wrapper } = editor('请按时缴费')
    const area = wrapper.get('textarea').element as HTMLTextAreaElement
    area.setSelectionRange(2, 4)
    await wrapper.get('[data-testid="body-tool-bold"]').trigger('click')
    expect(text.value).toBe('请按**时缴**费')
    expect(wrapper.findAll('[role="toolbar"] button').map((b) => b.text())).toEqual(['标题', '加粗', '列表', '编号', '引用', '链接'])
  })
})
