// The look as data: colours and sizes. A high-contrast or large-text theme is another value, not a fork.

/// A font request: pixel size and weight. Renderers map it to a real face.
public struct FontSpec: Sendable, Hashable, CustomStringConvertible {
    public var size: Int
    public var bold: Bool
    public init(size: Int, bold: Bool = false) { self.size = size; self.bold = bold }
    public var description: String { "\(size)\(bold ? "b" : "")" }
}

public enum FontRole: Sendable, Hashable {
    case display, title, heading, tile, button, body, small
}

public struct Theme: Sendable, Equatable {
    public var background = Color(0xF2F4F7)
    public var surface = Color(0xFFFFFF)
    public var text = Color(0x16202B)
    public var textMuted = Color(0x46505C)
    public var primary = Color(0x0B3D91)
    public var primaryPressed = Color(0x072A66)
    public var onPrimary = Color(0xFFFFFF)
    public var headerText = Color(0xFFFFFF)
    public var headerSubtext = Color(0xDCE6F5)
    public var border = Color(0xB8C2CF)
    public var navBar = Color(0xE1E6ED)
    public var tileColors: [Color] = [Color(0x0B3D91), Color(0x00695C), Color(0xA3172B), Color(0x5B2C83)]
    public var badge = Color(0xFFD54F)
    public var onBadge = Color(0x16202B)
    public var scrim = Color(0x000000, alpha: 150)
    public var scrollbar = Color(0x7A8594)
    public var pressedOverlay = Color(0x000000, alpha: 60)

    /// Fonts in pixels at 1080 px on the short side; `scaled(for:)` adapts them to other screens.
    public var fontSizes: [FontRole: FontSpec] = [
        .display: FontSpec(size: 58, bold: true),
        .title: FontSpec(size: 50, bold: true),
        .heading: FontSpec(size: 42, bold: true),
        .tile: FontSpec(size: 50, bold: true),
        .button: FontSpec(size: 40, bold: true),
        .body: FontSpec(size: 38),
        .small: FontSpec(size: 32),
    ]
    /// Line spacing relative to the font's own line height; generous for reading while standing.
    public var lineSpacing: Double = 1.18
    /// Smallest touch target side: 120 px is 30 mm on a 21.5" 1080p panel, 44 mm on a 32" one.
    public var minTarget: Double = 120
    /// On-screen keyboard keys: ten across a 1080 px portrait screen, about 24 mm on a 21.5" panel.
    public var keyHeight: Double = 100
    public var keyGap: Double = 8
    public var keyColor = Color(0xFFFFFF)
    public var spacing: Double = 32
    public var gap: Double = 24
    public var headerHeight: Double = 180
    public var navBarHeight: Double = 150
    public var scrollbarWidth: Double = 10
    /// Widest text column for reading; wider screens centre it.
    public var readingWidth: Double = 1400

    public init() {}

    public func font(_ role: FontRole) -> FontSpec {
        fontSizes[role] ?? FontSpec(size: 38)
    }

    /// Scales sizes for a screen whose short side is not 1080 px (a smaller kiosk panel or a test window).
    public func scaled(forShortSide side: Double) -> Theme {
        let k = max(0.5, min(2.0, side / 1080))
        guard abs(k - 1) > 0.001 else { return self }
        var t = self
        t.fontSizes = fontSizes.mapValues { FontSpec(size: max(12, Int((Double($0.size) * k).rounded())), bold: $0.bold) }
        t.minTarget = (minTarget * k).rounded()
        t.keyHeight = (keyHeight * k).rounded()
        t.spacing = (spacing * k).rounded()
        t.gap = (gap * k).rounded()
        t.headerHeight = (headerHeight * k).rounded()
        t.navBarHeight = (navBarHeight * k).rounded()
        t.readingWidth = (readingWidth * k).rounded()
        return t
    }
}
