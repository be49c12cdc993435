// Finding and opening the font: fontconfig picks a face, the kiosk checks it is the one asked for and that it
// has every Polish and Ukrainian letter the screens show, remembers the choice, and SDL_ttf opens it.
import CFontconfig
import CSDL2
import Foundation
import KioskUI

public struct FontError: Error, CustomStringConvertible {
    public var description: String
}

public struct FontFiles: Sendable, Equatable {
    public var regular: String
    public var bold: String?
    /// Face numbers inside a collection file (.ttc); 0 for a plain .ttf.
    public var regularIndex = 0
    public var boldIndex = 0
    /// The family fontconfig answered with, for messages.
    public var family = ""
    /// What a technician must know about the choice (the named family is not installed…), said at every start.
    public var notes: [String] = []

    public init(regular: String, bold: String? = nil) {
        self.regular = regular
        self.bold = bold
    }
}

/// Letters and signs the screens show; a face without one of them draws a box in front of a resident.
public enum FontCoverage {
    public struct Group: Sendable {
        public var name: String
        public var characters: String
        public var scalars: [UInt32] { characters.unicodeScalars.map(\.value) }
    }

    public static let polish = Group(name: "Polish letters", characters: "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ")
    /// The basic Cyrillic range (А–я) and the letters Ukrainian adds to it.
    public static let ukrainian = Group(
        name: "Ukrainian letters",
        characters: String(String.UnicodeScalarView((0x410...0x44F).compactMap(Unicode.Scalar.init))) + "ЄєІіЇїҐґ")
    public static let symbols = Group(name: "signs the screens use", characters: "„”“«»’–−—…←→⌂✕⇧⌫▏№°·◉○☑☐⚑")
    public static let required = [polish, ukrainian, symbols]

    /// For each group, the characters `has` says are missing (at most a few, for the message).
    static func missing(_ has: (UInt32) -> Bool) -> [(group: Group, missing: [Character])] {
        required.compactMap { g in
            let absent = g.characters.filter { c in !c.unicodeScalars.allSatisfy { has($0.value) } }
            return absent.isEmpty ? nil : (g, Array(absent))
        }
    }
}

public enum FontLocator {
    /// The kiosk's config key the pattern comes from, named in messages.
    public static let configKey = "font.pattern"

    /// Resolves a fontconfig pattern (such as `sans-serif:lang=pl`) to files for the regular and bold faces.
    /// Refuses a face that lacks letters the screens show; a pattern naming a family that is not installed
    /// resolves to fontconfig's best match and says so through `report` (stderr by default), at every start.
    /// A choice already made is reused from `cache` while nothing it depended on has changed.
    public static func locate(pattern: String, cache: FontChoiceCache? = FontChoiceCache.standard(),
                              report: (String) -> Void = FontLocator.warn) throws -> FontFiles {
        if let cache, let files = cache.lookup(pattern: pattern) {
            files.notes.forEach(report)
            return files
        }
        let files = try resolve(pattern: pattern)
        files.notes.forEach(report)
        cache?.store(files, pattern: pattern)
        return files
    }

    public static func warn(_ s: String) {
        FileHandle.standardError.write(Data("kiosk: warning: \(s)\n".utf8))
    }

    /// Generic names fontconfig maps to a configured family; asking for one is never a fallback.
    static let genericFamilies: Set<String> = [
        "sans-serif", "sans", "serif", "monospace", "mono", "system-ui", "cursive", "fantasy", "emoji", "math",
        "ui-sans-serif", "ui-serif", "ui-monospace",
    ]

    /// fontconfig compares families ignoring case and blanks; so does this.
    static func familyKey(_ s: String) -> String { s.lowercased().filter { !$0.isWhitespace } }

