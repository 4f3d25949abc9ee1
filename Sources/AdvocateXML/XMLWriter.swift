internal import CLibXML2

/// Writes well-formed XML through libxml2's text writer: names and text are escaped by libxml2,
/// so no value can break the document.
public final class XMLWriter {
    private let buffer: xmlBufferPtr
    private let writer: xmlTextWriterPtr

    public init(indent: Bool = true) {
        buffer = xmlBufferCreate()
        writer = xmlNewTextWriterMemory(buffer, 0)
        if indent {
            xmlTextWriterSetIndent(writer, 1)
            xmlTextWriterSetIndentString(writer, "  ")
        }
        xmlTextWriterStartDocument(writer, nil, "UTF-8", nil)
    }

    deinit {
        xmlFreeTextWriter(writer)
        xmlBufferFree(buffer)
    }

    public func start(_ name: String, _ attributes: [(String, String)] = []) {
        xmlTextWriterStartElement(writer, name)
        for (key, value) in attributes { xmlTextWriterWriteAttribute(writer, key, value) }
    }

    public func end() { xmlTextWriterEndElement(writer) }

    public func text(_ text: String) { xmlTextWriterWriteString(writer, text) }

    /// An element holding only text.
    public func element(_ name: String, _ attributes: [(String, String)] = [], text: String) {
        start(name, attributes)
        self.text(text)
        end()
    }

    /// Closes open elements and returns the document.
    public func finish() -> String {
        xmlTextWriterEndDocument(writer)
        xmlTextWriterFlush(writer)
        guard let content = xmlBufferContent(buffer) else { return "" }
        return String(cString: content)
    }
}
