import { describe, expect, it } from 'vitest'
import { overdueFirst } from '@/utils/tasks'

describe('overdueFirst', () => {
  it('puts the overdue tasks first and keeps the order within each part', () => {
    const tasks = [
      { id: 1, overdue: false },
      { id: 2, overdue: true },
      { id: 3, overdue: false },
      { id: 4, overdue: true },
    ]
    expect(overdueFirst(tasks).map((t) => t.id)).toEqual([2, 4, 1, 3])
    expect(tasks.map((t) => t.id)).toEqual([1, 2, 3, 4])
  })
})
