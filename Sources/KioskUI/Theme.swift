// The look as data: colours and sizes, derived from the panel (pixels and physical size) so touch targets
// and text keep their size in millimetres on any kiosk. Large text and high contrast are other values of
// this type, not forks of the views.

/// A font request: pixel size and weight. Renderers map it to a real face.
public struct FontSpec: Sendable, Hashable, CustomStringConvertible {
    public var size: Int
    public var bold: Bool
    public init(size: Int, bold: Bool = false) { self.size = size; self.bold = bold }
    public var description: String { "\(size)\(bold ? "b" : "")" }
}

public enum FontRole: Sendable, Hashable, CaseIterable {
    case display, title, heading, tile, button, body, small
    /// One number to read from across the hall: the emergency number.
    case huge
}

/// The screen the kiosk draws on: pixels and the diagonal of the glass (config `display.diagonalInches`).
public struct Panel: Sendable, Equatable {
    public var size: Size
    public var diagonalInches: Double
    public init(size: Size, diagonalInches: Double = 21.5) { self.size = size; self.diagonalInches = diagonalInches }

    public var pixelsPerMillimetre: Double {
        (size.width * size.width + size.height * size.height).squareRoot() / (diagonalInches * 25.4)
    }
    public func pixels(mm: Double) -> Double { mm * pixelsPerMillimetre }
    public func millimetres(px: Double) -> Double { px / pixelsPerMillimetre }
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
    public var error = Color(0xA3172B)
    public var scrim = Color(0x000000, alpha: 150)
    public var scrollbar = Color(0x7A8594)
    public var pressedOverlay = Color(0x000000, alpha: 60)
    public var keyColor = Color(0xFFFFFF)
    /// The keypad's focus ring: two colours, so one of them stands out on any background.
    public var focusRingOuter = Color(0x000000)
    public var focusRingInner = Color(0xFFD54F)

    /// Fonts in pixels; the reference values are for a 1080×1920 portrait 21.5" panel.
    public var fontSizes: [FontRole: FontSpec] = [
        .display: FontSpec(size: 58, bold: true),
        .title: FontSpec(size: 50, bold: true),
        .heading: FontSpec(size: 42, bold: true),
        .tile: FontSpec(size: 50, bold: true),
        .button: FontSpec(size: 40, bold: true),
        .body: FontSpec(size: 38),
        .small: FontSpec(size: 32),
        .huge: FontSpec(size: 200, bold: true),
    ]
    /// Line spacing relative to the font's own line height; generous for reading while standing.
    public var lineSpacing: Double = 1.18
    /// Smallest touch target side: 120 px is 30 mm on the reference panel; never below 20 mm.
    public var minTarget: Double = 120
    /// 20 mm on this panel: no target may be smaller.
    public var minTouch: Double = 81
    /// On-screen keyboard keys; never below 20 mm.
    public var keyHeight: Double = 100
    public var keyGap: Double = 8
    public var spacing: Double = 32
    public var gap: Double = 24
    /// Between a heading and its text, a label and its hint.
    public var smallGap: Double = 8
    /// Inside buttons and fields, above and below the label.
    public var controlPadding: Double = 16
    public var borderWidth: Double = 3
    /// Each of the focus ring's two bands.
    public var focusRingWidth: Double = 5
    public var navBarHeight: Double = 150
    public var scrollbarWidth: Double = 10
    /// Widest text column for reading; wider screens centre it.
    public var readingWidth: Double = 1400
    /// Widest dialog card.
    public var dialogWidth: Double = 900
    /// In landscape, the widest column the keyboard and the field take; the results get the rest.
    public var keyboardWidth: Double = 1140
    /// The article's QR code to its public page.
    public var qrSide: Double = 300
    /// Text size factor: 1, or 1.5 in large-text mode.
    public private(set) var textScale: Double = 1
    /// Pixels per millimetre of the panel this theme was made for.
    public private(set) var pixelsPerMillimetre: Double = Panel(size: Size(width: 1080, height: 1920)).pixelsPerMillimetre

    public init() {}

