import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { i18n } from '@/i18n'
import TimeWindowFields from '@/components/shared/TimeWindowFields.vue'

function mountFields(props: Partial<InstanceType<typeof TimeWindowFields>['$props']> = {}) {
  return mount(TimeWindowFields, {
    props: {
      title: 'When',
      opensLabel: 'Opens',
      closesLabel: 'Closes',
      testid: 'vote',
      opensAt: '2026-12-10T09:00',
      closesAt: '2026-12-24T18:00',
      ...props,
    },
    global: { plugins: [i18n] },
  })
}

describe('TimeWindowFields', () => {
  it('shows the opening and closing time in date-and-time inputs named after the form', () => {
    const wrapper = mountFields()
    const opens = wrapper.get<HTMLInputElement>('[data-testid="vote-opens-at"]')
    const closes = wrapper.get<HTMLInputElement>('[data-testid="vote-closes-at"]')
    expect(opens.attributes('type')).toBe('datetime-local')
    expect(opens.element.value).toBe('2026-12-10T09:00')
    expect(closes.element.value).toBe('2026-12-24T18:00')
    expect(wrapper.text()).toContain('Opens')
    expect(wrapper.text()).toContain('Closes')
  })

  it('hands back each time the user enters', async () => {
    const wrapper = mountFields({ testid: 'questionnaire' })
    await wrapper.get('[data-testid="questionnaire-opens-at"]').setValue('2026-12-11T08:30')
    await wrapper.get('[data-testid="questionnaire-closes-at"]').setValue('2026-12-30T20:00')
    expect(wrapper.emitted('update:opensAt')?.at(-1)).toEqual(['2026-12-11T08:30'])
    expect(wrapper.emitted('update:closesAt')?.at(-1)).toEqual(['2026-12-30T20:00'])
  })

  it('shows what is wrong under the field it concerns', () => {
    const wrapper = mountFields({ closesError: 'Must close after it opens' })
    const messages = wrapper.findAll('.van-field__error-message')
    expect(messages).toHaveLength(1)
    expect(messages[0]!.text()).toBe('Must close after it opens')
  })
})
