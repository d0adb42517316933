import { describe, expect, it } from 'vitest'
import { h } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import { i18n } from '@/i18n'
import DataTable from '@/components/shared/DataTable.vue'

type Row = { id: number; name: string; area: string }
const rows: Row[] = [
  { id: 1, name: '张三', area: '89.50' },
  { id: 2, name: '李四', area: '120.00' },
]
const columns = [
  { key: 'name', label: 'Name', sortable: true },
  { key: 'area', label: 'Area', sortable: true, numeric: true },
  { key: 'note', label: 'Note' },
]

function router() {
  return createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: { render: () => null } },
      { path: '/items/:id', name: 'item', component: { render: () => null } },
    ],
  })
}

function mountTable(props: Record<string, unknown> = {}, slots: Record<`cell-${string}`, (p: { row: Row }) => ReturnType<typeof h>> = {}) {
  const r = router()
  const wrapper = mount(DataTable<Row>, {
    props: { columns, rows, label: 'Owners', sort: { key: 'name', dir: 'asc' }, rowTestid: 'row', ...props },
    slots,
    global: { plugins: [i18n, r] },
  })
  return { wrapper, r }
}

describe('DataTable', () => {
  it('is a named table with column headers that say how it is sorted', () => {
    const { wrapper } = mountTable()
    expect(wrapper.get('caption').text()).toBe('Owners')
    const ths = wrapper.findAll('th')
    expect(ths.map((th) => th.attributes('scope'))).toEqual(['col', 'col', 'col'])
    expect(ths.map((th) => th.attributes('aria-sort'))).toEqual(['ascending', 'none', undefined])
    expect(ths[2]?.find('button').exists()).toBe(false)
    expect(wrapper.findAll('[data-testid="row"]').map((r) => r.attributes('data-id'))).toEqual(['1', '2'])
  })

  it('asks for the other direction on a second click and for a new column ascending', async () => {
    const { wrapper } = mountTable()
    await wrapper.get('[data-testid="sort-name"]').trigger('click')
    await wrapper.get('[data-testid="sort-area"]').trigger('click')
    expect(wrapper.emitted('update:sort')).toEqual([[{ key: 'name', dir: 'desc' }], [{ key: 'area', dir: 'asc' }]])
  })

  it('opens a row from the button in its first cell or a click anywhere on it', async () => {
    const { wrapper } = mountTable()
    await wrapper.get('tbody tr:first-child td:first-child button').trigger('click')
    await wrapper.findAll('tbody td')[4]?.trigger('click')
    expect(wrapper.emitted('open')).toEqual([[rows[0]], [rows[1]]])
  })

  it('links each row to its page when rowTo is given, and fills cells from slots', async () => {
    const { wrapper, r } = mountTable(
      { rowTo: (row: Row) => ({ name: 'item', params: { id: row.id } }) },
      { 'cell-area': ({ row }: { row: Row }) => h('b', `${row.area} m²`) },
    )
    await r.isReady()
    const link = wrapper.get('tbody tr:first-child a')
    expect(link.attributes('href')).toBe('/items/1')
    expect(link.text()).toBe('张三')
    expect(wrapper.get('tbody tr:nth-child(2) b').text()).toBe('120.00 m²')
    await wrapper.findAll('tbody tr')[1]?.findAll('td')[1]?.trigger('click')
    await flushPromises()
    expect(r.currentRoute.value.fullPath).toBe('/items/2')
  })
})
