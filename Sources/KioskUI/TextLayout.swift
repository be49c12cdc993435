// Measuring and word-wrapping text. The renderer supplies the measurer; wrapped lines are cached
// because wrapping a whole article costs more than drawing it (platform-notes.md).

public protocol TextMeasurer: AnyObject {
    /// Width in pixels of one line of text.
    func width(of text: Substring, font: FontSpec) -> Double
    /// Height of one line box.
    func lineHeight(font: FontSpec) -> Double
}

/// Caches wrapped paragraphs by (text, font, width). One per engine; not shared across threads.
public final class TextLayoutCache {
    struct Key: Hashable { let text: String; let font: FontSpec; let width: Int }
    private var lines: [Key: [WrappedLine]] = [:]
    private var wordWidths: [FontSpec: [Substring: Double]] = [:]
    let measurer: TextMeasurer
    let maxEntries: Int

    public init(measurer: TextMeasurer, maxEntries: Int = 20_000) {
        self.measurer = measurer
        self.maxEntries = maxEntries
    }

    public func lineHeight(_ font: FontSpec, spacing: Double) -> Double {
        (measurer.lineHeight(font: font) * spacing).rounded()
    }

    func measure(_ word: Substring, _ font: FontSpec) -> Double {
        if let w = wordWidths[font]?[word] { return w }
        let w = measurer.width(of: word, font: font)
        wordWidths[font, default: [:]][word] = w
        return w
    }

    /// Lines of `text` no wider than `width`; explicit newlines start new lines, over-long words are split.
    public func wrap(_ text: String, font: FontSpec, width: Double) -> [WrappedLine] {
        let key = Key(text: text, font: font, width: Int(width))
        if let hit = lines[key] { return hit }
        if lines.count >= maxEntries { lines.removeAll(keepingCapacity: true) }
        let space = measure(" ", font)
        var out: [WrappedLine] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            var lineWidth = 0.0
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: true) {
                var w = measure(word, font)
                var word = word
                if w > width {
                    // A word wider than the line (a long URL): flush, then break it by characters.
                    if !line.isEmpty { out.append(WrappedLine(text: line, width: lineWidth)); line = ""; lineWidth = 0 }
                    while w > width, word.count > 1 {
                        var cut = word.startIndex
                        var taken = 0.0
                        for i in word.indices {
                            let next = word.index(after: i)
                            let cw = measurer.width(of: word[word.startIndex..<next], font: font)
                            if cw > width, cut > word.startIndex { break }
                            cut = next
                            taken = cw
                        }
                        out.append(WrappedLine(text: String(word[word.startIndex..<cut]), width: taken, breaksWord: true))
                        word = word[cut...]
                        w = measure(word, font)
                    }
                }
                if line.isEmpty {
                    line = String(word); lineWidth = w
                } else if lineWidth + space + w <= width {
                    line += " "; line += word; lineWidth += space + w
                } else {
                    out.append(WrappedLine(text: line, width: lineWidth)); line = String(word); lineWidth = w
                }
            }
            out.append(WrappedLine(text: line, width: lineWidth))
        }
        lines[key] = out
        return out
    }
}

public struct WrappedLine: Sendable, Equatable {
    public var text: String
    public var width: Double
    /// The line ends inside a word that was too wide for the box (the layout check flags real words).
    public var breaksWord = false
}
