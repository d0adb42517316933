import { useI18n } from 'vue-i18n'
import type { PendingConfirmation } from '@/api/types'
import { useFormat } from './format'
import { confirmDialog } from '@/utils/dialogFocus'

/** Words for the two-person rule: why someone may not confirm, and what they vouch for when they do. */
export function useConfirmationText() {
  const { t, te } = useI18n()
  const fmt = useFormat()

  /** Why the server will not take this person as the second one, in plain words. */
  function refusal(code: string | null | undefined): string {
    const key = `confirmations.refusals.${code ?? 'other'}`
    return te(key) ? t(key) : t('confirmations.refusals.other')
  }

  /** What the confirmer declares by confirming this item. */
  function declaration(item: PendingConfirmation): string {
    const args = {
      holder: item.holder_name,
      key: item.holder_key,
      account: item.account_name ?? '—',
      from: fmt.dateTime(item.valid_from),
      until: fmt.dateTime(item.valid_until),
    }
    return t(`confirmations.checks.${item.kind}`, args)
  }

  /** Who asked, for which party, and when. */
  function requested(item: PendingConfirmation): string {
    const party = item.requested_party ? fmt.partyKind(item.requested_party) : t('confirmations.noParty')
    return t('confirmations.requested', { name: item.requested_by_name, party, at: fmt.dateTime(item.requested_at) })
  }

  return { refusal, declaration, requested }
}

/** Asks before a step that cannot be undone; resolves false when the user backs out. */
export async function ask(title: string, message: string, confirmButtonText: string, cancelButtonText: string): Promise<boolean> {
  try {
    await confirmDialog({ title, message, confirmButtonText, cancelButtonText })
    return true
  } catch (cancelled) {
    if (cancelled === 'cancel') return false
    throw cancelled
  }
}
