// Translates SDL events into the engine's InputEvents. Touch arrives as SDL's synthesised mouse events.
import CSDL2
import KioskUI

enum InputTranslator {
    static func translate(_ e: inout SDL_Event, scale: Double) -> InputEvent? {
        switch SDL_EventType(e.type) {
        case SDL_MOUSEBUTTONDOWN where e.button.button == UInt8(SDL_BUTTON_LEFT):
            return .pointerDown(Point(x: Double(e.button.x) * scale, y: Double(e.button.y) * scale))
        case SDL_MOUSEBUTTONUP where e.button.button == UInt8(SDL_BUTTON_LEFT):
            return .pointerUp(Point(x: Double(e.button.x) * scale, y: Double(e.button.y) * scale))
        case SDL_MOUSEMOTION where e.motion.state & kiosk_sdl_button_lmask() != 0:
            return .pointerMove(Point(x: Double(e.motion.x) * scale, y: Double(e.motion.y) * scale))
        case SDL_MOUSEWHEEL:
            var x: Int32 = 0, y: Int32 = 0
            SDL_GetMouseState(&x, &y)
            return .wheel(Point(x: Double(x) * scale, y: Double(y) * scale), dy: Double(e.wheel.y))
        case SDL_TEXTINPUT:
            let text = withUnsafeBytes(of: e.text.text) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            return .text(text)
        case SDL_KEYDOWN:
            let mod = UInt32(e.key.keysym.mod)
            if Int(e.key.keysym.sym) == Int(SDLK_m.rawValue), mod & UInt32(KMOD_CTRL.rawValue) != 0, mod & UInt32(KMOD_ALT.rawValue) != 0 {
                return .key(.maintenance)
            }
            switch Int(e.key.keysym.sym) {
            case Int(SDLK_ESCAPE.rawValue), Int(SDLK_AC_BACK.rawValue): return .key(.back)
            case Int(SDLK_HOME.rawValue): return .key(.home)
            case Int(SDLK_BACKSPACE.rawValue): return .key(.backspace)
            case Int(SDLK_PAGEDOWN.rawValue): return .key(.pageDown)
            case Int(SDLK_PAGEUP.rawValue): return .key(.pageUp)
            // An audio-navigation keypad is a USB keyboard: arrows, Enter, Help, volume. The number pad's digits
            // and signs are left alone: with NumLock on they also arrive as text, into a number field.
            case Int(SDLK_DOWN.rawValue): return .key(.down)
            case Int(SDLK_UP.rawValue): return .key(.up)
            case Int(SDLK_LEFT.rawValue): return .key(.left)
            case Int(SDLK_RIGHT.rawValue): return .key(.right)
            case Int(SDLK_RETURN.rawValue), Int(SDLK_KP_ENTER.rawValue): return .key(.enter)
            case Int(SDLK_F1.rawValue), Int(SDLK_HELP.rawValue): return .key(.help)
            case Int(SDLK_PAUSE.rawValue), Int(SDLK_AUDIOPLAY.rawValue): return .key(.pause)
            case Int(SDLK_VOLUMEUP.rawValue), Int(SDLK_F12.rawValue): return .key(.volumeUp)
            case Int(SDLK_VOLUMEDOWN.rawValue), Int(SDLK_F11.rawValue): return .key(.volumeDown)
            default: return nil
            }
        default:
            return nil
        }
    }
}
