// Draws a Frame's commands with an SDL_Renderer, caching each rendered line of text as a texture.
import CSDL2
import KioskUI

public final class DrawListRenderer {
    let renderer: OpaquePointer
    let fonts: FontBook
    private struct TextKey: Hashable { let text: String; let font: FontSpec; let color: Color; let background: Color? }
    private struct CachedText { let texture: OpaquePointer; let w: Int32; let h: Int32; var lastUsed: UInt64; let bytes: Int }
    private var cache: [TextKey: CachedText] = [:]
    private var cacheBytes = 0
    private var generation: UInt64 = 0
    /// Texture memory for text; a full article screen needs about a third of it.
    public var cacheBudget = 12 << 20

    public init(renderer: OpaquePointer, fonts: FontBook) {
        self.renderer = renderer
        self.fonts = fonts
        SDL_SetRenderDrawBlendMode(renderer, SDL_BLENDMODE_BLEND)
    }

    /// Frees every cached texture. Owners call it before destroying the SDL renderer, because a
    /// texture must not outlive its renderer and Swift releases stored properties after `deinit` runs.
    public func purge() {
        for c in cache.values { SDL_DestroyTexture(c.texture) }
        cache.removeAll()
        cacheBytes = 0
    }

    public func draw(_ frame: Frame, clear: Color) {
        generation &+= 1
        var clips: [Rect] = []
        setColor(clear)
        SDL_RenderSetClipRect(renderer, nil)
        SDL_RenderClear(renderer)
        for c in frame.commands {
            switch c {
            case let .fill(r, color):
                setColor(color)
                // Opaque fills skip SDL's per-pixel blend path: on the software renderer that is most of a frame.
                SDL_SetRenderDrawBlendMode(renderer, color.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND)
                var rect = sdl(r)
                SDL_RenderFillRect(renderer, &rect)
            case let .stroke(r, color, w):
                setColor(color)
                SDL_SetRenderDrawBlendMode(renderer, color.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND)
                let t = Int32(w)
                let o = sdl(r)
                var sides = [
                    SDL_Rect(x: o.x, y: o.y, w: o.w, h: t), SDL_Rect(x: o.x, y: o.y + o.h - t, w: o.w, h: t),
                    SDL_Rect(x: o.x, y: o.y, w: t, h: o.h), SDL_Rect(x: o.x + o.w - t, y: o.y, w: t, h: o.h),
                ]
                SDL_RenderFillRects(renderer, &sides, 4)
            case let .text(s, origin, font, color, background):
                guard let t = texture(s, font, color, background) else { continue }
                var dst = SDL_Rect(x: Int32(origin.x), y: Int32(origin.y), w: t.w, h: t.h)
                SDL_RenderCopy(renderer, t.texture, nil, &dst)
            case let .pushClip(r):
                clips.append(r)
                var rect = sdl(r)
                SDL_RenderSetClipRect(renderer, &rect)
            case .popClip:
                clips.removeLast()
                if var last = clips.last.map(sdl) {
                    SDL_RenderSetClipRect(renderer, &last)
                } else {
                    SDL_RenderSetClipRect(renderer, nil)
                }
            }
        }
        trimCache()
    }

    private func setColor(_ c: Color) {
        SDL_SetRenderDrawColor(renderer, c.r, c.g, c.b, c.a)
    }

    private func sdl(_ r: Rect) -> SDL_Rect {
        SDL_Rect(x: Int32(r.x.rounded(.down)), y: Int32(r.y.rounded(.down)), w: Int32(r.width.rounded()), h: Int32(r.height.rounded()))
    }

    private func texture(_ s: String, _ font: FontSpec, _ color: Color, _ background: Color?) -> CachedText? {
        let key = TextKey(text: s, font: font, color: color, background: background)
        if var hit = cache[key] {
            hit.lastUsed = generation
            cache[key] = hit
            return hit
        }
        guard let f = fonts.fontOrNil(font) else { return nil }
        let fg = SDL_Color(r: color.r, g: color.g, b: color.b, a: color.a)
        // On a known opaque background the line is antialiased against it once, here, and later copied
        // without blending; otherwise it carries alpha.
        let rendered: UnsafeMutablePointer<SDL_Surface>?
        if let bg = background {
            rendered = TTF_RenderUTF8_Shaded(f, s, fg, SDL_Color(r: bg.r, g: bg.g, b: bg.b, a: 255))
        } else {
            rendered = TTF_RenderUTF8_Blended(f, s, fg)
        }
        guard let surface = rendered else { return nil }
        defer { SDL_FreeSurface(surface) }
        guard let tex = SDL_CreateTextureFromSurface(renderer, surface) else { return nil }
        if background != nil { SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_NONE) }
        let w = surface.pointee.w, h = surface.pointee.h
        let entry = CachedText(texture: tex, w: w, h: h, lastUsed: generation, bytes: Int(w) * Int(h) * 4)
        cache[key] = entry
        cacheBytes += entry.bytes
        return entry
    }

    /// Drops least recently drawn lines once over budget, never those of the frame just drawn.
    private func trimCache() {
        guard cacheBytes > cacheBudget else { return }
        let old = cache.filter { $0.value.lastUsed != generation }.sorted { $0.value.lastUsed < $1.value.lastUsed }
        for (k, v) in old {
            guard cacheBytes > cacheBudget * 3 / 4 else { break }
            SDL_DestroyTexture(v.texture)
            cache[k] = nil
            cacheBytes -= v.bytes
        }
    }
}
