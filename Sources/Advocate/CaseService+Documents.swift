public import AdvocateCore
public import AdvocateStore
internal import Crypto
internal import Foundation

extension CaseService {
    /// Fills the forms that `fill:` effects ask for and stores each with the case, inside the
    /// command's transaction. Values the case does not have yet show as visible markers and are
    /// listed with the document; a template that cannot be filled is reported, not stored.
    func fillDocuments(
        _ effects: [Effect], caseId: String, state: CaseState, machine: Machine, journalSequence: Int, now: LocalDateTime, tx: StoreTransaction
    ) throws -> (documents: [StoredDocument], problems: [String]) {
        var documents: [StoredDocument] = []
        var problems: [String] = []
        for effect in effects {
            guard case .fill(let form, _, _) = effect else { continue }
            do {
                let template = try forms.template(form)
                let environment = documentEnvironment(caseId, state: state, machine: machine, now: now)
                let (bytes, missing) = try template.fillReportingMissing(environment, options: FillOptions(allowMissing: true))
                let hash = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
                var document = StoredDocument(
                    caseId: caseId, form: form, format: template.format.rawValue, fileName: "\(form).\(template.format.rawValue)", sha256: hash, missing: missing,
                    journalSequence: journalSequence, createdAt: StoreTransaction.timestamp(), size: bytes.count)
                document.sequence = try tx.addDocument(document, content: bytes)
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
        try transaction { tx, _ in
            let stored = try load(caseId, tx: tx)
            try authorize(actor, caseId: caseId, assignedTo: stored.advocateId)
            try record(actor, includeSafeAddress ? "case.read-with-safe-address" : "case.read", caseId: caseId, detail: "for a document", in: tx)
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
