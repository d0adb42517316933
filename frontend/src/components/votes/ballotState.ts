import type { MyHolding } from '@/api/types'

/** The i18n key saying how a holding's ballot stands: cast by me, by my proxy, on paper, or awaiting a clerk. */
export function ballotTitleKey(h: MyHolding): string {
  const b = h.ballot
  if (!b) return ''
  if (b.status === 'pending') return 'votes.pendingPaper'
  if (b.channel === 'proxy' && h.proxy_id == null) return 'votes.votedByProxy'
  if (b.channel === 'paper') return 'votes.votedOnPaper'
  return 'votes.voted'
}

/** How my homes stand on one vote: nothing to vote for, none voted, some, or all. */
export type MyVoteState = 'none' | 'todo' | 'some' | 'done'

export function myVoteState(my: readonly MyHolding[]): MyVoteState {
  if (my.length === 0) return 'none'
  const cast = my.filter((h) => h.ballot).length
  if (cast === 0) return 'todo'
  return cast === my.length ? 'done' : 'some'
}

/** Where I stand on a vote as its home card tells it: the state and how many homes still wait. */
export interface MyStanding {
  state: MyVoteState
  left: number
}

export function myStanding(my: readonly MyHolding[]): MyStanding {
  return { state: myVoteState(my), left: my.filter((h) => !h.ballot).length }
}
