internal import Foundation
public import AdvocateGlossary

/// A compiled copy of the glossary, so commands need not parse 300 KB of YAML each time.
///
/// It lives in the user's cache folder, named by a fingerprint of the glossary files (paths,
/// sizes, modification times): any edit makes a new name, so a stale copy is never read. It is
/// only an optimisation; when it cannot be read or written, the YAML is parsed as usual.
extension GlossaryLoader {
    static let cacheFormat = 1

    /// `$XDG_CACHE_HOME/advocate`, or `~/.cache/advocate`.
    public static func defaultCacheFolder() -> String {
        let environment = ProcessInfo.processInfo.environment
        let base = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.cache")
        return base + "/advocate"
    }

    /// Loads through the cache in `cacheFolder`.
    public static func load(folder: String, overlay: String? = nil, cacheFolder: String) -> (Glossary, [Diagnostic]) {
        let files = self.files(in: folder) + (overlay.map(self.files(in:)) ?? [])
        guard let fingerprint = fingerprint(files) else { return load(folder: folder, overlay: overlay) }
        let path = "\(cacheFolder)/glossary-\(fingerprint).json"
        if let cached = readCache(path) { return cached }
        let loaded = load(folder: folder, overlay: overlay)
        writeCache(loaded.0, loaded.1, to: path, folder: cacheFolder)
        return loaded
    }

    static func fingerprint(_ files: [String]) -> String? {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ text: String) {
            for byte in text.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
        }
        mix("format \(cacheFormat)")
        for file in files {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: file),
                let size = attributes[.size] as? NSNumber, let modified = attributes[.modificationDate] as? Date
            else { return nil }
            mix("\(file)|\(size)|\(modified.timeIntervalSince1970)\n")
        }
        return String(hash, radix: 16)
    }

    static func readCache(_ path: String) -> (Glossary, [Diagnostic])? {
        guard let data = FileManager.default.contents(atPath: path),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            object["format"] as? Int == cacheFormat, let rawEntries = object["entries"] as? [[Any]],
            let rawCategories = object["categories"] as? [[String]], let rawDiagnostics = object["diagnostics"] as? [[Any]]
        else { return nil }
        var entries: [GlossaryEntry] = []
        entries.reserveCapacity(rawEntries.count)
        for row in rawEntries {
            guard row.count == 11, let term = row[0] as? String, let aliases = row[1] as? [String], let category = row[2] as? String,
                let related = row[3] as? [String], let definition = row[4] as? String, let example = row[5] as? String, let esTerm = row[6] as? String,
                let esAliases = row[7] as? [String], let esDefinition = row[8] as? String, let esExample = row[9] as? String, let source = row[10] as? String
            else { return nil }
            entries.append(
                GlossaryEntry(
                    term: term, aliases: aliases, category: category, related: related, definition: definition, example: example,
                    spanish: .init(term: esTerm, aliases: esAliases, definition: esDefinition, example: esExample), source: source))
        }
        let categories = rawCategories.compactMap { $0.count == 3 ? GlossaryCategory(id: $0[0], title: $0[1], titleSpanish: $0[2]) : nil }
        var diagnostics: [Diagnostic] = []
        for row in rawDiagnostics {
            guard row.count == 6, let file = row[0] as? String, let line = row[1] as? Int, let column = row[2] as? Int,
                let severity = (row[3] as? String).flatMap(Diagnostic.Severity.init(rawValue:)), let message = row[4] as? String
            else { return nil }
            diagnostics.append(Diagnostic(file: file, line: line, column: column, severity: severity, message: message, sourceLine: row[5] as? String))
        }
        return (Glossary(entries: entries, categories: categories), diagnostics)
    }

    static func writeCache(_ glossary: Glossary, _ diagnostics: [Diagnostic], to path: String, folder: String) {
        let object: [String: Any] = [
            "format": cacheFormat,
            "entries": glossary.entries.map { e -> [Any] in
                [e.term, e.aliases, e.category, e.related, e.definition, e.example, e.spanish.term, e.spanish.aliases, e.spanish.definition, e.spanish.example, e.source]
            },
            "categories": glossary.categories.map { [$0.id, $0.title, $0.titleSpanish] },
            "diagnostics": diagnostics.map { [$0.file, $0.line, $0.column, $0.severity.rawValue, $0.message, $0.sourceLine ?? NSNull()] as [Any] },
        ]
        guard let data = try? JSONSerialization.data(withJSONObject: object) else { return }
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try? data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