    static func resolve(pattern: String) throws -> FontFiles {
        guard FcInit() != 0 else {
            throw FontError(description: "fontconfig could not start; install fontconfig and fonts-dejavu-core")
        }
        guard let asked = FcNameParse(pattern) else {
            throw FontError(description: "\(configKey) \"\(pattern)\" is not a fontconfig pattern; write it as `fc-match` takes it, e.g. \"DejaVu Sans:lang=pl\"")
        }
        let named = strings(asked, FC_FAMILY).filter { !genericFamilies.contains(familyKey($0)) }
        FcPatternDestroy(asked)
        guard let regular = match(pattern, bold: false) else {
            throw FontError(description: "no font found for \(configKey) \"\(pattern)\"; install fonts-dejavu-core (apt-get install fonts-dejavu-core) or set \(configKey) in the config")
        }
        let missing = FontCoverage.missing(regular.has)
        if !missing.isEmpty {
            let what = missing.map { "\($0.group.name) (\(String($0.missing.prefix(6))))" }.joined(separator: ", ")
            throw FontError(description: "font \(regular.file) (\(regular.families.first ?? "?"), for \(configKey) \"\(pattern)\") lacks \(what): residents would see boxes; set \(configKey) to a face with Polish and Ukrainian letters, e.g. \"DejaVu Sans\" (apt-get install fonts-dejavu-core)")
        }
        var files = FontFiles(regular: regular.file)
        files.regularIndex = regular.index
        files.family = regular.families.first ?? ""
        let foundKeys = Set(regular.families.map(familyKey))
        if !named.isEmpty, !named.contains(where: { foundKeys.contains(familyKey($0)) }) {
            let list = named.map { "\"\($0)\"" }.joined(separator: ", ")
            files.notes.append("\(configKey) \"\(pattern)\" names the family \(list), which is not installed: showing \(files.family) (\(regular.file)) instead; install that font or set \(configKey) to an installed family (`fc-list : family`)")
        }
        // A bold face of another family, or one lacking letters, would change the look mid-line: embolden instead.
        if let bold = match(pattern, bold: true), bold.file != regular.file || bold.index != regular.index,
           Set(bold.families.map(familyKey)) == foundKeys, FontCoverage.missing(bold.has).isEmpty {
            files.bold = bold.file
            files.boldIndex = bold.index
        }
        return files
    }

    final class Match {
        let file: String
        let index: Int
        let families: [String]
        private let charset: OpaquePointer?
        private let owner: OpaquePointer

        init?(_ found: OpaquePointer) {
            var file: UnsafeMutablePointer<FcChar8>?
            guard FcPatternGetString(found, FC_FILE, 0, &file) == FcResultMatch, let file else { return nil }
            self.file = String(cString: file)
            var index: Int32 = 0
            self.index = FcPatternGetInteger(found, FC_INDEX, 0, &index) == FcResultMatch ? Int(index) : 0
            families = FontLocator.strings(found, FC_FAMILY)
            var cs: OpaquePointer?
            charset = FcPatternGetCharSet(found, FC_CHARSET, 0, &cs) == FcResultMatch ? cs : nil
            owner = found
        }

        deinit { FcPatternDestroy(owner) }

        func has(_ c: UInt32) -> Bool { charset.map { FcCharSetHasChar($0, c) != 0 } ?? false }
    }

    static func match(_ pattern: String, bold: Bool) -> Match? {
        guard let pat = FcNameParse(pattern) else { return nil }
        defer { FcPatternDestroy(pat) }
        if bold {
            FcPatternDel(pat, FC_WEIGHT)
            _ = FcPatternAddInteger(pat, FC_WEIGHT, 200) // FC_WEIGHT_BOLD
        }
        _ = FcConfigSubstitute(nil, pat, FcMatchPattern)
        FcDefaultSubstitute(pat)
        var result = FcResultNoMatch
        guard let found = FcFontMatch(nil, pat, &result) else { return nil }
        guard result == FcResultMatch, let m = Match(found) else {
            FcPatternDestroy(found)
            return nil
        }
        return m
    }

    static func strings(_ p: OpaquePointer, _ object: String) -> [String] {
        var out: [String] = []
        var s: UnsafeMutablePointer<FcChar8>?
        while out.count < 32, FcPatternGetString(p, object, Int32(out.count), &s) == FcResultMatch, let s {
            out.append(String(cString: s))
        }
        return out
    }

