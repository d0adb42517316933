import { useI18n } from 'vue-i18n'
import type { AreaSource, Channel, Choice, Matter, PartyKind, Role, VoteStatus } from '@/api/types'

export function useFormat() {
  const { t, locale } = useI18n()

  function dateTime(value: string | null | undefined): string {
    if (!value) return '—'
    const date = new Date(value)
    if (Number.isNaN(date.getTime())) return value
    return new Intl.DateTimeFormat(locale.value, { dateStyle: 'medium', timeStyle: 'short' }).format(date)
  }

  function date(value: string | null | undefined): string {
    if (!value) return '—'
    const d = new Date(value)
    if (Number.isNaN(d.getTime())) return value
    return new Intl.DateTimeFormat(locale.value, { dateStyle: 'long' }).format(d)
  }

  return {
    dateTime,
    date,
    area: (value: string | null | undefined) => (value ? t('common.areaValue', { area: value }) : '—'),
    role: (role: Role) => t(`roles.${role}`),
    partyKind: (kind: PartyKind) => t(`parties.${kind}`),
    areaSource: (source: AreaSource) => t(`areaSources.${source}`),
    matter: (matter: Matter) => t(`votes.matters.${matter}`),
    voteStatus: (status: VoteStatus) => t(`votes.status.${status}`),
    channel: (channel: Channel) => t(`votes.channels.${channel}`),
    choice: (choice: Choice) => t(`votes.choices.${choice}`),
  }
}
