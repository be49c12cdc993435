// A small element tree read from a server's XML with XMLParser, with limits and no entity expansion: what
// Open311Decoding reads XML answers through.
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// One element: its name (without a namespace prefix), its attributes, its child elements and its text.
public struct XMLElementNode: Sendable, Equatable {
    public var name: String
    public var attributes: [String: String]
    public var children: [XMLElementNode]
    /// The element's own character data (CDATA included), not its children's.
    public var text: String

    public init(name: String, attributes: [String: String] = [:], children: [XMLElementNode] = [], text: String = "") {
        self.name = name; self.attributes = attributes; self.children = children; self.text = text
    }
}

public enum XMLTree {
    public struct Limits: Sendable, Equatable {
        /// Open311 answers nest four levels (`service_definition/attributes/attribute/values/value/key`).
        public var maxDepth: Int
        public var maxElements: Int
        public init(maxDepth: Int = 32, maxElements: Int = 500_000) { self.maxDepth = maxDepth; self.maxElements = maxElements }
    }

    public struct Problem: Error, Equatable, CustomStringConvertible {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    /// Parses a whole document. A DTD is refused before parsing: Open311 never uses one, and it is how
    /// entity bombs (billion laughs) and external entities get in.
    public static func parse(_ data: Data, limits: Limits = Limits()) throws -> XMLElementNode {
        if containsDeclaration(data) {
            throw Problem("a DOCTYPE or ENTITY declaration (Open311 uses none; refused so nothing expands)")
        }
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.shouldProcessNamespaces = false
        parser.shouldReportNamespacePrefixes = false
        let builder = TreeBuilder(limits: limits)
        parser.delegate = builder
        let ok = parser.parse()
        if let problem = builder.problem { throw problem }
        guard ok, let root = builder.root else {
            let why = parser.parserError.map { "\(($0 as NSError).code)" } ?? "unknown"
            throw Problem("not well-formed XML (parser error \(why), near line \(parser.lineNumber))")
        }
        return root
    }

    static func containsDeclaration(_ data: Data) -> Bool {
        let needles: [[UInt8]] = [Array("<!DOCTYPE".utf8), Array("<!ENTITY".utf8)]
        let bytes = [UInt8](data)
        guard bytes.count >= 8 else { return false }
        for i in 0..<(bytes.count - 7) where bytes[i] == UInt8(ascii: "<") && bytes[i + 1] == UInt8(ascii: "!") {
            for n in needles where i + n.count <= bytes.count {
                var match = true
                for j in 2..<n.count where (bytes[i + j] | 0x20) != (n[j] | 0x20) { match = false; break }
                if match { return true }
            }
        }
        return false
    }
}

/// XMLParser's delegate: builds the tree on a stack and stops at the first limit crossed.
private final class TreeBuilder: NSObject, XMLParserDelegate {
    let limits: XMLTree.Limits
    var stack: [XMLElementNode] = []
    var root: XMLElementNode?
    var problem: XMLTree.Problem?
    var elements = 0

    init(limits: XMLTree.Limits) { self.limits = limits }

    func fail(_ parser: XMLParser, _ why: String) {
        if problem == nil { problem = XMLTree.Problem(why) }
        parser.abortParsing()
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        guard problem == nil else { return }
        elements += 1
        if elements > limits.maxElements { return fail(parser, "more than \(limits.maxElements) elements") }
        if stack.count >= limits.maxDepth { return fail(parser, "nested deeper than \(limits.maxDepth) levels") }
        if root != nil { return fail(parser, "more than one root element") }
        let local = elementName.split(separator: ":").last.map(String.init) ?? elementName
        stack.append(XMLElementNode(name: local, attributes: attributeDict))
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        guard problem == nil, let done = stack.popLast() else { return }
        if stack.isEmpty { root = done } else { stack[stack.count - 1].children.append(done) }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard problem == nil, !stack.isEmpty else { return }
        stack[stack.count - 1].text += string
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        guard problem == nil, !stack.isEmpty else { return }
        stack[stack.count - 1].text += String(decoding: CDATABlock, as: UTF8.self)
    }

    func parser(_ parser: XMLParser, foundInternalEntityDeclarationWithName name: String, value: String?) {
        fail(parser, "an entity declaration (\(name.prefix(40))); refused")
    }

    func parser(_ parser: XMLParser, foundExternalEntityDeclarationWithName name: String, publicID: String?, systemID: String?) {
        fail(parser, "an external entity (\(name.prefix(40))); refused")
    }

    func parser(_ parser: XMLParser, resolveExternalEntityName name: String, systemID: String?) -> Data? {
        fail(parser, "an external entity reference (\(name.prefix(40))); refused")
        return nil
    }
}