    /// Files and folders whose change may change fontconfig's answer: its configuration and the font folders.
    /// Only meaningful after `FcInit`.
    static func configurationInputs() -> [String] {
        var paths: [String] = []
        func drain(_ list: OpaquePointer?) {
            guard let list else { return }
            defer { FcStrListDone(list) }
            while let p = FcStrListNext(list), paths.count < 4096 { paths.append(String(cString: p)) }
        }
        drain(FcConfigGetConfigFiles(nil))
        drain(FcConfigGetFontDirs(nil))
        // A new file in a configuration folder (conf.d) changes the folder's time, and a user's first
        // fonts.conf may appear where none was read: watch those places too.
        let home = FontChoiceCache.variable("HOME") ?? ""
        let xdgConfig = FontChoiceCache.variable("XDG_CONFIG_HOME") ?? home + "/.config"
        let xdgData = FontChoiceCache.variable("XDG_DATA_HOME") ?? home + "/.local/share"
        paths += paths.map { ($0 as NSString).deletingLastPathComponent }
        paths += ["/etc/fonts", "/etc/fonts/conf.d", "/etc/fonts/fonts.conf", xdgConfig + "/fontconfig", xdgConfig + "/fontconfig/fonts.conf",
                  xdgConfig + "/fontconfig/conf.d", home + "/.fonts.conf", home + "/.fonts", xdgData + "/fonts"]
        var seen = Set<String>()
        return paths.filter { !$0.isEmpty && seen.insert($0).inserted }
    }
}

/// The font chosen at the last start, reused while the pattern, the environment fontconfig reads, its
/// configuration files and folders, the font folders and the chosen files are all unchanged (size and
/// modification time): then the kiosk skips fontconfig's start-up (about 5 ms and its configuration in
/// memory). Any change, or a file that cannot be read, means fontconfig is asked again.
public struct FontChoiceCache: Sendable {
    public var file: String
    static let header = "kiosk-font-choice 1"
    static let maxBytes = 256 * 1024

    public init(file: String) { self.file = file }

    /// `$CACHE_DIRECTORY` (systemd's CacheDirectory=), `$STATE_DIRECTORY`, `$XDG_CACHE_HOME/kiosk` or
    /// `~/.cache/kiosk`; nil when none is set.
    public static func standard() -> FontChoiceCache? {
        func first(_ k: String) -> String? {
            variable(k).flatMap { $0.split(separator: ":").first.map(String.init) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        let dir = first("CACHE_DIRECTORY") ?? first("STATE_DIRECTORY") ?? first("XDG_CACHE_HOME").map { $0 + "/kiosk" }
            ?? variable("HOME").flatMap { $0.isEmpty ? nil : $0 + "/.cache/kiosk" }
        return dir.map { FontChoiceCache(file: $0 + "/font-choice.txt") }
    }

    // The reuse path runs at every start before the first frame: getenv, stat and one read.
    static func variable(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }

    /// What fontconfig's answer depends on besides its files.
    static func key(pattern: String) -> String {
        let vars = ["FONTCONFIG_FILE", "FONTCONFIG_PATH", "FONTCONFIG_SYSROOT", "FC_LANG", "LANG", "LC_ALL", "LC_CTYPE", "HOME",
                    "XDG_CONFIG_HOME", "XDG_DATA_HOME"]
        return ([pattern, "fontconfig \(FcGetVersion())"] + vars.map { "\($0)=\(variable($0) ?? "")" }).joined(separator: "\u{1F}")
    }

    /// The whole file, or nil when it is missing, unreadable or larger than `limit`.
    static func readFile(_ path: String, limit: Int) -> [UInt8]? {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n >= 0 else { return nil }
            if n == 0 { return bytes }
            bytes += chunk[0..<n]
            if bytes.count > limit { return nil }
        }
    }

    /// Size and modification time in nanoseconds; "-" for a path that does not exist.
    static func stamp(_ path: String) -> String {
        var st = stat()
        guard stat(path, &st) == 0 else { return "-" }
        return "\(st.st_size).\(Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)).\(st.st_ino)"
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: "\\t")
    }

