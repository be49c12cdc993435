// Headless drawing: the software renderer on a memory surface, written out as PNG. No display needed.
import CSDL2
import KioskUI

public struct SDLError: Error, CustomStringConvertible {
    public var description: String
    init(_ what: String) { description = "\(what): \(String(cString: SDL_GetError()))" }
}

public final class OffscreenCanvas {
    public let surface: UnsafeMutablePointer<SDL_Surface>
    let renderer: OpaquePointer
    public let drawer: DrawListRenderer

    public init(size: Size, fonts: FontBook) throws {
        guard let s = SDL_CreateRGBSurfaceWithFormat(0, Int32(size.width), Int32(size.height), 32, KIOSK_SDL_PIXELFORMAT_ARGB8888) else {
            throw SDLError("cannot create a \(Int(size.width))x\(Int(size.height)) surface")
        }
        guard let r = SDL_CreateSoftwareRenderer(s) else {
            SDL_FreeSurface(s)
            throw SDLError("cannot create the software renderer")
        }
        surface = s
        renderer = r
        drawer = DrawListRenderer(renderer: r, fonts: fonts)
    }

    deinit {
        drawer.purge()
        SDL_DestroyRenderer(renderer)
        SDL_FreeSurface(surface)
    }

    public func draw(_ frame: Frame, background: Color) {
        drawer.draw(frame, clear: background)
        SDL_RenderFlush(renderer)
    }

    public func savePNG(_ path: String) throws {
        guard IMG_SavePNG(surface, path) == 0 else { throw SDLError("cannot write \(path)") }
    }

    /// The pixel at (x, y) as RGBA, for pixel snapshot comparisons.
    public func pixels() -> [UInt8] {
        let s = surface.pointee
        var out = [UInt8](repeating: 0, count: Int(s.w) * Int(s.h) * 4)
        guard let base = s.pixels else { return out }
        let pitch = Int(s.pitch)
        for y in 0..<Int(s.h) {
            let row = base.advanced(by: y * pitch).assumingMemoryBound(to: UInt32.self)
            for x in 0..<Int(s.w) {
                let p = row[x]
                let i = (y * Int(s.w) + x) * 4
                out[i] = UInt8((p >> 16) & 0xFF); out[i + 1] = UInt8((p >> 8) & 0xFF); out[i + 2] = UInt8(p & 0xFF); out[i + 3] = 255
            }
        }
        return out
    }
}

/// Starts SDL's video subsystem once; headless uses the dummy driver unless one is already chosen.
public enum SDLSystem {
    public static func start(headless: Bool) throws {
        if headless, getenv("SDL_VIDEODRIVER") == nil { setenv("SDL_VIDEODRIVER", "dummy", 1) }
        // Without this SDL loads Mesa llvmpipe for the window surface: slower and 100 MB more (platform-notes.md).
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0")
        SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "0")
        // SIGTERM and SIGINT are the kiosk's own (a graceful stop); SDL would turn them into a quit event, which
        // a kiosk under lockdown ignores.
        SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1")
        SDL_SetHint(SDL_HINT_GRAB_KEYBOARD, "1")
        guard SDL_WasInit(SDL_INIT_VIDEO) == 0 else { return }
        guard SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) == 0 else { throw SDLError("SDL could not start") }
        guard IMG_Init(Int32(IMG_INIT_PNG.rawValue)) != 0 else { throw SDLError("SDL_image could not start") }
    }
}

/// Reads a PNG back into RGBA bytes (reference images in pixel snapshot tests).
public func loadPNG(_ path: String) -> (width: Int, height: Int, rgba: [UInt8])? {
    guard let loaded = IMG_Load(path) else { return nil }
    defer { SDL_FreeSurface(loaded) }
    guard let conv = SDL_ConvertSurfaceFormat(loaded, KIOSK_SDL_PIXELFORMAT_ARGB8888, 0) else { return nil }
    defer { SDL_FreeSurface(conv) }
    let s = conv.pointee
    guard let base = s.pixels else { return nil }
    var out = [UInt8](repeating: 0, count: Int(s.w) * Int(s.h) * 4)
    for y in 0..<Int(s.h) {
        let row = base.advanced(by: y * Int(s.pitch)).assumingMemoryBound(to: UInt32.self)
        for x in 0..<Int(s.w) {
            let p = row[x], i = (y * Int(s.w) + x) * 4
            out[i] = UInt8((p >> 16) & 0xFF); out[i + 1] = UInt8((p >> 8) & 0xFF); out[i + 2] = UInt8(p & 0xFF); out[i + 3] = 255
        }
    }
    return (Int(s.w), Int(s.h), out)
}

/// Writes RGBA bytes as a PNG (the `_err` image beside a failed pixel snapshot).
public func savePNG(width: Int, height: Int, rgba: [UInt8], to path: String) throws {
    guard let s = SDL_CreateRGBSurfaceWithFormat(0, Int32(width), Int32(height), 32, KIOSK_SDL_PIXELFORMAT_ARGB8888) else {
        throw SDLError("cannot create surface")
    }
    defer { SDL_FreeSurface(s) }
    guard let base = s.pointee.pixels else { throw SDLError("surface has no pixels") }
    for y in 0..<height {
        let row = base.advanced(by: y * Int(s.pointee.pitch)).assumingMemoryBound(to: UInt32.self)
        for x in 0..<width {
            let i = (y * width + x) * 4
            row[x] = 0xFF00_0000 | UInt32(rgba[i]) << 16 | UInt32(rgba[i + 1]) << 8 | UInt32(rgba[i + 2])
        }
    }
    guard IMG_SavePNG(s, path) == 0 else { throw SDLError("cannot write \(path)") }
}

import Foundation
