import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { ImportReport, RowError } from '@/api/types'
import { useAuthStore } from '@/stores/auth'
import RosterView from '@/views/RosterView.vue'
import { apiError, compoundDetail as compound, json, mockFetch, openAt, type RecordedRequest, tokens } from '@/__tests__/helpers'

function report(errors: RowError[], dryRun = true): ImportReport {
  return {
    dry_run: dryRun,
    format: 'csv',
    rows: 3,
    units_created: 1,
    units_updated: 1,
    units_unchanged: 1,
    units_not_in_file: 0,
    holders_created: 1,
    holders_updated: 0,
    buildings_created: 0,
    layout: { header_line: 1, columns: [], skipped: [], blank_lines: 0, area_source_from_heading: null },
    errors,
  }
}

let pinia: Pinia

async function mountRoster(): Promise<VueWrapper> {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/compounds/:id/roster', component: RosterView }],
  })
  return openAt(RosterView, router, '/compounds/7/roster', pinia)
}

async function pickFile(wrapper: VueWrapper, content: string, name = 'roster.csv'): Promise<void> {
  const input = wrapper.get('[data-testid="roster-file"]')
  Object.defineProperty(input.element, 'files', { value: [new File([content], name, { type: 'text/csv' })], configurable: true })
  await input.trigger('change')
}

beforeEach(() => {
  localStorage.clear()
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
  pinia = createPinia()
  setActivePinia(pinia)
  useAuthStore().setTokens(tokens(1))
})

