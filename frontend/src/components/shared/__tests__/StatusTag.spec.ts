import { beforeEach, describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { i18n } from '@/i18n'
import StatusTag from '@/components/shared/StatusTag.vue'

function tag(props: InstanceType<typeof StatusTag>['$props']) {
  return mount(StatusTag, { props, global: { plugins: [i18n] } })
}

beforeEach(() => {
  i18n.global.locale.value = 'zh-CN'
})

describe('StatusTag', () => {
  it('names where an agenda stands, and marks one that owners took up by 20%', () => {
    const plain = tag({ kind: 'agenda', status: 'decided' })
    expect(plain.get('[data-testid="agenda-status"]').text()).toBe(i18n.global.t('agendas.status.decided'))
    expect(plain.get('[data-testid="agenda-status"]').attributes('data-status')).toBe('decided')
    expect(plain.find('[data-testid="agenda-statutory-tag"]').exists()).toBe(false)

    const statutory = tag({ kind: 'agenda', status: 'open', flag: true })
    expect(statutory.get('[data-testid="agenda-statutory-tag"]').text()).toBe('20%')
  })

  it('names where a concern stands, and says when it is overdue', () => {
    const wrapper = tag({ kind: 'concern', status: 'reopened', flag: true })
    expect(wrapper.get('[data-testid="concern-status"]').text()).toBe(i18n.global.t('concerns.status.reopened'))
    expect(wrapper.get('[data-testid="concern-overdue"]').text()).toBe(i18n.global.t('concerns.overdue'))
    expect(tag({ kind: 'concern', status: 'reopened' }).find('[data-testid="concern-overdue"]').exists()).toBe(false)
  })

  it('gives each state of a vote its own colour, a draft only outlined', () => {
    const classes = (status: 'draft' | 'open' | 'cancelled') =>
      tag({ kind: 'vote', status }).get('[data-testid="vote-status"] .van-tag').classes()
    expect(classes('open')).toContain('van-tag--success')
    expect(classes('cancelled')).toContain('van-tag--danger')
    expect(classes('draft')).toContain('van-tag--plain')
    expect(classes('open')).not.toContain('van-tag--plain')
    expect(tag({ kind: 'vote', status: 'closed' }).get('[data-testid="vote-status"]').text()).toBe(i18n.global.t('votes.status.closed'))
  })

  it('says a questionnaire is open for answers while it is, and its state otherwise', () => {
    const open = tag({ kind: 'questionnaire', status: 'published', open: true })
    expect(open.get('[data-testid="questionnaire-status"]').text()).toBe(i18n.global.t('questionnaires.open'))
    const closed = tag({ kind: 'questionnaire', status: 'closed', open: false })
    expect(closed.get('[data-testid="questionnaire-status"]').text()).toBe(i18n.global.t('questionnaires.status.closed'))
    expect(closed.get('[data-testid="questionnaire-status"]').attributes('data-status')).toBe('closed')
  })
})
