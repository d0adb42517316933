import type { TaskSummary } from '@/api/meetings'

/** The tasks with the overdue ones first, each part keeping the server's order (soonest due first). */
export function overdueFirst<T extends Pick<TaskSummary, 'overdue'>>(tasks: readonly T[]): T[] {
  return [...tasks.filter((t) => t.overdue), ...tasks.filter((t) => !t.overdue)]
}
