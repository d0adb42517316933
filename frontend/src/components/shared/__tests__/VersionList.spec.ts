import { beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import { i18n } from '@/i18n'
import VersionList from '@/components/shared/VersionList.vue'
import ConventionVersions from '@/components/conventions/ConventionVersions.vue'
import type { ConventionView } from '@/api/conventions'

type Row = { version: number; digest: string; by: string; signed: number }

const ROWS: Row[] = [
  { version: 1, digest: 'ab'.repeat(32), by: '张三', signed: 2 },
  { version: 2, digest: 'cd'.repeat(32), by: '李四', signed: 0 },
]

function router() {
  const stub = { template: '<div />' }
  return createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: stub },
      { path: '/texts/:id/versions/:version', name: 'text-version', component: stub },
      { path: '/conventions/:id/versions/:version', name: 'convention-version', component: stub },
    ],
  })
}

beforeEach(() => {
  i18n.global.locale.value = 'zh-CN'
})

describe('VersionList', () => {
  it('lists the versions newest first in the words given, tags the current one and shortens the digests', async () => {
    const r = router()
    await r.push('/')
    const wrapper = mount(VersionList<Row>, {
      props: {
        name: 'text',
        title: 'All versions',
        currentLabel: 'current',
        versions: ROWS,
        current: 2,
        to: (v: Row) => ({ name: 'text-version', params: { id: 7, version: v.version } }),
        line: (v: Row) => `v${v.version}`,
        reason: (v: Row) => (v.version === 1 ? 'drafted' : 'edited'),
        byLine: (v: Row) => `by ${v.by}`,
        note: (v: Row) => (v.signed > 0 ? `${v.signed} signed` : null),
      },
      global: { plugins: [r, i18n] },
    })
    const card = wrapper.get('[data-testid="text-versions"]')
    expect(card.attributes('aria-labelledby')).toBe('text-versions-title')
    expect(card.get('#text-versions-title').text()).toBe('All versions')

    const rows = wrapper.findAll('[data-testid="text-version"]')
    expect(rows.map((row) => row.attributes('data-version'))).toEqual(['2', '1'])
    expect(rows[0]!.text()).toContain('v2 · edited')
    expect(rows[0]!.text()).toContain('by 李四 · cdcdcdcdcdcd')
    expect(rows[0]!.find('.sf-version__current').text()).toBe('current')
    expect(rows[0]!.text()).not.toContain('signed')
    expect(rows[1]!.text()).toContain('by 张三 · 2 signed · abababababab')
    expect(rows[1]!.find('.sf-version__current').exists()).toBe(false)

    await rows[1]!.trigger('click')
    await flushPromises()
    expect(r.currentRoute.value.fullPath).toBe('/texts/7/versions/1')
  })

  it('gives a convention its own ids, words and links', async () => {
    const r = router()
    await r.push('/')
    const convention = {
      id: 9,
      version: 1,
      versions: [{ version: 1, digest: 'ef'.repeat(32), reason: 'adopted #12', author: '王五', title: '管理规约', created_at: '2026-01-03T00:00:00Z' }],
    } as unknown as ConventionView
    const wrapper = mount(ConventionVersions, { props: { convention }, global: { plugins: [r, i18n] } })
    expect(wrapper.get('#convention-versions-title').text()).toBe(i18n.global.t('conventions.versions.title'))
    const row = wrapper.get('[data-testid="convention-version"]')
    expect(row.text()).toContain(`${i18n.global.t('conventions.versionLine', { version: 1 })} · ${i18n.global.t('conventions.versions.reasons.adopted', { id: '12' })}`)
    expect(row.text()).toContain('王五 · ')
    expect(row.text()).toContain('efefefefefef')
    expect(row.text()).toContain(i18n.global.t('conventions.versions.current'))
    await row.trigger('click')
    await flushPromises()
    expect(r.currentRoute.value.fullPath).toBe('/conventions/9/versions/1')
  })
})
