import type { Ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { client, unwrap } from '@/api/client'
import { ApiError } from '@/api/http'
import type { MinutesSignature, MinutesStatus, MinutesView } from '@/api/minutes'
import { useLoader, type Loader } from './loader'

/** A meeting's minutes as loaded: `view` is null when there are none (or none the reader may see yet). */
export interface LoadedMinutes {
  view: MinutesView | null
}

/** The minutes of meeting `id`: the server answers 404 while there are none, which is no failure here. */
export function useMinutesLoader(id: Ref<number>): Loader<LoadedMinutes> {
  return useLoader(async () => {
    try {
      return { view: await unwrap(client.GET('/api/v1/meetings/{id}/minutes', { params: { path: { id: id.value } } })) }
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return { view: null }
      throw e
    }
  })
}

/** Whether the server refused a step because the minutes moved on meanwhile (another version, another step): they are read again. */
export function movedOn(e: unknown): boolean {
  return e instanceof ApiError && e.status === 409
}

/** The steps of minutes, in order. */
export const MINUTES_STEPS: readonly MinutesStatus[] = ['drafting', 'correcting', 'signing', 'published']

/** Whether a seat's answer signs the minutes (with or without a dissenting opinion). */
export function signs(s: Pick<MinutesSignature, 'answer'>): boolean {
  return s.answer === 'approved' || s.answer === 'dissent'
}

/** Minutes in words: states, seats, answers, why a version was saved. */
export function useMinutesFormat() {
  const { t } = useI18n()

  /** Whose seat: the party's name for a party's seat, else the seat with the person's name. */
  function seat(s: MinutesSignature): string {
    const label = t(`minutes.signatures.seats.${s.seat}`)
    return s.party_name ? `${label}${t('common.separator')}${s.party_name}` : label
  }

  /** "drafted", "edited" or "correction:12", in words. */
  function reason(r: string): string {
    if (r.startsWith('correction:')) return t('minutes.versions.reasons.correction')
    return r === 'drafted' || r === 'edited' ? t(`minutes.versions.reasons.${r}`) : r
  }

  return {
    seat,
    reason,
    status: (status: MinutesStatus) => t(`minutes.status.${status}`),
    answer: (s: MinutesSignature) => (s.did_not_sign ? t('minutes.signatures.didNotSign') : t(`minutes.signatures.answers.${s.answer}`)),
  }
}