    /// High contrast (a11y.contrast): light text on black, black text on yellow and light tiles; every text
    /// pair reaches 7:1 (a test checks each one drawn). Sizes stay those of `base`.
    public static func highContrast(_ base: Theme = Theme()) -> Theme {
        var t = base
        t.background = Color(0x000000)
        t.surface = Color(0x000000)
        t.text = Color(0xFFFFFF)
        t.textMuted = Color(0xE6E6E6)
        t.primary = Color(0xFFE14D)
        t.primaryPressed = Color(0xD9BC1E)
        t.onPrimary = Color(0x000000)
        t.headerText = Color(0x000000)
        t.headerSubtext = Color(0x1A1A1A)
        t.border = Color(0xFFFFFF)
        t.navBar = Color(0x1A1A1A)
        t.tileColors = [Color(0xFFE14D), Color(0x7DF9FF), Color(0xFFFFFF), Color(0xC6FF8C)]
        t.badge = Color(0xFFFFFF)
        t.onBadge = Color(0x000000)
        t.error = Color(0xFF9C8F)
        t.scrim = Color(0x000000, alpha: 215)
        t.scrollbar = Color(0xFFFFFF)
        t.pressedOverlay = Color(0xFFFFFF, alpha: 70)
        t.keyColor = Color(0x000000)
        t.focusRingOuter = Color(0xFFFFFF)
        t.focusRingInner = Color(0x000000)
        return t
    }

    public func font(_ role: FontRole) -> FontSpec {
        fontSizes[role] ?? FontSpec(size: 38)
    }

    public func millimetres(_ px: Double) -> Double { px / pixelsPerMillimetre }

    /// Smallest touch target and smallest body-text cap height the city's rules allow.
    public static let minTargetMillimetres = 20.0
    public static let minCapHeightMillimetres = 4.8
    /// Cap height of the kiosk's faces (DejaVu Sans: 1493 of 2048 units) as a share of the font size.
    public static let capHeightRatio = 0.729

    /// The theme for a panel: the reference sizes scaled to keep their physical size, scaled down further
    /// when the panel has less room than the reference one, and never below 20 mm targets and 4.8 mm
    /// body cap height. Large text multiplies text sizes by 1.5.
    public static func forPanel(_ panel: Panel, largeText: Bool = false, base: Theme = Theme()) -> Theme {
        let reference = Panel(size: Size(width: 1080, height: 1920))
        let short = min(panel.size.width, panel.size.height), long = max(panel.size.width, panel.size.height)
        let physical = panel.pixelsPerMillimetre / reference.pixelsPerMillimetre
        let room = min(short / 1080, long / 1920)
        let k = max(0.3, min(physical, room, 2.5))
        var t = base
        t.pixelsPerMillimetre = panel.pixelsPerMillimetre
        func px(_ v: Double) -> Double { max(1, (v * k).rounded()) }
        let minTargetPx = (panel.pixels(mm: minTargetMillimetres)).rounded(.up)
        t.minTouch = minTargetPx
        t.minTarget = max(px(base.minTarget), minTargetPx)
        t.keyHeight = max(px(base.keyHeight), minTargetPx)
        t.keyGap = px(base.keyGap)
        t.spacing = px(base.spacing)
        t.gap = px(base.gap)
        t.smallGap = px(base.smallGap)
        t.controlPadding = px(base.controlPadding)
        t.borderWidth = max(2, px(base.borderWidth))
        t.focusRingWidth = max(3, px(base.focusRingWidth))
        t.navBarHeight = max(px(base.navBarHeight), t.minTarget + 2 * t.gap * 0.75)
        t.scrollbarWidth = max(6, px(base.scrollbarWidth))
        t.readingWidth = px(base.readingWidth)
        t.dialogWidth = px(base.dialogWidth)
        t.keyboardWidth = px(base.keyboardWidth)
        t.qrSide = max(px(base.qrSide), panel.pixels(mm: 35).rounded())
        // Text: the body keeps at least 4.8 mm cap height; the other roles keep their ratio to the body.
        let bodyBase = Double(base.font(.body).size)
        let bodyMin = (panel.pixels(mm: minCapHeightMillimetres) / capHeightRatio).rounded(.up)
        let body = max(bodyBase * k, bodyMin)
        let scale = (body / bodyBase) * (largeText ? 1.5 : 1)
        t.textScale = largeText ? 1.5 : 1
        t.fontSizes = base.fontSizes.mapValues { FontSpec(size: max(12, Int((Double($0.size) * scale).rounded())), bold: $0.bold) }
        return t
    }
}
