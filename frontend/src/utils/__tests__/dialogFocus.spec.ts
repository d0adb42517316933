import { afterEach, describe, expect, it, vi } from 'vitest'
import { showConfirmDialog } from 'vant'
import { confirmDialog, dialogName, keepTabInside } from '@/utils/dialogFocus'

vi.mock('vant', async (importOriginal) => ({ ...(await importOriginal<typeof import('vant')>()), showConfirmDialog: vi.fn() }))

afterEach(() => {
  document.body.innerHTML = ''
  vi.mocked(showConfirmDialog).mockReset()
})

describe('dialogName', () => {
  it('names a dialog by its title and drops the kit’s aria-labelledby, which points at no id', () => {
    expect(dialogName('退出登录')).toEqual({ 'aria-label': '退出登录', 'aria-labelledby': undefined, 'aria-modal': 'true' })
  })
})

describe('confirmDialog', () => {
  it('opens the kit’s confirm dialog named by its title and gives focus back to the button that asked', async () => {
    document.body.innerHTML = '<button id="ask">Log out</button><button id="other">Other</button>'
    const ask = document.getElementById('ask') as HTMLButtonElement
    ask.focus()
    vi.mocked(showConfirmDialog).mockImplementationOnce(async () => {
      document.getElementById('other')?.focus()
      return 'confirm'
    })
    await confirmDialog({ title: 'Log out', message: 'Sure?' })
    expect(vi.mocked(showConfirmDialog).mock.lastCall?.[0]).toMatchObject({ title: 'Log out', message: 'Sure?', 'aria-label': 'Log out' })
    expect(document.activeElement).toBe(ask)
  })

  it('rejects with cancel as the kit does, and still gives focus back', async () => {
    document.body.innerHTML = '<button id="ask">Remove</button>'
    const ask = document.getElementById('ask') as HTMLButtonElement
    ask.focus()
    vi.mocked(showConfirmDialog).mockImplementationOnce(async () => {
      ask.blur()
      throw 'cancel'
    })
    await expect(confirmDialog({ title: 'Remove' })).rejects.toBe('cancel')
    expect(document.activeElement).toBe(ask)
  })
})

describe('keepTabInside', () => {
  it('leaves Tab alone between the first and the last control', () => {
    document.body.innerHTML = '<div id="d"><button id="a">A</button><button id="b">B</button><button id="c">C</button></div>'
    const root = document.getElementById('d') as HTMLElement
    document.getElementById('a')?.focus()
    const event = new KeyboardEvent('keydown', { key: 'Tab', cancelable: true })
    keepTabInside(event, root)
    expect(event.defaultPrevented).toBe(false)
  })
})
