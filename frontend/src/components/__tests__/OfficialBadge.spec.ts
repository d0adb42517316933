import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { i18n } from '@/i18n'
import OfficialBadge from '@/components/OfficialBadge.vue'

describe('OfficialBadge', () => {
  it('badges a party member with their party', () => {
    const wrapper = mount(OfficialBadge, { props: { kind: 'community_office' }, global: { plugins: [i18n] } })
    const badge = wrapper.get('[data-testid="official-badge"]')
    expect(badge.text()).not.toBe('')
  })

  it('shows nothing for an owner, whatever their name says', () => {
    const wrapper = mount(OfficialBadge, { props: { kind: null }, global: { plugins: [i18n] } })
    expect(wrapper.find('[data-testid="official-badge"]').exists()).toBe(false)
  })
})
