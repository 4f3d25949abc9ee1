import Advocate
import AdvocateAssembly
import Testing

/// The HTML preview shows every word the filled page holds, in order.
@Suite("Document preview")
struct DocumentPreviewTests {
    typealias Block = DocumentPreview.Block

    @Test(
        "text written straight into a container is kept, before, between and after its blocks",
        arguments: [
            ("<body>Dear <strong>Noor</strong>,<p>Your hearing is set.</p>With care,<br>Oak Street Advocates</body>",
             [Block.paragraph("Dear Noor,"), .paragraph("Your hearing is set."), .paragraph("With care, Oak Street Advocates")]),
            ("<div><h2>Next steps</h2>Bring your papers.<ul><li>Order</li><li>Proof of service</li></ul></div>",
             [.heading(level: 2, text: "Next steps"), .paragraph("Bring your papers."), .listItem("Order"), .listItem("Proof of service")]),
            ("<section><span>Case <em>C-00042</em></span><hr>After the rule</section>", [.paragraph("Case C-00042"), .paragraph("After the rule")]),
            ("<body><script>var x = 1;</script><p>Only this</p></body>", [.paragraph("Only this")]),
        ] as [(String, [Block])])
    func looseTextIsKept(html: String, expected: [Block]) throws {
        let preview = try DocumentPreview(bytes: Array("<!doctype html><html><head><title>t</title></head>\(html)</html>".utf8), format: .html, name: "letter.html")
        #expect(preview.blocks == expected)
    }
}
