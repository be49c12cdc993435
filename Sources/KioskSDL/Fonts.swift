// Finding and opening the font: fontconfig picks a face that really has Polish letters, SDL_ttf opens it.
import CFontconfig
import CSDL2
import KioskUI

public struct FontError: Error, CustomStringConvertible {
    public var description: String
}

public struct FontFiles: Sendable, Equatable {
    public var regular: String
    public var bold: String?
}

public enum FontLocator {
    /// Letters a face must have to show Polish text without boxes.
    static let polishLetters: [UInt32] = Array("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ„”–…←⌂".unicodeScalars.map(\.value))

    /// Resolves a fontconfig pattern (such as `sans-serif:lang=pl`) to files for the regular and bold faces.
    public static func locate(pattern: String) throws -> FontFiles {
        guard FcInit() != 0 else {
            throw FontError(description: "fontconfig could not start; install fontconfig and fonts-dejavu-core")
        }
        guard let regular = match(pattern, bold: false) else {
            throw FontError(description: "no font found for '\(pattern)'; install fonts-dejavu-core (apt-get install fonts-dejavu-core) or set font.pattern in the config")
        }
        guard regular.coversPolish else {
            throw FontError(description: "font \(regular.file) (for '\(pattern)') lacks Polish letters; install fonts-dejavu-core or set font.pattern in the config")
        }
        let bold = match(pattern, bold: true).flatMap { $0.file != regular.file && $0.coversPolish ? $0.file : nil }
        return FontFiles(regular: regular.file, bold: bold)
    }

    struct Match { var file: String; var coversPolish: Bool }

    static func match(_ pattern: String, bold: Bool) -> Match? {
        guard let pat = FcNameParse(pattern) else { return nil }
        defer { FcPatternDestroy(pat) }
        if bold { _ = FcPatternAddInteger(pat, "weight", 200) } // FC_WEIGHT_BOLD
        _ = FcConfigSubstitute(nil, pat, FcMatchPattern)
        FcDefaultSubstitute(pat)
        var result = FcResultNoMatch
        guard let found = FcFontMatch(nil, pat, &result), result == FcResultMatch else { return nil }
        defer { FcPatternDestroy(found) }
        var file: UnsafeMutablePointer<FcChar8>?
        guard FcPatternGetString(found, "file", 0, &file) == FcResultMatch, let file else { return nil }
        var charset: OpaquePointer?
        var covers = false
        if FcPatternGetCharSet(found, "charset", 0, &charset) == FcResultMatch, let charset {
            covers = polishLetters.allSatisfy { FcCharSetHasChar(charset, $0) != 0 }
        }
        return Match(file: String(cString: file), coversPolish: covers)
    }
}

/// Open SDL_ttf fonts by size and weight; also the TextMeasurer the layout uses.
public final class FontBook: TextMeasurer {
    let files: FontFiles
    private var fonts: [FontSpec: OpaquePointer] = [:]
    private var heights: [FontSpec: Double] = [:]

    public init(files: FontFiles) throws {
        if TTF_WasInit() == 0, TTF_Init() != 0 {
            throw FontError(description: "SDL_ttf could not start: \(String(cString: SDL_GetError()))")
        }
        self.files = files
        // Open one face now so a bad file fails at start, with its name, not on the first text.
        _ = try font(FontSpec(size: 38))
    }

    deinit {
        for f in fonts.values { TTF_CloseFont(f) }
    }

    func font(_ spec: FontSpec) throws -> OpaquePointer {
        if let f = fonts[spec] { return f }
        let path = spec.bold ? (files.bold ?? files.regular) : files.regular
        guard let f = TTF_OpenFont(path, Int32(spec.size)) else {
            throw FontError(description: "cannot open font \(path): \(String(cString: SDL_GetError())); reinstall fonts-dejavu-core")
        }
        if spec.bold, files.bold == nil { TTF_SetFontStyle(f, TTF_STYLE_BOLD) }
        TTF_SetFontHinting(f, TTF_HINTING_LIGHT)
        fonts[spec] = f
        return f
    }

    /// Faces that opened at start; later sizes reuse the same files, so failures here are not expected.
    func fontOrNil(_ spec: FontSpec) -> OpaquePointer? { try? font(spec) }

    public func width(of text: Substring, font spec: FontSpec) -> Double {
        guard let f = fontOrNil(spec) else { return Double(text.count * spec.size) / 2 }
        var w: Int32 = 0, h: Int32 = 0
        _ = String(text).withCString { TTF_SizeUTF8(f, $0, &w, &h) }
        return Double(w)
    }

    public func lineHeight(font spec: FontSpec) -> Double {
        if let h = heights[spec] { return h }
        let h = fontOrNil(spec).map { Double(TTF_FontLineSkip($0)) } ?? Double(spec.size) * 1.2
        heights[spec] = h
        return h
    }
}
