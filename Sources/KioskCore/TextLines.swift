// Reading a technician's text file (synonyms, scripts) line by line, whatever editor wrote it.
import Foundation

/// A text file that cannot be read as text: which file, which line if any, what to do.
public struct TextFileError: Error, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var problem: String

    public init(file: String, line: Int? = nil, problem: String) {
        self.file = file
        self.line = line
        self.problem = problem
    }

    public var description: String {
        line.map { "\(file): line \($0): \(problem)" } ?? "\(file): \(problem)"
    }
}

public enum TextLines {
    /// The lines of `text`, split at LF, CRLF or a lone CR (old Mac editors), without their endings.
    /// Swift treats "\r\n" as one Character, so splitting Characters at "\n" keeps a Windows file as one
    /// line; this works on Unicode scalars instead. A leading byte-order mark (Notepad writes one) is
    /// dropped. A final line ending does not start another line, so line numbers match an editor's.
    public static func lines(of text: String) -> [Substring] {
        var lines: [Substring] = []
        let scalars = text.unicodeScalars
        var start = scalars.startIndex
        if start < scalars.endIndex, scalars[start] == "\u{FEFF}" { start = scalars.index(after: start) }
        var i = start
        while i < scalars.endIndex {
            let c = scalars[i]
            if c == "\n" || c == "\r" {
                lines.append(Substring(scalars[start..<i]))
                var next = scalars.index(after: i)
                if c == "\r", next < scalars.endIndex, scalars[next] == "\n" { next = scalars.index(after: next) }
                start = next
                i = next
            } else {
                i = scalars.index(after: i)
            }
        }
        if start < scalars.endIndex { lines.append(Substring(scalars[start..<scalars.endIndex])) }
        return lines
    }

    /// Reads a UTF-8 text file of at most `maxBytes`. Refuses other encodings instead of showing
    /// replacement boxes: a Polish Windows editor may save as Windows-1250, where "ł" is one invalid byte.
    public static func read(path: String, maxBytes: Int) throws -> String {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if let size = attributes?[.size] as? Int, size > maxBytes {
            throw TextFileError(file: path, problem: "\(size) bytes, more than the limit of \(maxBytes)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TextFileError(file: path, problem: "cannot read the file (missing or no permission)")
        }
        guard data.count <= maxBytes else {
            throw TextFileError(file: path, problem: "\(data.count) bytes, more than the limit of \(maxBytes)")
        }
        let invalid = firstInvalidUTF8(data)
        guard invalid == data.count else {
            let line = 1 + data.prefix(invalid).filter { $0 == 0x0A }.count
            throw TextFileError(file: path, line: line, problem: "not UTF-8 text; save the file as UTF-8 (Windows-1250 and ISO-8859-2 are not read)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Offset of the first byte that is not part of well-formed UTF-8 (RFC 3629: no overlong forms,
    /// no surrogates), or the length when all of it is.
    static func firstInvalidUTF8(_ data: Data) -> Int {
        let bytes = [UInt8](data)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let length: Int, second: ClosedRange<UInt8>
            switch b {
            case 0x00...0x7F: i += 1; continue
            case 0xC2...0xDF: (length, second) = (2, 0x80...0xBF)
            case 0xE0: (length, second) = (3, 0xA0...0xBF)
            case 0xED: (length, second) = (3, 0x80...0x9F)
            case 0xE1...0xEF: (length, second) = (3, 0x80...0xBF)
            case 0xF0: (length, second) = (4, 0x90...0xBF)
            case 0xF4: (length, second) = (4, 0x80...0x8F)
            case 0xF1...0xF3: (length, second) = (4, 0x80...0xBF)
            default: return i
            }
            guard i + length <= bytes.count, second.contains(bytes[i + 1]),
                  bytes[(i + 2)..<(i + length)].allSatisfy({ $0 & 0xC0 == 0x80 }) else { return i }
            i += length
        }
        return bytes.count
    }
}
