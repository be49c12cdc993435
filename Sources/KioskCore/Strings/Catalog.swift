// Which catalogue holds which language; the catalogues themselves are data, one file per language.

/// Compiled in, not read from files: the first frame must not wait for I/O.
enum Catalog {
    static func messages(_ language: Language) -> [StringKey: Message] {
        switch language {
        case .pl: return pl
        case .en: return en
        case .uk: return uk
        }
    }
}
