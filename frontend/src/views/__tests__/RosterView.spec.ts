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
    layout: {
      header_line: 1,
      columns: [],
      skipped: [],
      blank_lines: 0,
      area_source_from_heading: null,
      columns_chosen: false,
      area_basis: { from: 'column', source: null },
      holder_keys: 'column',
    },
    proposed_holders: [],
    holder_keys_confirmed: false,
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
  // Vant's confirm dialog is mounted once per module and reused: keep its popup, clear the rest.
  for (const el of [...document.body.children]) if (!el.matches('.van-popup, .van-overlay, .van-dialog')) el.remove()
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
        ...report([]).layout,
        header_line: 3,
        columns: [
          { column: 'A', heading: '楼栋', field: 'building', samples: ['3号楼', '3号楼'] },
          { column: 'B', heading: '单元', field: 'entrance', samples: ['2', ''] },
          { column: 'D', heading: '建筑面积(㎡)', field: 'area', samples: ['89.45'] },
          { column: 'I', heading: '备注', field: null, samples: [] },
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
    const columns = layout.findAll('[data-testid="roster-column"]').map((tr) => [
      ...tr.findAll('td').slice(0, 3).map((td) => td.text()),
      (tr.get('select').element as HTMLSelectElement).value,
    ])
    expect(columns).toEqual([
      ['A', '楼栋', '3号楼、3号楼', 'building'],
      ['B', '单元', '2', 'entrance'],
      ['D', '建筑面积(㎡)', '89.45', 'area'],
      ['I', '备注', '—', '-'],
    ])
    expect(layout.get('[data-testid="roster-column-field"]').attributes('aria-label')).toBe('第 A 列“楼栋”读作')
  })

  it('lets the secretary correct a column, choose the area basis and confirm the proposed holders before importing', async () => {
    const columns = [
      { column: 'A', heading: '楼栋', field: 'building', samples: ['1'] },
      { column: 'B', heading: '房号', field: 'unit', samples: ['301'] },
      { column: 'C', heading: '建筑面积(㎡)', field: 'area', samples: ['89.5'] },
      { column: 'D', heading: '户主', field: null, samples: ['张三'] },
    ]
    const guessed: ImportReport = {
      ...report([
        { line: 1, field: 'holder_name', message: '表头缺少“业主姓名”列' },
      ]),
      layout: { ...report([]).layout, columns, area_basis: { from: 'missing', source: null }, holder_keys: 'proposed' },
    }
    const corrected: ImportReport = {
      ...report([]),
      layout: {
        ...report([]).layout,
        columns: columns.map((c) => (c.column === 'D' ? { ...c, field: 'holder_name' } : c)),
        columns_chosen: true,
        area_basis: { from: 'chosen', source: 'surveyed' },
        holder_keys: 'proposed',
      },
      proposed_holders: [
        { key: 'P0A1B2C3D4E', name: '张三', phone: '139****5678', units: ['1 301'], lines: [4], notes: [] },
        { key: 'P1111111111', name: '赵六', phone: null, units: ['1 302'], lines: [5], notes: ['no_phone'] },
      ],
    }
    const calls = mockFetch((req) => {
      if (req.path === '/compounds/7') return json(200, compound)
      if (req.query.get('dry_run') === 'false') return json(200, { ...corrected, dry_run: false, holder_keys_confirmed: true })
      return json(200, req.query.get('columns') ? corrected : guessed)
    })
    const wrapper = await mountRoster()
    await pickFile(wrapper, '楼栋,房号,建筑面积(㎡),户主\n1,301,89.5,张三\n')
    await wrapper.get('[data-testid="roster-dryrun"]').trigger('click')
    await flushPromises()

    const selects = wrapper.findAll('[data-testid="roster-column-field"]')
    expect((selects[3]?.element as HTMLSelectElement).value).toBe('-')
    await selects[3]?.setValue('holder_name')
    await wrapper.get('[data-testid="roster-area-source-select"]').setValue('surveyed')
    expect(wrapper.get('[data-testid="roster-import"]').attributes('disabled')).toBeDefined()
    await wrapper.get('[data-testid="roster-rerun"]').trigger('click')
    await flushPromises()

    const rerun = calls.filter((c) => c.method === 'POST')[1] as RecordedRequest
    expect(rerun.query.get('columns')).toBe('building,unit,area,holder_name')
    expect(rerun.query.get('area_source')).toBe('surveyed')
    expect(rerun.query.get('holder_keys')).toBeNull()
    expect(wrapper.get('[data-testid="roster-basis-applied"]').text()).toContain('测绘')
    const holders = wrapper.findAll('[data-testid="roster-holder"]')
    expect(holders.map((h) => h.findAll('td')[1]?.text())).toEqual(['张三', '赵六'])
    expect(holders[1]?.get('[data-testid="roster-holder-note"]').text()).toBe('没有电话，按姓名合并，请核对是否同一人')
    expect(wrapper.get('[data-testid="roster-import"]').attributes('disabled')).toBeDefined()

    await wrapper.get('[data-testid="roster-keys-checked"]').setValue(true)
    const importButton = wrapper.get('[data-testid="roster-import"]')
    expect(importButton.attributes('disabled')).toBeUndefined()
    await importButton.trigger('click')
    await flushPromises()
    const confirm = document.querySelector<HTMLButtonElement>('.van-dialog__confirm')
    expect(confirm).not.toBeNull()
    confirm?.click()
    await flushPromises()

    const done = calls.filter((c) => c.method === 'POST')[2] as RecordedRequest
    expect(done.query.get('dry_run')).toBe('false')
    expect(done.query.get('columns')).toBe('building,unit,area,holder_name')
    expect(done.query.get('area_source')).toBe('surveyed')
    expect(done.query.get('holder_keys')).toBe('proposed')
    wrapper.unmount()
  })

  it('keeps the preview and names the column when the server refuses the chosen reading', async () => {
    const columns = [{ column: 'A', heading: '楼栋', field: 'building', samples: ['1'] }]
    mockFetch((req) => {
      if (req.path === '/compounds/7') return json(200, compound)
      if (req.query.get('columns')) {
        return apiError(422, 'validation_failed', '列的读法有误', { fields: { columns: '没有哪一列读作“房号”' } })
      }
      return json(200, { ...report([]), layout: { ...report([]).layout, columns } })
    })
    const wrapper = await mountRoster()
    await pickFile(wrapper, '楼栋\n1\n')
    await wrapper.get('[data-testid="roster-dryrun"]').trigger('click')
    await flushPromises()
    await wrapper.get('[data-testid="roster-column-field"]').setValue('-')
    await wrapper.get('[data-testid="roster-rerun"]').trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-testid="roster-columns-error"]').text()).toBe('没有哪一列读作“房号”')
    expect(wrapper.find('[data-testid="roster-layout"]').exists()).toBe(true)
    expect(wrapper.get('[data-testid="roster-import"]').attributes('disabled')).toBeDefined()
    wrapper.unmount()
  })
})
