// The view tree: small value widgets with stable element IDs and the words a screen reader would speak.

public enum Axis: Sendable {
    case vertical, horizontal
    /// Children on top of each other, each given the whole rectangle (overlays, dialogs).
    case stack
    /// Children side by side at their own widths, wrapping to a new line when the next does not fit
    /// (language buttons on a narrow panel or in large text); fill children share each line's rest.
    case flow
}

/// How a node claims space along one axis.
public enum Sizing: Sendable, Equatable {
    case fit                // as large as its content
    case fill(Double = 1)   // a share of what is left in the parent
    case fixed(Double)
}

public enum Alignment: Sendable { case start, center, end }

/// What a screen reader would say: label, role and state (spoken later, never read off pixels).
public struct Semantics: Sendable, Equatable {
    public enum Role: String, Sendable { case button, heading, text, list, dialog, group, image }
    public var label: String
    public var role: Role
    public var state: [String]

    public init(_ label: String, role: Role, state: [String] = []) {
        self.label = label; self.role = role; self.state = state
    }
}

public struct Node: Sendable {
    public enum Content: Sendable {
        case box
        case text(String, FontRole, Color)
        /// A vertical scroll view; the offset lives in `AppState.scroll[id]`.
        case scroll
        /// A picture drawn at a whole-number scale, centred in the node (see `Image.snapped(in:)`).
        case image(Image)
    }

    public var id: String?
    public var content: Content
    public var axis: Axis = .vertical
    public var width: Sizing = .fill()
    public var height: Sizing = .fit
    /// Lower bounds on the laid-out size (touch targets).
    public var minHeight: Double = 0
    public var minWidth: Double = 0
    /// For text: show at most this many lines, the last ones (an input field keeps its end, where the
    /// caret is, in view); the first shown line then starts with "…".
    public var lastLines: Int?
    public var padding: Insets = .zero
    public var gap: Double = 0
    public var crossAlign: Alignment = .start
    public var mainAlign: Alignment = .start
    public var textAlign: Alignment = .start
    public var background: Color?
    public var border: Color?
    public var onTap: Action?
    /// Done when a finger stays on the node for the engine's hold time, not on a tap.
    public var onHold: Action?
    public var semantics: Semantics?
    public var children: [Node] = []

    public init(id: String? = nil, _ content: Content = .box) {
        self.id = id
        self.content = content
    }
}

// Small builders so screens read as a tree, not as property assignments.
extension Node {
    public static func column(id: String? = nil, gap: Double = 0, padding: Insets = .zero, _ children: [Node]) -> Node {
        var n = Node(id: id)
        n.axis = .vertical; n.gap = gap; n.padding = padding; n.children = children
        return n
    }

    public static func row(id: String? = nil, gap: Double = 0, padding: Insets = .zero, _ children: [Node]) -> Node {
        var n = Node(id: id)
        n.axis = .horizontal; n.gap = gap; n.padding = padding; n.children = children
        return n
    }

    public static func flow(gap: Double = 0, _ children: [Node]) -> Node {
        var n = Node()
        n.axis = .flow; n.gap = gap; n.children = children
        return n
    }

    public static func stack(_ children: [Node]) -> Node {
        var n = Node()
        n.axis = .stack; n.children = children; n.height = .fill()
        return n
    }

    public static func text(_ s: String, _ role: FontRole, _ color: Color, align: Alignment = .start) -> Node {
        var n = Node(id: nil, .text(s, role, color))
        n.textAlign = align
        n.semantics = Semantics(s, role: .text)
        return n
    }

    /// A picture of `width`×`height` px or less: shrunk so every source pixel (module) is a whole number
    /// of screen pixels. `label` is what a screen reader says instead of the picture.
    public static func image(id: String? = nil, _ image: Image, width: Double, height: Double, label: String) -> Node {
        let snapped = image.snapped(in: Rect(x: 0, y: 0, width: width, height: height))
        guard !snapped.isEmpty else { return nothing }
        var n = Node(id: id, .image(image))
        n.width = .fixed(snapped.width)
        n.height = .fixed(snapped.height)
        n.semantics = Semantics(label, role: .image)
        return n
    }

    /// A QR code of `payload` as a square of at most `side` px, quiet zone included, every module a whole
    /// number of pixels. If the payload cannot be encoded (empty, too long) the node shows nothing and
    /// takes no space, so a bad link never draws a code that sends a resident elsewhere.
    public static func qrCode(id: String, payload: String, side: Double, label: String,
                              level: QRCode.Level = .medium,
                              dark: Color = Color(0x000000), light: Color = Color(0xFFFFFF)) -> Node {
        guard let grid = try? QRCode.encode(payload, level: level) else { return nothing }
        return image(id: id, .modules(grid, dark: dark, light: light), width: side, height: side, label: label)
    }

    /// No content, no size, no ID: what a picture that cannot be drawn leaves behind.
    public static var nothing: Node {
        var n = Node()
        n.width = .fixed(0)
        n.height = .fixed(0)
        return n
    }

    public static func spacer(_ size: Sizing = .fill()) -> Node {
        var n = Node()
        n.height = size
        n.width = .fill()
        return n
    }

    public func width(_ s: Sizing) -> Node { var n = self; n.width = s; return n }
    public func height(_ s: Sizing) -> Node { var n = self; n.height = s; return n }
    public func background(_ c: Color?) -> Node { var n = self; n.background = c; return n }
    public func border(_ c: Color?) -> Node { var n = self; n.border = c; return n }
    public func padding(_ p: Insets) -> Node { var n = self; n.padding = p; return n }
    public func align(main: Alignment? = nil, cross: Alignment? = nil) -> Node {
        var n = self
        if let main { n.mainAlign = main }
        if let cross { n.crossAlign = cross }
        return n
    }
    public func semantics(_ s: Semantics) -> Node { var n = self; n.semantics = s; return n }
    public func onTap(_ a: Action, id: String) -> Node { var n = self; n.onTap = a; n.id = id; return n }
    public func onHold(_ a: Action, id: String) -> Node { var n = self; n.onHold = a; n.id = id; return n }
}
