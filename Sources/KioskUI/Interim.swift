// Interim stand-in until the article URL lands from its branch.
import KioskCore

extension PublicArticle {
    var url: String? { nil }
}
