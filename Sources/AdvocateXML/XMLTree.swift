internal import CLibXML2

/// A plain Swift copy of a parsed document, for code that walks and rewrites XML without holding
/// libxml2 objects (the template compiler). Names keep their prefixes exactly as written, and
/// namespace declarations stay attributes, so writing a node back gives equivalent XML.
public indirect enum XMLNode: Sendable {
    case element(XMLTreeElement)
    case text(String)
    /// A comment, processing instruction or CDATA section, already serialised.
    case verbatim([UInt8])
}

public struct XMLTreeElement: Sendable {
    /// The name as written, with its prefix (`w:p`).
    public var name: String
    /// Attributes as written, namespace declarations (`xmlns:w`) included, in document order.
    public var attributes: [(name: String, value: String)]
    public var children: [XMLNode]
    public var line: Int

    public init(name: String, attributes: [(name: String, value: String)] = [], children: [XMLNode] = [], line: Int = 0) {
        self.name = name
        self.attributes = attributes
        self.children = children
        self.line = line
    }

    public func attribute(_ name: String) -> String? { attributes.first { $0.name == name }?.value }

    public var elements: [XMLTreeElement] {
        children.compactMap { if case .element(let e) = $0 { return e } else { return nil } }
    }
}

/// The prolog and root of a document as a tree.
public struct XMLTree: Sendable {
    public var root: XMLTreeElement
    /// Whether the declaration said `standalone="yes"` (Word's parts do).
    public var standalone: Bool

    /// The XML declaration to write before the root.
    public var declaration: String {
        standalone ? "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n" : "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    }
}

extension XMLDocument {
    /// The document as a Swift tree.
    public func tree() -> XMLTree? {
        guard let root = xmlDocGetRootElement(pointer) else { return nil }
        guard case .element(let element) = XMLDocument.copy(root) else { return nil }
        return XMLTree(root: element, standalone: pointer.pointee.standalone == 1)
    }

    static func copy(_ node: xmlNodePtr) -> XMLNode? {
        switch node.pointee.type {
        case XML_ELEMENT_NODE:
            var attributes: [(name: String, value: String)] = []
            var ns = node.pointee.nsDef
            while let current = ns {
                let prefix = current.pointee.prefix.map { String(cString: $0) }
                let href = current.pointee.href.map { String(cString: $0) } ?? ""
                attributes.append((prefix.map { "xmlns:" + $0 } ?? "xmlns", href))
                ns = current.pointee.next
            }
            var property = node.pointee.properties
            while let current = property {
                let local = String(cString: current.pointee.name)
                let name = current.pointee.ns.flatMap { $0.pointee.prefix }.map { String(cString: $0) + ":" + local } ?? local
                var value = ""
                // inLine 1 gives the value as it is, entity references already resolved to text.
                if let content = xmlNodeListGetString(node.pointee.doc, current.pointee.children, 1) {
                    value = String(cString: content)
                    advocate_xml_free(content)
                }
                attributes.append((name, value))
                property = current.pointee.next
            }
            var children: [XMLNode] = []
            var child = node.pointee.children
            while let current = child {
                if let copied = copy(current) { children.append(copied) }
                child = current.pointee.next
            }
            let local = String(cString: node.pointee.name)
            let name = node.pointee.ns.flatMap { $0.pointee.prefix }.map { String(cString: $0) + ":" + local } ?? local
            return .element(XMLTreeElement(name: name, attributes: attributes, children: children, line: Int(xmlGetLineNo(node))))
        case XML_TEXT_NODE:
            return .text(node.pointee.content.map { String(cString: $0) } ?? "")
        case XML_CDATA_SECTION_NODE:
            return .text(node.pointee.content.map { String(cString: $0) } ?? "")
        case XML_COMMENT_NODE, XML_PI_NODE:
            guard let buffer = xmlBufferCreate() else { return nil }
            defer { xmlBufferFree(buffer) }
            xmlNodeDump(buffer, node.pointee.doc, node, 0, 0)
            guard let content = xmlBufferContent(buffer) else { return nil }
            return .verbatim(Array(UnsafeBufferPointer(start: content, count: Int(xmlBufferLength(buffer)))))
        case XML_ENTITY_REF_NODE:
            // Unexpanded references (the parser never loads entities): kept as text of their name.
            return .text("")
        default:
            return nil
        }
    }
}

/// Writes XML text and markup into a byte buffer, escaping as it goes.
public enum XMLEscape {
    /// Appends `text` escaped for element content.
    public static func text(_ text: String, into out: inout [UInt8]) {
        for scalar in text.unicodeScalars { XMLEscape.scalar(scalar, into: &out) }
    }

    /// Appends one scalar escaped for element content, as UTF-8.
    @inline(__always)
    public static func scalar(_ scalar: Unicode.Scalar, into out: inout [UInt8]) {
        switch scalar.value {
        case 0x26: out.append(contentsOf: "&amp;".utf8)
        case 0x3C: out.append(contentsOf: "&lt;".utf8)
        case 0x3E: out.append(contentsOf: "&gt;".utf8)
        case 0x09, 0x0A, 0x0D: out.append(UInt8(scalar.value))
        // Control characters other than tab, newline and return are not allowed in XML 1.0.
        case 0..<0x20, 0xFFFE, 0xFFFF: return
        case 0x20..<0x80: out.append(UInt8(scalar.value))
        default: out.append(contentsOf: UTF8.encode(scalar)!)
        }
    }

    /// Appends `text` escaped for a double-quoted attribute value.
    public static func attribute(_ text: String, into out: inout [UInt8]) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: "\""): out.append(contentsOf: "&quot;".utf8)
            case 0x09: out.append(contentsOf: "&#9;".utf8)
            case 0x0A: out.append(contentsOf: "&#10;".utf8)
            case 0x0D: out.append(contentsOf: "&#13;".utf8)
            default:
                if byte < 0x20 { continue }
                out.append(byte)
            }
        }
    }
}

extension XMLTreeElement {
    /// Appends the start tag (`<w:p a="1">`), or the whole empty element when `empty`.
    public func writeStart(into out: inout [UInt8], empty: Bool = false) {
        out.append(UInt8(ascii: "<"))
        out.append(contentsOf: name.utf8)
        for attribute in attributes {
            out.append(UInt8(ascii: " "))
            out.append(contentsOf: attribute.name.utf8)
            out.append(contentsOf: "=\"".utf8)
            XMLEscape.attribute(attribute.value, into: &out)
            out.append(UInt8(ascii: "\""))
        }
        out.append(contentsOf: empty ? "/>".utf8 : ">".utf8)
    }

    public func writeEnd(into out: inout [UInt8]) {
        out.append(contentsOf: "</".utf8)
        out.append(contentsOf: name.utf8)
        out.append(UInt8(ascii: ">"))
    }

    /// Appends the whole element.
    public func write(into out: inout [UInt8]) {
        if children.isEmpty {
            writeStart(into: &out, empty: true)
            return
        }
        writeStart(into: &out)
        for child in children { child.write(into: &out) }
        writeEnd(into: &out)
    }
}

extension XMLNode {
    public func write(into out: inout [UInt8]) {
        switch self {
        case .element(let element): element.write(into: &out)
        case .text(let text): XMLEscape.text(text, into: &out)
        case .verbatim(let bytes): out.append(contentsOf: bytes)
        }
    }
}
