internal import Yams

/// The terms and aliases defined in `Glossary/*.yaml`, for checking that workflows refer to real terms.
public enum GlossaryTerms {
    /// Lowercased, accents removed, spaces collapsed: "Citación" and "citacion" match.
    public static func normalize(_ term: String) -> String {
        var result = ""
        var lastWasSpace = true
        for scalar in term.lowercased().decomposedStringWithCanonicalMappingScalars {
            if scalar.properties.isWhitespace {
                if !lastWasSpace { result.unicodeScalars.append(" ") }
                lastWasSpace = true
            } else if scalar.properties.generalCategory != .nonspacingMark {
                result.unicodeScalars.append(scalar)
                lastWasSpace = false
            }
        }
        if result.hasSuffix(" ") { result.removeLast() }
        return result
    }

    /// Terms and aliases (English and Spanish) from these glossary files, normalised.
    public static func load(files: [String]) throws(Diagnostics) -> Set<String> {
        var terms: Set<String> = []
        var problems: [Diagnostic] = []
        for path in files {
            let file: SourceFile
            do { file = try SourceFile.read(path) } catch { problems.append(error); continue }
            let root: Node
            do { root = try file.composeYAML() } catch { problems.append(error); continue }
            guard case .sequence(let list)? = Entries.lookup(root, "terms") else {
                problems.append(file.diagnostic("a glossary file needs a 'terms' list", at: root.mark))
                continue
            }
            for entry in list {
                for key in ["term", "aliases"] {
                    for name in strings(Entries.lookup(entry, key)) { terms.insert(normalize(name)) }
                }
                if let spanish = Entries.lookup(entry, "es") {
                    for key in ["term", "aliases"] {
                        for name in strings(Entries.lookup(spanish, key)) { terms.insert(normalize(name)) }
                    }
                }
            }
        }
        if !problems.isEmpty { throw Diagnostics(problems) }
        return terms
    }

    private static func strings(_ node: Node?) -> [String] {
        switch node {
        case .scalar(let scalar)?: return [scalar.string]
        case .sequence(let list)?: return list.compactMap(\.scalarString)
        default: return []
        }
    }
}

extension String {
    var decomposedStringWithCanonicalMappingScalars: [Unicode.Scalar] {
        // Canonical decomposition without Foundation: enough for Latin accents (é = e + ◌́).
        var result: [Unicode.Scalar] = []
        for scalar in unicodeScalars {
            if let mapped = String.latinDecomposition[scalar] {
                result.append(mapped)
            } else {
                result.append(scalar)
            }
        }
        return result
    }

    private static let latinDecomposition: [Unicode.Scalar: Unicode.Scalar] = {
        var table: [Unicode.Scalar: Unicode.Scalar] = [:]
        let pairs: [(String, Unicode.Scalar)] = [
            ("áàâäãå", "a"), ("éèêë", "e"), ("íìîï", "i"), ("óòôöõ", "o"), ("úùûü", "u"), ("ñ", "n"), ("ç", "c"), ("ý", "y"),
        ]
        for (accented, base) in pairs {
            for scalar in accented.unicodeScalars { table[scalar] = base }
        }
        return table
    }()
}
