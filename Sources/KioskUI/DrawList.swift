// What a frame is made of, as values: draw commands for a renderer, and the hit table for touch and scripts.

public enum DrawCommand: Sendable, Equatable {
    case fill(Rect, Color)
    case stroke(Rect, Color, width: Double)
    /// One line of text; `origin` is the top-left of the line box. `background` is the opaque colour
    /// under it, when known, so a renderer may draw the line without per-pixel blending.
    case text(String, origin: Point, font: FontSpec, color: Color, background: Color?)
    /// A picture scaled nearest-neighbour to fill the rectangle (layout makes the scale a whole number).
    case image(Rect, Image)
    case pushClip(Rect)
    case popClip
}

/// A tappable (or scrollable) element on screen, with its visible rectangle.
public struct HitTarget: Sendable {
    public var id: String
    public var rect: Rect
    public var action: Action?
    /// The scroll view a drag starting here moves, if any.
    public var scrollID: String?
    public var semantics: Semantics?
    /// The whole rectangle, before clipping by a scroll viewport.
    public var fullRect: Rect
    /// 0 for the screen, 1 and up for overlays drawn above it.
    public var layer: Int
    /// What holding a finger here long enough does (the hidden maintenance entry); nothing on a tap.
    public var holdAction: Action? = nil
}

/// One thing speech can say: an element a resident can act on, or a text, heading or picture.
public struct ReadingItem: Sendable, Equatable {
    /// The element's ID; nil for text that is only read.
    public var id: String?
    public var semantics: Semantics
    /// 0 for the screen, 1 and up for overlays drawn above it.
    public var layer: Int
    /// Whether tapping or Enter does something here.
    public var actionable: Bool
}

/// Where a text node was placed and what it needed, for the layout check (clipped or overlapping text).
public struct TextBox: Sendable, Equatable {
    public var text: String
    /// The node's rectangle inside its padding.
    public var rect: Rect
    /// Height and width its lines need at that width.
    public var neededHeight: Double
    public var widestLine: Double
    /// The visible area it was drawn into (screen, dialog or scroll viewport).
    public var clip: Rect
    /// Its ancestors' rectangles together: a text past them overflows its card or button, scrolled or not.
    public var bounds: Rect
    /// Inside a scroll view: being partly out of its viewport is fine, the resident scrolls.
    public var scrollID: String?
    /// 0 for the screen, 1 and up for overlays drawn above it.
    public var layer: Int
    public var font: FontSpec
    /// A word of it did not fit the box's width and was cut across two lines.
    public var brokenWord: String?
    /// The actionable element it is part of, whose label speech says instead of it.
    public var element: String? = nil
}

public struct ScrollMetrics: Sendable, Equatable {
    public var viewport: Double
    public var content: Double
    public var maxOffset: Double { max(0, content - viewport) }
}

public struct Frame: Sendable {
    public var size: Size
    public var screen: ScreenID
    public var commands: [DrawCommand] = []
    public var hits: [HitTarget] = []
    /// Full (unwrapped) texts of the nodes that are at least partly visible, for `expect-text`.
    public var texts: [String] = []
    public var scrolls: [String: ScrollMetrics] = [:]
    /// Every visible text node with the space it got and needed (not part of the dump).
    public var textBoxes: [TextBox] = []
    /// What speech reads, in reading order: each element (its label, role and state) and each text outside
    /// an element, scrolled out of view or not, from the view tree's semantics and never from pixels.
    public var reading: [ReadingItem] = []

    /// The topmost target under a point; later entries are drawn above earlier ones.
    public func target(at p: Point) -> HitTarget? {
        hits.last { $0.rect.contains(p) && ($0.action != nil || $0.scrollID != nil || $0.holdAction != nil) }
    }

    public func target(id: String) -> HitTarget? {
        hits.last { $0.id == id }
    }

    /// Case-insensitive; a no-break space matches a plain one, so `expect-text "3 grudnia 2026"` finds a
    /// date the screen keeps on one line.
    public func containsText(_ needle: String) -> Bool {
        func plain(_ s: String) -> String {
            s.lowercased().replacingOccurrences(of: "\u{00A0}", with: " ").replacingOccurrences(of: "\u{202F}", with: " ")
        }
        let folded = plain(needle)
        return texts.contains { plain($0).contains(folded) }
    }

    /// A stable text form for snapshot tests: one command per line, then the hit table.
    public func dump() -> String {
        var out = "frame \(screen.rawValue) \(Int(size.width))x\(Int(size.height))\n"
        func r(_ x: Rect) -> String { "\(Int(x.x)),\(Int(x.y)) \(Int(x.width))x\(Int(x.height))" }
        for c in commands {
            switch c {
            case let .fill(rect, color): out += "fill \(r(rect)) \(color)\n"
            case let .stroke(rect, color, w): out += "stroke \(r(rect)) \(color) \(Int(w))\n"
            case let .text(s, o, f, color, _): out += "text \(Int(o.x)),\(Int(o.y)) \(f) \(color) \"\(s)\"\n"
            case let .image(rect, image): out += "image \(r(rect)) \(image.dumpText)\n"
            case let .pushClip(rect): out += "clip \(r(rect))\n"
            case .popClip: out += "unclip\n"
            }
        }
        for h in hits {
            let say = h.semantics.map { " \"\($0.label)\" \($0.role.rawValue)\($0.state.isEmpty ? "" : " " + $0.state.joined(separator: ","))" } ?? ""
            out += "hit \(h.id) \(r(h.rect))\(h.scrollID.map { " scroll=\($0)" } ?? "")\(say)\n"
        }
        return out
    }
}

public struct Size: Sendable, Equatable {
    public var width: Double
    public var height: Double
    public init(width: Double, height: Double) { self.width = width; self.height = height }
    public var isPortrait: Bool { height >= width }

    /// Parses "1080x1920".
    public init?(parsing s: String) {
        let parts = s.lowercased().split(separator: "x")
        guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]),
              (200...8192).contains(w), (200...8192).contains(h) else { return nil }
        self.init(width: Double(w), height: Double(h))
    }
}
