public import AdvocateCore
public import AdvocateStore
internal import Crypto
internal import Foundation

extension CaseService {
    /// Fills the forms that `fill:` effects ask for and stores each with the case, inside the
    /// command's transaction. Values the case does not have yet show as visible markers and are
    /// listed with the document; a template that cannot be filled is reported, not stored. Each
    /// document is audited as made by the `actor` whose input asked for it, or by ``Actor/timer``.
    func fillDocuments(
        _ effects: [Effect], caseId: String, state: CaseState, machine: Machine, journalSequence: Int, now: LocalDateTime, actor: Actor?, tx: StoreTransaction
    ) throws -> (documents: [StoredDocument], problems: [String]) {
        var documents: [StoredDocument] = []
        var problems: [String] = []
        for effect in effects {
            guard case .fill(let form, _, _) = effect else { continue }
            do {
                let template = try forms.template(form)
                let environment = documentEnvironment(caseId, state: state, machine: machine, now: now)
                let (bytes, missing) = try template.fillReportingMissing(environment, options: FillOptions(allowMissing: true))
                let hash = SHA256.hash(data: bytes).hexadecimal
                var document = StoredDocument(
                    caseId: caseId, form: form, format: template.format.rawValue, fileName: "\(form).\(template.format.rawValue)", sha256: hash, missing: missing,
                    journalSequence: journalSequence, createdAt: StoreTransaction.timestamp(), size: bytes.count)
                document.sequence = try tx.addDocument(document, content: bytes)
                try record(actor, "document.create", caseId: caseId, detail: "document \(document.sequence): \(form) as \(template.format.rawValue), filled by the workflow", in: tx)
                documents.append(document)
            } catch {
                problems.append("could not fill \(form): \(AdvocateError.from(error).description)")
            }
        }
        return (documents, problems)
    }

    /// What a form filled for a case sees: the case's data (its confidential safe address only
    /// when `includeSafeAddress`), its court calendar, and the time now in the court's zone.
    public func documentEnvironment(_ caseId: String, includeSafeAddress: Bool = false, actor: Actor? = nil) throws(AdvocateError) -> Environment {
        try documentEnvironment(caseId, includeSafeAddress: includeSafeAddress, purpose: "for a document", actor: actor)
    }

    /// The same, with the purpose the audit line gives for the read.
    func documentEnvironment(_ caseId: String, includeSafeAddress: Bool, unlockedBy: String? = nil, purpose: String, actor: Actor?) throws(AdvocateError) -> Environment {
        try transaction { tx, _ in
            let stored = try load(caseId, tx: tx)
            try authorize(actor, caseId: caseId, assignedTo: stored.advocateId)
            if includeSafeAddress, let account = actor?.account {
                let now = Int64(clock.now().timeIntervalSince1970)
                guard let hash = unlockedBy, let session = try tx.session(tokenHash: hash), session.account.id == account.id,
                    session.unlock?.covers(caseId, now: now) == true
                else {
                    throw AdvocateError("unlock the safe address on the case page first; it stays unlocked for a few minutes", kind: .forbidden)
                }
            }
            try record(actor, includeSafeAddress ? "case.read-with-safe-address" : "case.read", caseId: caseId, detail: purpose, in: tx)
            let machine = try machine(hash: stored.definitionHash, tx: tx)
            return documentEnvironment(caseId, state: stored.state, machine: machine, now: now(for: machine), includeSafeAddress: includeSafeAddress)
        }
    }

    func documentEnvironment(_ caseId: String, state: CaseState, machine: Machine, now: LocalDateTime, includeSafeAddress: Bool = false) -> Environment {
        let data = FormLibrary.templateData(caseId: caseId, state: state, definition: machine.definition, includeSafeAddress: includeSafeAddress)
        return forms.environment(data: data, calendar: machine.calendar, now: now)
    }

    /// A case's stored documents, oldest first.
    public func documents(_ caseId: String, actor: Actor? = nil) throws(AdvocateError) -> [StoredDocument] {
        do {
            return try store.read { tx in
                try authorize(actor, caseId: caseId, in: tx)
                return try tx.documents(caseId: caseId)
            }
        } catch {
            throw AdvocateError.from(error)
        }
    }

    /// A stored document's bytes. Reading one is written to the audit log.
    public func documentContent(_ caseId: String, sequence: Int, actor: Actor? = nil) throws(AdvocateError) -> [UInt8] {
        do {
            return try store.write { tx in
                try authorize(actor, caseId: caseId, in: tx)
                guard let bytes = try tx.documentContent(caseId: caseId, sequence: sequence) else {
                    throw AdvocateError("case \(caseId) has no document \(sequence)", kind: .notFound)
                }
                try record(actor, "document.read", caseId: caseId, detail: "document \(sequence)", in: tx)
                return bytes
            }
        } catch {
            throw AdvocateError.from(error)
        }
    }
}

/// A document an advocate asks for by hand: a form, the format to download it in, and what to add.
public struct DocumentRequest: Sendable {
    public var form: String
    public var format: DocumentFormat
    /// Append a "Words to know" section explaining the glossary terms used.
    public var explainTerms: Bool
    /// The language of that section, `en` or `es`.
    public var language: String
    /// Let the case's confidential safe address into the document. The read is written to the
    /// audit log as such.
    public var includeSafeAddress: Bool
    /// For a person signed in to the web app: the web session (its token's hash) that unlocked
    /// the safe address. The service checks the unlock itself, so a caller that forgot to
    /// cannot let the address out. The command line needs none.
    public var unlockedBy: String?

