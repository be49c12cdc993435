// Plain geometry and colour values shared by layout, draw lists and hit-testing.

public struct Point: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public init(x: Double, y: Double) { self.x = x; self.y = y }
}

public struct Rect: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x; self.y = y; self.width = width; self.height = height
    }

    public var maxX: Double { x + width }
    public var maxY: Double { y + height }
    public var center: Point { Point(x: x + width / 2, y: y + height / 2) }
    public var isEmpty: Bool { width <= 0 || height <= 0 }

    public func contains(_ p: Point) -> Bool {
        p.x >= x && p.x < maxX && p.y >= y && p.y < maxY
    }

    public func intersection(_ o: Rect) -> Rect {
        let nx = max(x, o.x), ny = max(y, o.y)
        let w = min(maxX, o.maxX) - nx, h = min(maxY, o.maxY) - ny
        return Rect(x: nx, y: ny, width: max(0, w), height: max(0, h))
    }

    public func inset(_ e: Insets) -> Rect {
        Rect(x: x + e.left, y: y + e.top, width: max(0, width - e.left - e.right), height: max(0, height - e.top - e.bottom))
    }
}

public struct Insets: Sendable, Equatable {
    public var top: Double, left: Double, bottom: Double, right: Double
    public init(top: Double = 0, left: Double = 0, bottom: Double = 0, right: Double = 0) {
        self.top = top; self.left = left; self.bottom = bottom; self.right = right
    }
    public static func all(_ v: Double) -> Insets { Insets(top: v, left: v, bottom: v, right: v) }
    public static func xy(_ x: Double, _ y: Double) -> Insets { Insets(top: y, left: x, bottom: y, right: x) }
    public static let zero = Insets()
}

public struct Color: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var r: UInt8, g: UInt8, b: UInt8, a: UInt8
    public init(_ hex: UInt32, alpha: UInt8 = 255) {
        r = UInt8((hex >> 16) & 0xFF); g = UInt8((hex >> 8) & 0xFF); b = UInt8(hex & 0xFF); a = alpha
    }
    /// A darker shade for pressed feedback.
    public func darkened(_ k: Double = 0.78) -> Color {
        var c = self
        c.r = UInt8(Double(r) * k); c.g = UInt8(Double(g) * k); c.b = UInt8(Double(b) * k)
        return c
    }

    /// The pressed shade of a button's colour: darker for a dark colour, paler for a light one (the
    /// high-contrast theme's yellow), so dark or black text on it keeps its contrast.
    public func pressedShade() -> Color {
        guard luminance > 0.4 else { return darkened() }
        func toWhite(_ v: UInt8) -> UInt8 { UInt8((Double(v) + (255 - Double(v)) * 0.45).rounded()) }
        return Color(UInt32(toWhite(r)) << 16 | UInt32(toWhite(g)) << 8 | UInt32(toWhite(b)), alpha: a)
    }

    public var description: String {
        let hex = String((UInt32(r) << 16 | UInt32(g) << 8 | UInt32(b)) | 0x1000000, radix: 16).dropFirst().uppercased()
        return a == 255 ? "#\(hex)" : "#\(hex)/\(a)"
    }

    /// WCAG relative luminance, for the contrast test of the theme.
    public var luminance: Double {
        func channel(_ c: UInt8) -> Double {
            let s = Double(c) / 255
            return s <= 0.03928 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    }

    public func contrast(with o: Color) -> Double {
        let (l1, l2) = (max(luminance, o.luminance), min(luminance, o.luminance))
        return (l1 + 0.05) / (l2 + 0.05)
    }
}

import Foundation
