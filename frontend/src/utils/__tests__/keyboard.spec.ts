import { describe, expect, it, vi } from 'vitest'
import { installKeyboardPress } from '../keyboard'

function press(el: HTMLElement, key: string, init: KeyboardEventInit = {}): boolean {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init })
  el.dispatchEvent(event)
  return event.defaultPrevented
}

describe('keyboard press on the UI kit controls', () => {
  installKeyboardPress()

  function control(html: string): HTMLElement {
    document.body.innerHTML = html
    const el = document.body.firstElementChild as HTMLElement
    return el
  }

  it('presses a radio, a checkbox, a switch and a clickable cell with Space and Enter', () => {
    for (const role of ['radio', 'checkbox', 'switch', 'button', 'tab']) {
      const el = control(`<div role="${role}" tabindex="0">x</div>`)
      const click = vi.fn()
      el.addEventListener('click', click)
      expect(press(el, ' ')).toBe(true)
      expect(press(el, 'Enter')).toBe(true)
      expect(click).toHaveBeenCalledTimes(2)
    }
  })

  it('leaves native controls, other keys, modified keys and disabled controls alone', () => {
    const button = control('<button>x</button>')
    const onButton = vi.fn()
    button.addEventListener('click', onButton)
    expect(press(button, 'Enter')).toBe(false)

    const radio = control('<div role="radio" tabindex="0">x</div>')
    const onRadio = vi.fn()
    radio.addEventListener('click', onRadio)
    expect(press(radio, 'a')).toBe(false)
    expect(press(radio, 'Enter', { ctrlKey: true })).toBe(false)

    const disabled = control('<div role="checkbox" aria-disabled="true" tabindex="0">x</div>')
    const onDisabled = vi.fn()
    disabled.addEventListener('click', onDisabled)
    expect(press(disabled, ' ')).toBe(false)

    const input = control('<div role="button" tabindex="0"><input></div>')
    const onCell = vi.fn()
    input.addEventListener('click', onCell)
    expect(press(input.querySelector('input') as HTMLElement, ' ')).toBe(false)

    expect(onButton).not.toHaveBeenCalled()
    expect(onRadio).not.toHaveBeenCalled()
    expect(onDisabled).not.toHaveBeenCalled()
    expect(onCell).not.toHaveBeenCalled()
  })
})
