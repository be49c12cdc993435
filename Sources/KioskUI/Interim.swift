// Interim stand-ins until the QR code and the article URL land from their branches.
import KioskCore

extension PublicArticle {
    var url: String? { nil }
}

extension Node {
    static func qrCode(id: String, payload: String, side: Double, label: String) -> Node {
        var n = Node(id: id)
        n.height = .fixed(side)
        return n
    }
}
