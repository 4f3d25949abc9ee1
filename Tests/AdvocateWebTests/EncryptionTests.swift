import Advocate
import AdvocateStore
import Foundation
import TestSupport
import Testing

@Suite("Encryption at rest")
struct EncryptionTests {
    func openCase() throws -> (CaseService, String, String) {
        let (service, _, path) = try TestSupport.service(at: TestSupport.time("2026-11-19T09:00"))
        let id = try service.open(
            workflow: "protective-order", fields: ["client.name": "Rosa Fictional", "client.phone": "555-0199", "client.safe_address": "7 Quiet Court"]
        ).caseId
        _ = try service.send(id, event: "client_moved", fields: ["client.phone": "555-0142"])
        return (service, id, path)
    }

    /// Every byte of the store's files, WAL included.
    func rawBytes(_ path: String) throws -> String {
        var all = Data()
        for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: path + suffix) {
            all.append(try Data(contentsOf: URL(fileURLWithPath: path + suffix)))
        }
        return String(decoding: all, as: UTF8.self)
    }

    @Test("personal fields and documents are not readable in the database file")
    func personalDataIsSealed() throws {
        let (service, id, path) = try openCase()
        let raw = try rawBytes(path)
        for secret in ["Rosa Fictional", "555-0199", "555-0142", "7 Quiet Court"] { #expect(!raw.contains(secret), "\(secret)") }
        // Non-personal data stays readable, and the case reads back whole.
        #expect(raw.contains("client_moved"))
        let details = try service.details(id)
        #expect(details.stored.state.data["client.name"] == .string("Rosa Fictional"))
        #expect(try service.history(id).count == 2)
        let documents = try service.documents(id)
        #expect(!documents.isEmpty)
        #expect(try service.documentContent(id, sequence: documents[0].sequence).starts(with: Array("PK".utf8)))
        #expect(documents[0].size == (try service.documentContent(id, sequence: documents[0].sequence).count))
    }

    @Test("the key file is created beside the store with mode 0600")
    func keyFileMode() throws {
        let (_, _, path) = try openCase()
        let attributes = try FileManager.default.attributesOfItem(atPath: path + ".key")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test("a store others can read is made private again when it is opened")
    func looseStoreIsTightened() throws {
        let (_, _, path) = try openCase()
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        _ = try CaseStore(path: path)
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) == 0o600)
    }

    @Test("without its key file, or with another one, the store refuses to open")
    func wrongKeys() throws {
        let (_, _, path) = try openCase()
        let key = path + ".key"
        let saved = try Data(contentsOf: URL(fileURLWithPath: key))
        try FileManager.default.removeItem(atPath: key)
        #expect(throws: StoreError.self) { try CaseStore(path: path) }
        #expect(!FileManager.default.fileExists(atPath: key), "a missing key file is never replaced by a new one")
        let other = TestSupport.temporaryFolder() + "/other.key"
        _ = try CaseStore(path: TestSupport.temporaryFolder() + "/other.sqlite", keyFile: other)
        #expect(throws: StoreError.self) { try CaseStore(path: path, keyFile: other) }
        _ = FileManager.default.createFile(atPath: key, contents: saved, attributes: [.posixPermissions: 0o644])
        let loose = #expect(throws: StoreError.self) { try CaseStore(path: path) }
        #expect(loose?.description.contains("chmod 600") == true)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key)
        _ = try CaseStore(path: path)
    }

    @Test("a value that looks like the sealed marker is stored as text and read back as text")
    func markerLookalikes() throws {
        let (service, _, _) = try TestSupport.service(at: TestSupport.time("2026-11-19T09:00"))
        let tricky = #"{"$sealed":"k1.AAAA"} and {"sealed":"x"}"#
        let id = try service.open(workflow: "protective-order", fields: ["client.name": tricky, "court.case_number": tricky]).caseId
        let reopened = CaseService(workspace: TestSupport.workspace, store: try CaseStore(path: service.store.path), clock: service.clock)
        let data = try reopened.details(id).stored.state.data
        #expect(data["client.name"] == .string(tricky))
        #expect(data["court.case_number"] == .string(tricky))
    }

    @Test("keys rotate: everything is sealed again with a new key, the old one is retired, nothing is lost")
    func rotation() throws {
        let (service, id, path) = try openCase()
        let before = try service.details(id).stored.state
        let oldKey = service.store.keyRing.currentId
        let rotation = try service.rotateKeys()
        #expect(rotation.oldKeys == [oldKey])
        #expect(rotation.newKey != oldKey)
        #expect(rotation.cases == 1 && rotation.journalEntries == 2 && rotation.documents >= 1)
        let keyText = try String(contentsOfFile: path + ".key", encoding: .utf8)
        #expect(!keyText.contains(oldKey))
        // The retired key is archived (0600) so that older backups of the store can still be read.
        #expect(try String(contentsOfFile: path + ".key.retired", encoding: .utf8).contains(oldKey))
        #expect((try FileManager.default.attributesOfItem(atPath: path + ".key.retired")[.posixPermissions] as? Int) == 0o600)
        // A fresh process with the new key file reads everything.
        let reopened = CaseService(workspace: TestSupport.workspace, store: try CaseStore(path: path), clock: service.clock)
        #expect(try reopened.details(id).stored.state == before)
        #expect(try reopened.history(id).count == 2)
        #expect(try reopened.store.integrityCheck() == "ok")
        // The journal is append-only again afterwards.
        #expect(throws: (any Error).self) { try reopened.store.write { tx in try tx.appendOnlyProbe(id) } }
        #expect(!(try rawBytes(path)).contains("Rosa Fictional"))
    }
}