    static func unescape(_ s: Substring) -> String {
        var out = "", escaped = false
        for c in s {
            if escaped {
                out.append(c == "n" ? "\n" : c == "t" ? "\t" : c)
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else {
                out.append(c)
            }
        }
        return out
    }

    public func lookup(pattern: String) -> FontFiles? {
        guard let bytes = Self.readFile(file, limit: Self.maxBytes) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.first == Substring(Self.header), lines.count < 10_000 else { return nil }
        lines.removeFirst()
        var files: FontFiles?
        var key: String?
        var bold: (String, Int)?
        var family = ""
        var notes: [String] = []
        for line in lines where !line.isEmpty {
            let f = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
            switch (f.first, f.count) {
            case ("key", 2): key = Self.unescape(f[1])
            case ("regular", 3):
                guard let i = Int(f[1]) else { return nil }
                files = FontFiles(regular: Self.unescape(f[2]))
                files?.regularIndex = i
            case ("bold", 3):
                guard let i = Int(f[1]) else { return nil }
                bold = (Self.unescape(f[2]), i)
            case ("family", 2): family = Self.unescape(f[1])
            case ("note", 2): notes.append(Self.unescape(f[1]))
            case ("stamp", 3):
                guard Self.stamp(Self.unescape(f[2])) == f[1] else { return nil }
            default: return nil
            }
        }
        guard key == Self.key(pattern: pattern), var found = files else { return nil }
        if let bold { found.bold = bold.0; found.boldIndex = bold.1 }
        found.family = family
        found.notes = notes
        return found
    }

    /// Best effort: a kiosk that cannot write its cache resolves the font at every start, as before.
    public func store(_ files: FontFiles, pattern: String) {
        var lines = [Self.header, "key\t\(Self.escape(Self.key(pattern: pattern)))",
                     "regular\t\(files.regularIndex)\t\(Self.escape(files.regular))"]
        if let b = files.bold { lines.append("bold\t\(files.boldIndex)\t\(Self.escape(b))") }
        lines.append("family\t\(Self.escape(files.family))")
        lines += files.notes.map { "note\t\(Self.escape($0))" }
        let watched = [files.regular] + (files.bold.map { [$0] } ?? []) + FontLocator.configurationInputs()
        lines += watched.map { "stamp\t\(Self.stamp($0))\t\(Self.escape($0))" }
        let dir = (file as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        // Written beside and renamed, so a kiosk starting meanwhile reads the old choice or the new one.
        let temp = "\(file).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp" // two writers never share one
        guard FileManager.default.createFile(atPath: temp, contents: Data((lines.joined(separator: "\n") + "\n").utf8)) else { return }
        if rename(temp, file) != 0 { unlink(temp) }
    }
}

/// A font file opened once; every size of the face reads from this one descriptor through a stream of its
/// own (pread at the stream's position, through a 4 KiB window, since FreeType reads a few bytes at a time).
/// Measured against mapping the file: as soon to the first frame (within 1 ms; without the window it was
/// 7 ms later), and the 0.7 MB of pages FreeType touches are not counted in the kiosk's memory.
final class SharedFontFile {
    let path: String
    let fd: Int32

    init(path: String) throws {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw FontError(description: "cannot open font \(path): \(String(cString: strerror(errno))); reinstall fonts-dejavu-core or set \(FontLocator.configKey)")
        }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_size > 0, st.st_size < 256 << 20 else {
            close(fd)
            throw FontError(description: "font \(path) is empty or not a font file; reinstall fonts-dejavu-core or set \(FontLocator.configKey)")
        }
        self.path = path
        self.fd = fd
    }

    /// Faces opened from this file must be closed first (FontBook closes them in its deinit).
    deinit { close(fd) }

    /// One stream's state, owned by its SDL_RWops (data1) and freed when SDL_ttf closes the face.
    struct Stream {
        var fd: Int32
        var size: Int64
        var position: Int64 = 0
        var windowStart: Int64 = 0
        var windowLength = 0
    }

    static let windowBytes = 4096

    func open(size: Int, index: Int) -> OpaquePointer? {
        var st = stat()
        guard fstat(fd, &st) == 0, let rw = SDL_AllocRW() else { return nil }
        let state = UnsafeMutablePointer<Stream>.allocate(capacity: 1)
        state.initialize(to: Stream(fd: fd, size: Int64(st.st_size)))
        let window = UnsafeMutableRawPointer.allocate(byteCount: Self.windowBytes, alignment: 16)
        rw.pointee.hidden.unknown.data1 = UnsafeMutableRawPointer(state)
        rw.pointee.hidden.unknown.data2 = window
        rw.pointee.size = { ctx in ctx.flatMap(SharedFontFile.stream)?.pointee.size ?? -1 }
        rw.pointee.seek = { ctx, offset, whence in
            guard let ctx, let s = SharedFontFile.stream(ctx) else { return -1 }
            let target: Int64
            switch whence {
            case RW_SEEK_SET: target = offset
            case RW_SEEK_CUR: target = s.pointee.position + offset
            case RW_SEEK_END: target = s.pointee.size + offset
            default: return -1
            }
            guard target >= 0 else { return -1 }
            s.pointee.position = target
            return target
        }
        rw.pointee.read = { ctx, ptr, size, count in
            guard let ctx, let ptr, size > 0, let s = SharedFontFile.stream(ctx),
                  let window = ctx.pointee.hidden.unknown.data2 else { return 0 }
            let wanted = size * count
            var done = 0
            while done < wanted {
                let at = s.pointee.position
                let inWindow = at - s.pointee.windowStart
                if inWindow >= 0, inWindow < Int64(s.pointee.windowLength) {
                    let n = min(wanted - done, s.pointee.windowLength - Int(inWindow))
                    ptr.advanced(by: done).copyMemory(from: window.advanced(by: Int(inWindow)), byteCount: n)
                    done += n
                    s.pointee.position += Int64(n)
                    continue
                }
                if wanted - done >= SharedFontFile.windowBytes { // big reads (tables) go straight through
                    let n = pread(s.pointee.fd, ptr.advanced(by: done), wanted - done, off_t(at))
                    if n < 0, errno == EINTR { continue }
                    if n <= 0 { break }
                    done += n
                    s.pointee.position += Int64(n)
                    continue
                }
                let n = pread(s.pointee.fd, window, SharedFontFile.windowBytes, off_t(at))
                if n < 0, errno == EINTR { continue }
                if n <= 0 { break }
                s.pointee.windowStart = at
                s.pointee.windowLength = n
            }
            return done / size
        }
        rw.pointee.write = { _, _, _, _ in 0 }
        rw.pointee.close = { ctx in
            guard let ctx else { return 0 }
            if let s = SharedFontFile.stream(ctx) {
                s.deinitialize(count: 1)
                s.deallocate()
            }
            ctx.pointee.hidden.unknown.data2?.deallocate()
            SDL_FreeRW(ctx)
            return 0
        }
        // freesrc 1: SDL_ttf closes the stream with the face, also when opening fails.
        return TTF_OpenFontIndexRW(rw, 1, Int32(size), index)
    }

    static func stream(_ ctx: UnsafeMutablePointer<SDL_RWops>) -> UnsafeMutablePointer<Stream>? {
        let raw: UnsafeMutableRawPointer? = ctx.pointee.hidden.unknown.data1
        return raw?.assumingMemoryBound(to: Stream.self)
    }
}

/// Open SDL_ttf fonts by size and weight; also the TextMeasurer the layout uses.
public final class FontBook: TextMeasurer {
    let files: FontFiles
    private var fonts: [FontSpec: OpaquePointer] = [:]
    private var heights: [FontSpec: Double] = [:]
    private let regular: SharedFontFile
    private let bold: SharedFontFile?

