// Draws a Frame's commands with an SDL_Renderer, caching each rendered line of text and each image as a texture.
import CSDL2
import KioskUI

public final class DrawListRenderer {
    let renderer: OpaquePointer
    let fonts: FontBook
    private struct TextKey: Hashable { let text: String; let font: FontSpec; let color: Color; let background: Color? }
    /// A texture kept between frames, trimmed least recently drawn first.
    private protocol CachedTexture { var texture: OpaquePointer { get }; var lastUsed: UInt64 { get }; var bytes: Int { get } }
    private struct CachedText: CachedTexture { let texture: OpaquePointer; let w: Int32; let h: Int32; var lastUsed: UInt64; let bytes: Int }
    private var cache: [TextKey: CachedText] = [:]
    private var cacheBytes = 0
    private var generation: UInt64 = 0
    /// Texture memory for text; a full article screen needs about a third of it.
    public var cacheBudget = 12 << 20
    private struct CachedImage: CachedTexture { let texture: OpaquePointer; var lastUsed: UInt64; let bytes: Int }
    private var images: [Image: CachedImage] = [:]
    private var imageBytes = 0
    /// Texture memory for images at source size (a QR code is a few kB; a receipt logo about 0.5 MB).
    public var imageBudget = 4 << 20

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
        for c in images.values { SDL_DestroyTexture(c.texture) }
        images.removeAll()
        imageBytes = 0
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
            case let .image(r, image):
                guard let t = texture(image) else { continue }
                var dst = sdl(r)
                SDL_RenderCopy(renderer, t, nil, &dst)
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

    /// Drops least recently drawn entries once over budget, down to three quarters of it, never those of the
    /// frame just drawn.
    private static func trim<K: Hashable, V: CachedTexture>(_ cache: inout [K: V], bytes: inout Int, budget: Int, keep generation: UInt64) {
        guard bytes > budget else { return }
        let old = cache.filter { $0.value.lastUsed != generation }.sorted { $0.value.lastUsed < $1.value.lastUsed }
        for (k, v) in old {
            guard bytes > budget * 3 / 4 else { break }
            SDL_DestroyTexture(v.texture)
            cache[k] = nil
            bytes -= v.bytes
        }
    }

    /// Textures held now, for tests of the caches.
    public var cachedImageCount: Int { images.count }

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

    /// The image at its source size, made once: one texel per module or pixel, scaled at copy time.
    private func texture(_ image: Image) -> OpaquePointer? {
        if var hit = images[image] {
            hit.lastUsed = generation
            images[image] = hit
            return hit.texture
        }
        let w: Int, h: Int
        var argb: [UInt32]
        let opaque: Bool
        switch image {
        case let .modules(g, dark, light):
            w = g.drawnWidth; h = g.drawnHeight
            let (d, l) = (packed(dark), packed(light))
            argb = [UInt32](repeating: l, count: w * h)
            for y in 0..<g.height {
                let row = (y + g.quietZone) * w + g.quietZone
                for x in 0..<g.width where g[x, y] { argb[row + x] = d }
            }
            opaque = dark.a == 255 && light.a == 255
        case let .bitmap(b):
            w = b.width; h = b.height
            switch b.format {
            case .grey:
                argb = b.pixels.map { 0xFF00_0000 | UInt32($0) << 16 | UInt32($0) << 8 | UInt32($0) }
                opaque = true
            case .rgba:
                argb = (0..<w * h).map { i in
                    let p = b.pixels[(i * 4)..<(i * 4 + 4)]
                    let (r, g, bl, a) = (p[p.startIndex], p[p.startIndex + 1], p[p.startIndex + 2], p[p.startIndex + 3])
                    return UInt32(a) << 24 | UInt32(r) << 16 | UInt32(g) << 8 | UInt32(bl)
                }
                opaque = !stride(from: 3, to: b.pixels.count, by: 4).contains { b.pixels[$0] != 255 }
            }
        }
        guard let tex = SDL_CreateTexture(renderer, KIOSK_SDL_PIXELFORMAT_ARGB8888, Int32(SDL_TEXTUREACCESS_STATIC.rawValue),
                                          Int32(w), Int32(h)) else { return nil }
        let ok = argb.withUnsafeBytes { SDL_UpdateTexture(tex, nil, $0.baseAddress, Int32(w * 4)) == 0 }
        guard ok else {
            SDL_DestroyTexture(tex)
            return nil
        }
        // Nearest-neighbour whatever SDL_HINT_RENDER_SCALE_QUALITY says: a blurred module edge is a misread.
        SDL_SetTextureScaleMode(tex, SDL_ScaleModeNearest)
        SDL_SetTextureBlendMode(tex, opaque ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND)
        let entry = CachedImage(texture: tex, lastUsed: generation, bytes: w * h * 4)
        images[image] = entry
        imageBytes += entry.bytes
        return tex
    }

    private func packed(_ c: Color) -> UInt32 {
        UInt32(c.a) << 24 | UInt32(c.r) << 16 | UInt32(c.g) << 8 | UInt32(c.b)
    }

    private func trimCache() {
        Self.trim(&images, bytes: &imageBytes, budget: imageBudget, keep: generation)
        Self.trim(&cache, bytes: &cacheBytes, budget: cacheBudget, keep: generation)
    }
}
