import { useI18n } from 'vue-i18n'
import type { MeetingAnswer, MeetingKind, MeetingStatus, MeetingSummary } from '@/api/meetings'
import { durationParts, endsAt } from '@/utils/meetings'

/** Meetings in words: kinds, states, answers, and when a meeting is held. */
export function useMeetingFormat() {
  const { t, locale } = useI18n()

  function duration(total: number): string {
    const { hours, minutes } = durationParts(total)
    if (hours === 0) return t('meetings.durationMinutes', { minutes })
    return minutes === 0 ? t('meetings.durationHours', { hours }, hours) : t('meetings.durationBoth', { hours, minutes }, hours)
  }

  /** "2026年5月8日 周五 14:00–15:30", the end's day repeated only when it is another. */
  function when(m: Pick<MeetingSummary, 'starts_at' | 'duration_minutes'>): string {
    const start = new Date(m.starts_at)
    const end = new Date(endsAt(m))
    const day = new Intl.DateTimeFormat(locale.value, { year: 'numeric', month: 'long', day: 'numeric', weekday: 'short' })
    const time = new Intl.DateTimeFormat(locale.value, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    const sameDay = start.toDateString() === end.toDateString()
    const to = sameDay ? time.format(end) : `${day.format(end)} ${time.format(end)}`
    return t('meetings.when', { day: day.format(start), start: time.format(start), end: to })
  }

  function month(first: Date): string {
    return new Intl.DateTimeFormat(locale.value, { year: 'numeric', month: 'long' }).format(first)
  }

  return {
    duration,
    when,
    month,
    kind: (kind: MeetingKind) => t(`meetings.kinds.${kind}`),
    status: (status: MeetingStatus) => t(`meetings.status.${status}`),
    answer: (answer: MeetingAnswer) => t(`meetings.answers.${answer}`),
  }
}