    public init(files: FontFiles) throws {
        if TTF_WasInit() == 0, TTF_Init() != 0 {
            throw FontError(description: "SDL_ttf could not start: \(String(cString: SDL_GetError()))")
        }
        self.files = files
        regular = try SharedFontFile(path: files.regular)
        bold = try files.bold.map { try SharedFontFile(path: $0) }
        // Open one face now so a bad file fails at start, with its name, not on the first text.
        _ = try font(FontSpec(size: 38))
    }

    /// FreeType allows faces of one library on several threads, but opening and closing them must not
    /// overlap: the screen's FontBook and the printer's each take this lock for it.
    static let faceLock = NSLock()

    deinit {
        // The faces read from the shared files: close them before the files go.
        Self.faceLock.withLock { for f in fonts.values { TTF_CloseFont(f) } }
    }

    func font(_ spec: FontSpec) throws -> OpaquePointer {
        if let f = fonts[spec] { return f }
        let file = spec.bold ? (bold ?? regular) : regular
        let index = spec.bold && bold != nil ? files.boldIndex : files.regularIndex
        guard let f = Self.faceLock.withLock({ file.open(size: spec.size, index: index) }) else {
            throw FontError(description: "cannot open font \(file.path): \(String(cString: SDL_GetError())); reinstall fonts-dejavu-core or set \(FontLocator.configKey)")
        }
        if spec.bold, bold == nil { TTF_SetFontStyle(f, TTF_STYLE_BOLD) }
        TTF_SetFontHinting(f, TTF_HINTING_LIGHT)
        fonts[spec] = f
        return f
    }

    /// Faces that opened at start; later sizes reuse the same files, so failures here are not expected.
    func fontOrNil(_ spec: FontSpec) -> OpaquePointer? { try? font(spec) }

    /// Sizes opened so far, for tests of the shared file.
    var openFaces: Int { fonts.count }

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