    public init(
        form: String, format: DocumentFormat, explainTerms: Bool = false, language: String = "en", includeSafeAddress: Bool = false, unlockedBy: String? = nil
    ) {
        self.form = form
        self.format = format
        self.explainTerms = explainTerms
        self.language = language
        self.includeSafeAddress = includeSafeAddress
        self.unlockedBy = unlockedBy
    }
}

extension CaseService {
    /// A form a case can fill, and the formats it can be downloaded in.
    public struct FormChoice: Sendable {
        public var name: String
        public var format: FormTemplate.Format
        /// The case's workflow names this form in a step or a `fill:` effect.
        public var suggested: Bool
        public var outputs: [DocumentFormat]
    }

    /// The usable templates in `Forms/`, the ones `definition` names first.
    public func formChoices(for definition: WorkflowDefinition) -> [FormChoice] {
        let used = definition.formsUsed
        let withOffice = OfficeConverter.office() != nil
        let choices = forms.paths.compactMap { path -> FormChoice? in
            guard let template = try? forms.template(path), template.isUsable else { return nil }
            return FormChoice(
                name: template.name, format: template.format, suggested: used.contains(template.name), outputs: DocumentFormat.choices(for: template.format, withOffice: withOffice))
        }
        return choices.filter(\.suggested) + choices.filter { !$0.suggested }
    }

    /// Fills a form from a case without keeping it, for a look before downloading. The read is audited.
    public func previewDocument(_ caseId: String, _ request: DocumentRequest, actor: Actor? = nil) throws(AdvocateError) -> (preview: DocumentPreview, missing: [String]) {
        let (template, bytes, missing) = try fill(caseId, request, purpose: "to preview \(request.form)", actor: actor)
        return (try DocumentPreview(bytes: bytes, format: template.format, name: template.name), missing)
    }

    /// Fills a form from a case, converts it to the format asked for, and stores it with the case
    /// (sealed, like every document). The read and the new document are audited.
    public func makeDocument(_ caseId: String, _ request: DocumentRequest, actor: Actor? = nil) throws(AdvocateError) -> StoredDocument {
        guard !request.includeSafeAddress else {
            throw AdvocateError("a document with the safe address is handed over once (makeDocumentOnce), never stored with the case")
        }
        let (template, bytes, missing) = try filledAndConverted(caseId, request, actor: actor)
        do {
            return try store.write { tx in
                try authorize(actor, caseId: caseId, in: tx)
                var document = StoredDocument(
                    caseId: caseId, form: template.name, format: request.format.rawValue, fileName: "\(template.name).\(request.format.rawValue)",
                    sha256: SHA256.hash(data: bytes).hexadecimal, missing: missing, journalSequence: try tx.lastJournalSequence(caseId: caseId),
                    createdAt: StoreTransaction.timestamp(), size: bytes.count)
                document.sequence = try tx.addDocument(document, content: bytes)
                try record(actor, "document.create", caseId: caseId, detail: "document \(document.sequence): \(template.name) as \(request.format.rawValue)", in: tx)
                return document
            }
        } catch {
            throw AdvocateError.from(error)
        }
    }

    /// Fills a form and returns the file without storing it: the way a document carrying the
    /// confidential safe address is made, so that it is not left with the case for anyone who
    /// can read the case later. The read is audited (as a read with the safe address, if so).
    public func makeDocumentOnce(_ caseId: String, _ request: DocumentRequest, actor: Actor? = nil) throws(AdvocateError) -> (fileName: String, bytes: [UInt8]) {
        let (template, bytes, _) = try filledAndConverted(caseId, request, actor: actor)
        return ("\(template.name).\(request.format.rawValue)", bytes)
    }

    private func filledAndConverted(_ caseId: String, _ request: DocumentRequest, actor: Actor?) throws(AdvocateError) -> (FormTemplate, [UInt8], [String]) {
        let template = try forms.template(named: request.form)
        // Checked before the case is read, so a refused request leaves no audit line.
        guard DocumentFormat.choices(for: template.format, withOffice: true).contains(request.format) else {
            throw AdvocateError("\(template.name) is a \(template.format.rawValue.uppercased()) template; it cannot be made into \(request.format.rawValue.uppercased())")
        }
        if request.format.rawValue != template.format.rawValue, OfficeConverter.office() == nil {
            throw AdvocateError("making \(request.format.rawValue.uppercased()) files needs LibreOffice on the server, which is not installed", kind: .failure)
        }
        let (_, filled, missing) = try fill(caseId, request, purpose: "for \(request.form)", actor: actor)
        // LibreOffice can take seconds: it runs outside any transaction.
        return (template, try OfficeConverter.convert(filled, format: template.format, to: request.format), missing)
    }

    private func fill(_ caseId: String, _ request: DocumentRequest, purpose: String, actor: Actor?) throws(AdvocateError) -> (FormTemplate, [UInt8], [String]) {
        let template = try forms.template(named: request.form)
        guard template.isUsable else { throw AdvocateError("the form \(template.name) has errors; 'advocate forms check' lists them") }
        let environment = try documentEnvironment(caseId, includeSafeAddress: request.includeSafeAddress, unlockedBy: request.unlockedBy, purpose: purpose, actor: actor)
        var (bytes, missing) = try template.fillReportingMissing(environment, options: FillOptions(allowMissing: true))
        if request.explainTerms {
            bytes = try forms.explainTerms(in: bytes, template: template, language: request.language)
        }
        return (template, bytes, missing)
    }
}
