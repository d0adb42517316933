import { describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import { i18n } from '@/i18n'
import PagedList from '@/components/shared/PagedList.vue'
import { usePagedList, type Page } from '@/composables/pagedList'

vi.mock('vant', async (importOriginal) => ({ ...(await importOriginal<typeof import('vant')>()), showNotify: vi.fn() }))

type Row = { id: number; name: string }

/** A page showing `count` rows two at a time, as the agenda and concern lists do. */
function mountList(fetchPage: (page: number, perPage: number) => Promise<Page<Row>>) {
  const Host = defineComponent({
    setup() {
      const list = usePagedList(fetchPage, 2)
      void list.load(true)
      return () =>
        h(
          PagedList<Row>,
          { list, totalText: `${list.total.value} in all`, emptyText: 'Nothing yet', moreText: 'More', moreTestid: 'more' },
          { row: ({ item }: { item: Row }) => h('div', { 'data-testid': 'row' }, item.name) },
        )
    },
  })
  return mount(Host, { global: { plugins: [i18n] } })
}

function server(count: number) {
  const all = Array.from({ length: count }, (_, i) => ({ id: i + 1, name: `row ${i + 1}` }))
  return async (page: number, perPage: number) => ({ items: all.slice((page - 1) * perPage, page * perPage), total: count })
}

describe('PagedList', () => {
  it('shows the rows and the total, and loads more while rows remain', async () => {
    const wrapper = mountList(server(3))
    await flushPromises()
    expect(wrapper.findAll('[data-testid="row"]').map((r) => r.text())).toEqual(['row 1', 'row 2'])
    expect(wrapper.text()).toContain('3 in all')
    await wrapper.get('[data-testid="more"]').trigger('click')
    await flushPromises()
    expect(wrapper.findAll('[data-testid="row"]')).toHaveLength(3)
    expect(wrapper.find('[data-testid="more"]').exists()).toBe(false)
  })

  it('says so when there is nothing to show', async () => {
    const wrapper = mountList(server(0))
    await flushPromises()
    expect(wrapper.text()).toContain('Nothing yet')
    expect(wrapper.find('[data-testid="more"]').exists()).toBe(false)
  })

  it('offers to try again when the page could not be read', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const fetchPage = vi.fn<(page: number, perPage: number) => Promise<Page<Row>>>().mockRejectedValueOnce(new Error('offline'))
    fetchPage.mockImplementation(server(1))
    const wrapper = mountList(fetchPage)
    await flushPromises()
    expect(wrapper.text()).not.toContain('Nothing yet')
    const retry = wrapper.findAll('button').find((b) => b.text() === i18n.global.t('common.retry'))
    await retry!.trigger('click')
    await flushPromises()
    expect(wrapper.findAll('[data-testid="row"]').map((r) => r.text())).toEqual(['row 1'])
  })
})
