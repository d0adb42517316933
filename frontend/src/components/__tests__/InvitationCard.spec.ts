import { afterEach, describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import type { InvitationView } from '@/api/types'
import { i18n } from '@/i18n'
import InvitationCard from '@/components/InvitationCard.vue'

const invitation: InvitationView = {
  id: 1,
  code: 'R3NE-KGBC',
  confirmed: false,
  holder_id: 12,
  holder_key: 'TYC0012',
  holder_name: '梁振华',
  compound_name: '太阳城二期',
  expires_at: '2027-01-05T02:00:00Z',
}

afterEach(() => {
  i18n.global.locale.value = 'zh-CN'
})

describe('InvitationCard', () => {
  it('says a fresh code works only after the other party confirms it, and where', () => {
    const wrapper = mount(InvitationCard, { props: { invitation }, global: { plugins: [i18n] } })
    expect(wrapper.get('[data-testid="invitation-code"]').text()).toBe('R3NE-KGBC')
    const notice = wrapper.get('[data-testid="invitation-unconfirmed"]').text()
    expect(notice).toContain('社区居委会 / 业委会')
    expect(notice).toContain('确认后才能使用')
    expect(notice).toContain('“待确认”页面')
  })

  it('says it in English too', () => {
    i18n.global.locale.value = 'en'
    const wrapper = mount(InvitationCard, { props: { invitation }, global: { plugins: [i18n] } })
    expect(wrapper.get('[data-testid="invitation-unconfirmed"]').text()).toContain('only after a person of the other party')
  })

  it('drops the notice once the code is confirmed', () => {
    const wrapper = mount(InvitationCard, { props: { invitation: { ...invitation, confirmed: true } }, global: { plugins: [i18n] } })
    expect(wrapper.find('[data-testid="invitation-unconfirmed"]').exists()).toBe(false)
  })
})