describe('RosterView', () => {
  it('shows a dry run’s bad rows with their line numbers and keeps import locked', async () => {
    const calls = mockFetch((req) => {
      if (req.path === '/compounds/7') return json(200, compound)
      return json(
        200,
        report([
          { line: 4, field: 'area', message: '面积必须大于 0' },
          { line: 6, field: null, message: '房号重复' },
        ]),
      )
    })
    const wrapper = await mountRoster()

    expect(wrapper.get('[data-testid="roster-dryrun"]').attributes('disabled')).toBeDefined()
    await pickFile(wrapper, '楼栋,房号,面积\n1号楼,101,89.5\n')
    await wrapper.get('[data-testid="roster-dryrun"]').trigger('click')
    await flushPromises()

    const upload = calls.find((c) => c.method === 'POST') as RecordedRequest
    expect(upload.path).toBe('/compounds/7/roster')
    expect(upload.query.get('dry_run')).toBe('true')
    expect(upload.headers.get('Content-Type')).toBe('text/csv')
    expect(upload.headers.get('Authorization')).toBe('Bearer access-1')
    expect(await (upload.body as Blob).text()).toBe('楼栋,房号,面积\n1号楼,101,89.5\n')

    const rows = wrapper.findAll('[data-testid="roster-error-row"]')
    expect(rows).toHaveLength(2)
    expect(rows[0]?.findAll('td').map((td) => td.text())).toEqual(['4', '面积 area', '面积必须大于 0'])
    expect(rows[1]?.findAll('td').map((td) => td.text())).toEqual(['6', '—', '房号重复'])
    expect(wrapper.get('[data-testid="roster-status"]').text()).toBe('2 个错误')
    expect(wrapper.find('[data-testid="roster-rows"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="roster-import"]').attributes('disabled')).toBeDefined()
    wrapper.unmount()
  })

  it('unlocks import after a clean dry run and shows the rows the server rejects on import', async () => {
    const calls = mockFetch((req) => {
      if (req.path === '/compounds/7') return json(200, compound)
      if (req.query.get('dry_run') === 'true') return json(200, report([]))
      return apiError(422, 'roster_invalid', '名册有错误', { rows: [{ line: 12, field: 'holder_key', message: '业主编号冲突' }] })
    })
    const wrapper = await mountRoster()

    await pickFile(wrapper, 'building,unit,area\n1,101,89.50\n')
    await wrapper.get('[data-testid="roster-dryrun"]').trigger('click')
    await flushPromises()

    expect(wrapper.findAll('[data-testid="roster-error-row"]')).toHaveLength(0)
    expect(wrapper.get('[data-testid="roster-status"]').text()).toBe('没有错误')
    expect(wrapper.get('[data-testid="roster-rows"]').text()).toBe('3')
    const importButton = wrapper.get('[data-testid="roster-import"]')
    expect(importButton.attributes('disabled')).toBeUndefined()

    await importButton.trigger('click')
    await flushPromises()
    const confirm = document.querySelector<HTMLButtonElement>('.van-dialog__confirm')
    expect(confirm?.textContent).toContain('导入')
    confirm?.click()
    await flushPromises()

    expect(calls.filter((c) => c.method === 'POST').map((c) => c.query.get('dry_run'))).toEqual(['true', 'false'])
    const rows = wrapper.findAll('[data-testid="roster-error-row"]')
    expect(rows).toHaveLength(1)
    expect(rows[0]?.text()).toContain('12')
    expect(rows[0]?.text()).toContain('业主编号冲突')
    expect(wrapper.get('[data-testid="roster-import"]').attributes('disabled')).toBeDefined()
    wrapper.unmount()
  })

  it('locks import again when another file is picked', async () => {
    mockFetch((req) => (req.path === '/compounds/7' ? json(200, compound) : json(200, report([]))))
    const wrapper = await mountRoster()

    await pickFile(wrapper, 'a')
    await wrapper.get('[data-testid="roster-dryrun"]').trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-testid="roster-import"]').attributes('disabled')).toBeUndefined()

    await pickFile(wrapper, 'b', 'other.csv')
    expect(wrapper.get('[data-testid="roster-import"]').attributes('disabled')).toBeDefined()
    expect(wrapper.find('[data-testid="roster-report"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('offers a CSV template with the Chinese header row', async () => {
    mockFetch(() => json(200, compound))
    const wrapper = await mountRoster()
    const link = wrapper.get('[data-testid="roster-template"]')
    expect(link.attributes('download')).toBe('roster-template.csv')
    const href = link.attributes('href') ?? ''
    expect(decodeURIComponent(href.slice(href.indexOf(',') + 1))).toBe('\uFEFF楼栋,房号,面积,面积来源,业主姓名,联系电话,业主编号\r\n')
    wrapper.unmount()
  })
  it('shows where the header was found, what was skipped and how each column was read', async () => {
    const kept: ImportReport = {
      ...report([]),
      layout: {
        header_line: 3,
        columns: [
          { column: 'A', heading: '楼栋', field: 'building' },
          { column: 'B', heading: '单元', field: 'entrance' },
          { column: 'D', heading: '建筑面积(㎡)', field: 'area' },
          { column: 'I', heading: '备注', field: null },
        ],
        skipped: [
          { from: 1, to: 2, reason: 'title', message: '第 1–2 行是标题，已跳过；表头在第 3 行' },
          { from: 58, to: 58, reason: 'total', message: '第 58 行是合计行，已跳过' },
        ],
        blank_lines: 2,
        area_source_from_heading: null,
      },
    }
    mockFetch((req) => (req.path === '/compounds/7' ? json(200, compound) : json(200, kept)))
    const wrapper = await mountRoster()
    await pickFile(wrapper, '标题\n')
    await wrapper.get('[data-testid="roster-dryrun"]').trigger('click')
    await flushPromises()

    const layout = wrapper.get('[data-testid="roster-layout"]')
    expect(layout.get('[data-testid="roster-header-line"]').text()).toBe('表头在第 3 行')
    expect(layout.findAll('[data-testid="roster-skipped"]').map((li) => li.text())).toEqual([
      '第 1–2 行是标题，已跳过；表头在第 3 行',
      '第 58 行是合计行，已跳过',
    ])
    expect(layout.get('[data-testid="roster-blank-lines"]').text()).toBe('空行 2 行，已跳过')
    const columns = layout.findAll('[data-testid="roster-column"]').map((tr) => tr.findAll('td').map((td) => td.text()))
    expect(columns).toEqual([
      ['A', '楼栋', '楼栋 building'],
      ['B', '单元', '单元 entrance'],
      ['D', '建筑面积(㎡)', '面积 area'],
      ['I', '备注', '不读取'],
    ])
  })
})
