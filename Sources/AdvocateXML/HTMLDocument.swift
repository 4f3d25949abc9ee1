internal import CLibXML2

/// An HTML document parsed leniently, as browsers do, with the network off.
public final class HTMLDocument {
    let pointer: htmlDocPtr

    public init(bytes: [UInt8], maximumSize: Int = 64 << 20) throws(XMLError) {
        guard bytes.count <= maximumSize else { throw XMLError(message: "the page is \(bytes.count) bytes; the limit is \(maximumSize)", line: 0, column: 0) }
        guard !bytes.isEmpty else { throw XMLError(message: "the page is empty", line: 1, column: 1) }
        // NODEFDTD: a page without a doctype gets none, rather than HTML 4 (which means quirks mode).
        let options = Int32(HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NODEFDTD.rawValue)
        let document = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { htmlReadMemory($0, Int32(buffer.count), "page.html", "UTF-8", options) }
        }
        guard let document else { throw XMLError(message: "the page cannot be read as HTML", line: 0, column: 0) }
        pointer = document
    }

    deinit { xmlFreeDoc(pointer) }

    /// A piece of content to put in place of a text node.
    public indirect enum Piece {
        case text(String)
        case element(String, attributes: [(String, String)], children: [Piece])
    }

    /// Calls `replace` with the text of every text node outside `skipping` elements, in document
    /// order; when it returns pieces, they take the text node's place. Text stays text: nothing
    /// in it is parsed as markup.
    public func replaceText(skipping: Set<String>, _ replace: (String) -> [Piece]?) {
        guard let root = xmlDocGetRootElement(pointer) else { return }
        var textNodes: [xmlNodePtr] = []
        collect(root, skipping: skipping, into: &textNodes)
        for node in textNodes {
            guard let content = node.pointee.content, let pieces = replace(String(cString: content)) else { continue }
            // libxml2 merges a text node added beside another text node into it; an element
            // placeholder keeps the pieces in order, and is removed afterwards.
            guard let placeholder = xmlNewDocNode(pointer, nil, "advocate-placeholder", nil) else { continue }
            xmlReplaceNode(node, placeholder)
            xmlFreeNode(node)
            for piece in pieces {
                if let built = build(piece) { xmlAddPrevSibling(placeholder, built) }
            }
            xmlUnlinkNode(placeholder)
            xmlFreeNode(placeholder)
        }
    }

    private func collect(_ node: xmlNodePtr, skipping: Set<String>, into nodes: inout [xmlNodePtr]) {
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_TEXT_NODE {
                nodes.append(current)
            } else if current.pointee.type == XML_ELEMENT_NODE, !skipping.contains(String(cString: current.pointee.name).lowercased()) {
                collect(current, skipping: skipping, into: &nodes)
            }
            child = current.pointee.next
        }
    }

    private func build(_ piece: Piece) -> xmlNodePtr? {
        switch piece {
        case .text(let text):
            return xmlNewDocText(pointer, text)
        case .element(let name, let attributes, let children):
            guard let element = xmlNewDocNode(pointer, nil, name, nil) else { return nil }
            for (key, value) in attributes { xmlNewProp(element, key, value) }
            for child in children {
                if let built = build(child) { xmlAddChild(element, built) }
            }
            return element
        }
    }

    /// Appends an element to `<body>` (or to the root when there is no body).
    public func appendToBody(_ piece: Piece) {
        guard let root = xmlDocGetRootElement(pointer), let built = build(piece) else { return }
        var body: xmlNodePtr?
        var child = root.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE, String(cString: current.pointee.name).lowercased() == "body" { body = current }
            child = current.pointee.next
        }
        xmlAddChild(body ?? root, built)
    }

    /// The page as HTML, UTF-8.
    public func serialized() -> String {
        var buffer: UnsafeMutablePointer<xmlChar>?
        var size: Int32 = 0
        // Without an encoding, libxml2 writes every non-ASCII letter as an entity.
        if pointer.pointee.encoding == nil { pointer.pointee.encoding = UnsafePointer(xmlStrdup("UTF-8")) }
        htmlDocDumpMemoryFormat(pointer, &buffer, &size, 0)
        guard let buffer else { return "" }
        defer { advocate_xml_free(buffer) }
        return String(decoding: UnsafeBufferPointer(start: buffer, count: Int(size)), as: UTF8.self)
    }
}

extension HTMLDocument {
    /// The page as a Swift tree, rooted at `html`.
    public func tree() -> XMLTree? {
        guard let root = xmlDocGetRootElement(pointer) else { return nil }
        guard case .element(let element) = XMLDocument.copy(root) else { return nil }
        return XMLTree(root: element, standalone: false)
    }
}
