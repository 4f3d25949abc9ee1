internal import CLibXML2

/// A parsed XML document, read with the network off, no DTD loading and no entity expansion.
///
/// Office files never need a DTD, so a document that declares one is refused outright: that
/// closes external entities (XXE) and entity expansion ("billion laughs") at the door.
public final class XMLDocument {
    let pointer: xmlDocPtr

    /// Parses `bytes`, or throws an ``XMLError`` with the line of the first problem.
    public init(bytes: [UInt8], name: String = "document.xml", maximumSize: Int = 64 << 20) throws(XMLError) {
        guard bytes.count <= maximumSize else {
            throw XMLError(message: "\(name) is \(bytes.count) bytes; the limit is \(maximumSize)", line: 0, column: 0)
        }
        guard !bytes.isEmpty else { throw XMLError(message: "\(name) is empty", line: 1, column: 1) }
        if let line = XMLDocument.doctypeLine(bytes) {
            throw XMLError(message: "\(name) declares a DTD; documents with a DTD are refused (they can hide external entities)", line: line, column: 1)
        }
        let context = xmlNewParserCtxt()
        guard let context else { throw XMLError(message: "out of memory", line: 0, column: 0) }
        defer { xmlFreeParserCtxt(context) }
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        let document = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { chars in
                xmlCtxtReadMemory(context, chars, Int32(buffer.count), name, "UTF-8", options)
            }
        }
        guard let document else {
            if let error = xmlCtxtGetLastError(context) {
                throw XMLError(message: XMLError.text(error.pointee.message), line: Int(error.pointee.line), column: Int(error.pointee.int2))
            }
            throw XMLError(message: "\(name) is not well-formed XML", line: 0, column: 0)
        }
        if document.pointee.intSubset != nil || document.pointee.extSubset != nil {
            xmlFreeDoc(document)
            throw XMLError(message: "\(name) declares a DTD; documents with a DTD are refused (they can hide external entities)", line: 1, column: 1)
        }
        pointer = document
    }

    deinit { xmlFreeDoc(pointer) }

    /// The line of a `<!DOCTYPE` in the prolog (before the root element), skipping comments and
    /// processing instructions; nil when there is none.
    static func doctypeLine(_ bytes: [UInt8]) -> Int? {
        let doctype = Array("<!DOCTYPE".utf8)
        var i = 0
        var line = 1
        func starts(_ prefix: [UInt8], at index: Int) -> Bool {
            index + prefix.count <= bytes.count && bytes[index..<index + prefix.count].elementsEqual(prefix)
        }
        while i < bytes.count {
            let byte = bytes[i]
            if byte == UInt8(ascii: "\n") { line += 1 }
            if byte == UInt8(ascii: "<") {
                if starts(doctype, at: i) { return line }
                let end: [UInt8]
                if starts(Array("<!--".utf8), at: i) { end = Array("-->".utf8) } else if starts(Array("<?".utf8), at: i) { end = Array("?>".utf8) } else { return nil }
                i += 2
                while i < bytes.count, !starts(end, at: i) {
                    if bytes[i] == UInt8(ascii: "\n") { line += 1 }
                    i += 1
                }
                i += end.count
                continue
            }
            i += 1
        }
        return nil
    }

    /// The root element.
    public var root: XMLElement? {
        xmlDocGetRootElement(pointer).map { XMLElement(node: $0, document: self) }
    }

    /// The document serialised back to UTF-8 bytes.
    public func serialized() -> [UInt8] {
        var buffer: UnsafeMutablePointer<xmlChar>?
        var size: Int32 = 0
        xmlDocDumpMemoryEnc(pointer, &buffer, &size, "UTF-8")
        guard let buffer else { return [] }
        defer { advocate_xml_free(buffer) }
        return Array(UnsafeBufferPointer(start: buffer, count: Int(size)))
    }
}

/// An element of an ``XMLDocument``; it keeps its document alive.
public struct XMLElement {
    let node: xmlNodePtr
    let document: XMLDocument

    /// Local name, without prefix.
    public var name: String { String(cString: node.pointee.name) }

    /// The namespace URI, if any.
    public var namespace: String? { node.pointee.ns.flatMap { $0.pointee.href }.map { String(cString: $0) } }

    public var line: Int { Int(xmlGetLineNo(node)) }

    public var children: [XMLElement] {
        var result: [XMLElement] = []
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE { result.append(XMLElement(node: current, document: document)) }
            child = current.pointee.next
        }
        return result
    }

    public func attribute(_ name: String) -> String? {
        guard let value = xmlGetProp(node, name) else { return nil }
        defer { advocate_xml_free(value) }
        return String(cString: value)
    }

    /// All text inside the element, in document order.
    public var text: String {
        guard let content = xmlNodeGetContent(node) else { return "" }
        defer { advocate_xml_free(content) }
        return String(cString: content)
    }

    /// Replaces the element's children with one text node. The text is stored as text, never
    /// parsed as markup, so `&` and `<` stay characters.
    public func setText(_ text: String) {
        var child = node.pointee.children
        while let current = child {
            child = current.pointee.next
            xmlUnlinkNode(current)
            xmlFreeNode(current)
        }
        if let textNode = xmlNewDocText(document.pointer, text) { xmlAddChild(node, textNode) }
    }
}

/// A problem reading XML, with its 1-based line and column when known.
public struct XMLError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var line: Int
    public var column: Int

    public var description: String { line > 0 ? "\(line):\(column): \(message)" : message }

    static func text(_ pointer: UnsafeMutablePointer<CChar>?) -> String {
        guard let pointer else { return "XML error" }
        var text = String(cString: pointer)
        while text.last == "\n" || text.last == " " { text.removeLast() }
        return text
    }
}

extension XMLElement {
    /// A new child in this element's namespace, placed before `sibling`, or last.
    @discardableResult
    public func addChild(_ name: String, before sibling: XMLElement? = nil) -> XMLElement {
        let node = xmlNewDocNode(document.pointer, node.pointee.ns, name, nil)!
        if let sibling { xmlAddPrevSibling(sibling.node, node) } else { xmlAddChild(self.node, node) }
        return XMLElement(node: node, document: document)
    }

    /// A new last child in the namespace `uri`, which must be declared on this element or above.
    @discardableResult
    public func addChild(_ name: String, namespace uri: String) -> XMLElement {
        let ns = xmlSearchNsByHref(document.pointer, node, uri) ?? node.pointee.ns
        let child = xmlNewDocNode(document.pointer, ns, name, nil)!
        xmlAddChild(self.node, child)
        return XMLElement(node: child, document: document)
    }

    /// Sets an attribute in this element's namespace (`w:val` on a `w:` element).
    public func setAttribute(_ name: String, _ value: String) {
        xmlNewNsProp(node, node.pointee.ns, name, value)
    }

    /// Adds text as a text node; with `preserveSpace`, leading and trailing spaces are kept (`xml:space`).
    public func addText(_ text: String, preserveSpace: Bool = false) {
        if preserveSpace { xmlNodeSetSpacePreserve(node, 1) }
        if let textNode = xmlNewDocText(document.pointer, text) { xmlAddChild(node, textNode) }
    }

    /// Every descendant element named `name`, in document order.
    public func descendants(named name: String) -> [XMLElement] {
        var result: [XMLElement] = []
        func walk(_ element: XMLElement) {
            for child in element.children {
                if child.name == name { result.append(child) }
                walk(child)
            }
        }
        walk(self)
        return result
    }
}
