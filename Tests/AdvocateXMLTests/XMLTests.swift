import Testing
import AdvocateXML

private func parse(_ text: String) throws(XMLError) -> XMLDocument {
    try XMLDocument(bytes: Array(text.utf8), name: "test.xml")
}

@Suite("The libxml2 layer")
struct XMLTests {
    @Test func readsElementsAndText() throws {
        let document = try parse("<w:document xmlns:w=\"urn:w\"><w:p>Hello <w:r>there</w:r></w:p></w:document>")
        let root = try #require(document.root)
        #expect(root.name == "document")
        #expect(root.namespace == "urn:w")
        #expect(root.children.map(\.name) == ["p"])
        #expect(root.text == "Hello there")
    }

    @Test("Documents with a DTD are refused", arguments: [
        "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><x>&xxe;</x>",
        "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\"><!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]><lolz>&lol3;</lolz>",
        "<!DOCTYPE x SYSTEM \"http://example.invalid/x.dtd\"><x/>",
    ])
    func refusesDTDs(text: String) {
        #expect(throws: XMLError.self) { try parse(text) }
        do { _ = try parse(text) } catch {
            #expect(error.message.contains("DTD"))
        }
    }

    @Test func malformedXMLReportsItsLine() {
        do {
            _ = try parse("<a>\n<b>\n</a>")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 3)
            #expect(error.description.hasPrefix("3:"))
        }
        #expect(throws: XMLError.self) { try parse("") }
    }

    @Test func textIsNeverParsedAsMarkup() throws {
        let document = try parse("<a><b>old</b></a>")
        let b = try #require(document.root?.children.first)
        b.setText("Smith & Sons <LLC> &amp;")
        let again = try XMLDocument(bytes: document.serialized())
        #expect(again.root?.children.first?.text == "Smith & Sons <LLC> &amp;")
    }

    @Test func writerEscapesNamesAndText() throws {
        let writer = XMLWriter(indent: false)
        writer.start("root", [("title", "\"quoted\" & <tagged>")])
        writer.element("item", text: "a < b & c > d")
        let text = writer.finish()
        #expect(text.contains("<item>a &lt; b &amp; c &gt; d</item>"))
        let document = try parse(text)
        #expect(document.root?.attribute("title") == "\"quoted\" & <tagged>")
    }
}
