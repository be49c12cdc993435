// Pictures in the draw list as values: 1-bit module grids (QR codes, receipt logos) and small bitmaps.

/// A grid of dark/light modules, drawn with crisp square modules and a light margin (the quiet zone).
public struct ModuleGrid: Sendable, Hashable {
    public let width: Int
    public let height: Int
    /// Light modules drawn around the grid; part of the drawn area. QR readers need 4.
    public let quietZone: Int
    /// Row-major, one entry per module, `true` for dark.
    public let dark: [Bool]
    /// What the modules encode, when they encode text (a QR code's payload); shown in snapshot dumps.
    public let encodedText: String?
    /// FNV-1a of size and bits: a short stable name for dumps and a cheap hash for texture caches.
    public let fingerprint: UInt32

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case badSize(width: Int, height: Int, modules: Int)
        public var description: String {
            switch self {
            case let .badSize(w, h, n): "a module grid of \(w)x\(h) needs \(w * h) modules, got \(n)"
            }
        }
    }

    /// Largest side accepted: a receipt logo at 576 dots is the widest planned use.
    public static let maxSide = 4096

    public init(width: Int, height: Int, dark: [Bool], quietZone: Int = 0, encodedText: String? = nil) throws {
        guard width > 0, height > 0, width <= Self.maxSide, height <= Self.maxSide, dark.count == width * height,
              (0...64).contains(quietZone) else {
            throw Problem.badSize(width: width, height: height, modules: dark.count)
        }
        self.width = width
        self.height = height
        self.quietZone = quietZone
        self.dark = dark
        self.encodedText = encodedText
        var h = fnv1a(UInt32(width), fnv1a(UInt32(height), fnv1aStart))
        for d in dark { h = (h ^ (d ? 1 : 0)) &* fnvPrime }
        fingerprint = h
    }

    public subscript(x: Int, y: Int) -> Bool { dark[y * width + x] }

    /// Modules across the drawn area, quiet zone included.
    public var drawnWidth: Int { width + 2 * quietZone }
    public var drawnHeight: Int { height + 2 * quietZone }

    /// For a QR code grid: its version (21 modules is version 1, each version adds 4).
    public var qrVersion: Int? {
        guard width == height, width >= 21, (width - 17) % 4 == 0 else { return nil }
        return (width - 17) / 4
    }

    public static func == (a: ModuleGrid, b: ModuleGrid) -> Bool {
        a.fingerprint == b.fingerprint && a.width == b.width && a.quietZone == b.quietZone
            && a.encodedText == b.encodedText && a.dark == b.dark
    }
    public func hash(into h: inout Hasher) { h.combine(fingerprint); h.combine(quietZone) }
}

/// A small picture with its own pixels (icons, logos that are not 1-bit).
public struct Bitmap: Sendable, Hashable {
    public enum Format: String, Sendable { case grey, rgba
        public var bytesPerPixel: Int { self == .grey ? 1 : 4 }
    }
    public let width: Int
    public let height: Int
    public let format: Format
    /// Row-major, no padding: one byte per pixel for grey (0 black), RGBA order for rgba.
    public let pixels: [UInt8]
    public let fingerprint: UInt32

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case badSize(width: Int, height: Int, format: String, bytes: Int)
        public var description: String {
            switch self {
            case let .badSize(w, h, f, n): "a \(f) bitmap of \(w)x\(h) (at most 2048x2048) needs its pixels, got \(n) bytes"
            }
        }
    }

    public static let maxSide = 2048

    public init(width: Int, height: Int, format: Format, pixels: [UInt8]) throws {
        guard width > 0, height > 0, width <= Self.maxSide, height <= Self.maxSide,
              pixels.count == width * height * format.bytesPerPixel else {
            throw Problem.badSize(width: width, height: height, format: format.rawValue, bytes: pixels.count)
        }
        self.width = width
        self.height = height
        self.format = format
        self.pixels = pixels
        var h = fnv1a(UInt32(width), fnv1a(UInt32(height), fnv1aStart))
        for p in pixels { h = (h ^ UInt32(p)) &* fnvPrime }
        fingerprint = h
    }

    public static func == (a: Bitmap, b: Bitmap) -> Bool {
        a.fingerprint == b.fingerprint && a.width == b.width && a.format == b.format && a.pixels == b.pixels
    }
    public func hash(into h: inout Hasher) { h.combine(fingerprint) }
}

/// What an image command draws. Scaling is always nearest-neighbour, so modules and pixels stay crisp.
public enum Image: Sendable, Hashable {
    case modules(ModuleGrid, dark: Color, light: Color)
    case bitmap(Bitmap)

    /// Size in source pixels (modules, quiet zone included), the smallest size drawn without loss.
    public var naturalSize: Size {
        switch self {
        case let .modules(g, _, _): Size(width: Double(g.drawnWidth), height: Double(g.drawnHeight))
        case let .bitmap(b): Size(width: Double(b.width), height: Double(b.height))
        }
    }

    /// The largest rectangle inside `rect` where every source pixel is a whole number of screen pixels,
    /// centred; empty when even one pixel per module does not fit.
    public func snapped(in rect: Rect) -> Rect {
        let n = naturalSize
        let scale = min((rect.width / n.width).rounded(.down), (rect.height / n.height).rounded(.down))
        guard scale >= 1 else { return Rect(x: rect.x, y: rect.y, width: 0, height: 0) }
        let w = n.width * scale, h = n.height * scale
        return Rect(x: (rect.x + (rect.width - w) / 2).rounded(.down), y: (rect.y + (rect.height - h) / 2).rounded(.down),
                    width: w, height: h)
    }

    /// The snapshot form after the rectangle, e.g. `qr 33x33+4 #16202B/#FFFFFF "https://…"`.
    var dumpText: String {
        switch self {
        case let .modules(g, dark, light):
            let what = g.encodedText.map { "qr \(g.width)x\(g.height)+\(g.quietZone) \(dark)/\(light) \"\($0)\"" }
            return what ?? "modules \(g.width)x\(g.height)+\(g.quietZone) \(dark)/\(light) \(hex8(g.fingerprint))"
        case let .bitmap(b):
            return "\(b.format.rawValue) \(b.width)x\(b.height) \(hex8(b.fingerprint))"
        }
    }
}

private let fnv1aStart: UInt32 = 2_166_136_261
private let fnvPrime: UInt32 = 16_777_619
private func fnv1a(_ v: UInt32, _ h: UInt32) -> UInt32 {
    var h = h
    for s in stride(from: 0, to: 32, by: 8) { h = (h ^ ((v >> UInt32(s)) & 0xFF)) &* fnvPrime }
    return h
}
private func hex8(_ v: UInt32) -> String {
    let s = String(v, radix: 16)
    return String(repeating: "0", count: 8 - s.count) + s
}
