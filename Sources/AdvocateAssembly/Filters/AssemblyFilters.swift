public import AdvocateCore

extension FilterLibrary {
    /// The filters templates use: the standard ones plus dates, money, numbers, ordinals,
    /// plurals, "A, B and C" lists and, given a glossary lookup, `explain`.
    ///
    /// `explain` looks a term up with `define(term, language)` and prints its plain-language
    /// definition; without a lookup it is unknown.
    public static func assembly(define: (@Sendable (String, String) -> String?)? = nil) -> FilterLibrary {
        var filters: [Filter] = [
            Filter("date", arity: 0...2, resultType: { accepts($0, [.date, .dateTime]) ? .string : nil }) { value, arguments throws(EvaluationError) in
                try DateFormat.apply(value, arguments)
            },
            Filter("money", arity: 0...1, resultType: { accepts($0, [.money, .number]) ? .string : nil }) { value, arguments throws(EvaluationError) in
                guard let cents = try NumberFormat.cents(value) else { return .null }
                let decimals = try NumberFormat.decimals(arguments.first, default: 2)
                return .string(NumberFormat.money(cents: cents, decimals: decimals))
            },
            Filter("number", arity: 0...1, resultType: { accepts($0, [.money, .number]) ? .string : nil }) { value, arguments throws(EvaluationError) in
                let decimals = try NumberFormat.decimals(arguments.first, default: 0)
                switch value {
                case .null: return .null
                case .number(let n): return .string(NumberFormat.grouped(n, decimals: decimals))
                case .money(let m): return .string(NumberFormat.grouped(Double(m) / 100, decimals: decimals))
                case .string(let s):
                    guard let n = Double(s) else { throw EvaluationError("number needs a number, not text that does not read as one") }
                    return .string(NumberFormat.grouped(n, decimals: decimals))
                default: throw EvaluationError("number needs a number, not a \(value.typeName)")
                }
            },
            Filter("ordinal", arity: 0...1, resultType: { accepts($0, [.number]) ? .string : nil }) { value, arguments throws(EvaluationError) in
                guard let n = try NumberFormat.integer(value, "ordinal") else { return .null }
                return .string(NumberFormat.ordinal(n, language: try language(arguments.first)))
            },
            Filter("plural", arity: 1...2, resultType: { accepts($0, [.number, .list(.any)]) ? .string : nil }) { value, arguments throws(EvaluationError) in
                let count: Int
                switch value {
                case .list(let items): count = items.count
                case .null: count = 0
                default: count = try NumberFormat.integer(value, "plural") ?? 0
                }
                let singular = arguments[0].text
                let plural = arguments.count > 1 ? arguments[1].text : singular + "s"
                return .string("\(count) \(count == 1 ? singular : plural)")
            },
            Filter("and_list", arity: 0...1, resultType: { accepts($0, [.list(.any)]) ? .string : nil }) { value, arguments throws(EvaluationError) in
                try andList(value, arguments)
            },
            Filter("comma_and_list", arity: 0...1, resultType: { accepts($0, [.list(.any)]) ? .string : nil }) { value, arguments throws(EvaluationError) in
                try andList(value, arguments)
            },
        ]
        if let define {
            filters.append(
                Filter("explain", arity: 0...1, resultType: { $0.isStringLike || $0 == .null ? .string : nil }) { value, arguments throws(EvaluationError) in
                    guard case .string(let term) = value else {
                        if value.isNull { return .null }
                        throw EvaluationError("explain needs a term (text), not a \(value.typeName)")
                    }
                    let language = try language(arguments.first)
                    // The term may come from case data: the message never repeats it.
                    guard let definition = define(term, language) else { throw EvaluationError("explain was given a term the glossary does not have ('advocate glossary search' finds terms)") }
                    return .string(definition)
                })
        }
        return FilterLibrary.standard.adding(filters)
    }

    private static func accepts(_ type: ValueType, _ allowed: [ValueType]) -> Bool {
        switch type {
        case .any, .null, .string: return true
        case .list: return allowed.contains { if case .list = $0 { return true } else { return false } }
        default: return allowed.contains(type)
        }
    }

    static func language(_ argument: Value?) throws(EvaluationError) -> String {
        guard let argument else { return "en" }
        let code = argument.text.lowercased()
        guard code == "en" || code == "es" else { throw EvaluationError("the language must be \"en\" or \"es\"") }
        return code
    }

    private static func andList(_ value: Value, _ arguments: [Value]) throws(EvaluationError) -> Value {
        let items: [String]
        switch value {
        case .null: return .null
        case .list(let list): items = list.map(\.text).filter { !$0.isEmpty }
        default: items = [value.text]
        }
        var conjunction = "and"
        var spanish = false
        if let argument = arguments.first {
            switch argument.text.lowercased() {
            case "en": conjunction = "and"
            case "es": conjunction = "y"; spanish = true
            default: conjunction = argument.text
            }
        }
        guard let last = items.last else { return .string("") }
        if items.count == 1 { return .string(last) }
        // Spanish writes "e" for "y" before a word that starts with an "i" sound (Ana e Isabel).
        if spanish {
            let start = last.lowercased().prefix(2)
            if start.hasPrefix("i") || start.hasPrefix("í") || start == "hi" || start == "hí" {
                if !last.lowercased().hasPrefix("hia"), !last.lowercased().hasPrefix("hie") { conjunction = "e" }
            }
        }
        return .string(items.dropLast().joined(separator: ", ") + " \(conjunction) " + last)
    }
}

/// Money and number formatting in US style (`$1,250.50`, `1,250`).
enum NumberFormat {
    static func cents(_ value: Value) throws(EvaluationError) -> Int64? {
        switch value {
        case .null: return nil
        case .money(let m): return m
        case .number(let n):
            guard n.isFinite, abs(n) < 9e15 else { throw EvaluationError("money needs an amount within range") }
            return Int64((n * 100).rounded())
        case .string(let s):
            guard let cents = Value.parseMoney(s) else { throw EvaluationError("money needs an amount, not text that does not read as one") }
            return cents
        default: throw EvaluationError("money needs an amount, not a \(value.typeName)")
        }
    }

    static func decimals(_ argument: Value?, default fallback: Int) throws(EvaluationError) -> Int {
        guard let argument else { return fallback }
        guard case .number(let n) = argument, n >= 0, n <= 6, n == n.rounded() else {
            throw EvaluationError("the number of decimals must be a whole number from 0 to 6")
        }
        return Int(n)
    }

    static func integer(_ value: Value, _ filter: String) throws(EvaluationError) -> Int? {
        switch value {
        case .null: return nil
        case .number(let n) where n == n.rounded() && abs(n) < 1e15: return Int(n)
        case .string(let s): if let n = Int(s) { return n }
        default: break
        }
        throw EvaluationError("\(filter) needs a whole number, not \(value.typeName == "number" ? "a fraction" : "a " + value.typeName)")
    }

    static func money(cents: Int64, decimals: Int) -> String {
        let negative = cents < 0
        let magnitude = cents.magnitude
        var text = "$" + group(String(decimals == 0 ? (magnitude + 50) / 100 : magnitude / 100))
        if decimals > 0 {
            let fraction = magnitude % 100
            text += "." + (fraction < 10 ? "0" : "") + String(fraction) + String(repeating: "0", count: max(0, decimals - 2))
        }
        return negative ? "-" + text : text
    }

    static func grouped(_ n: Double, decimals: Int) -> String {
        guard n.isFinite else { return String(n) }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(n) * scale).rounded()
        guard scaled < 9e15 else { return String(n) }
        let units = UInt64(scaled)
        let whole = units / UInt64(scale)
        var text = group(String(whole))
        if decimals > 0 {
            let fraction = String(units % UInt64(scale))
            text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
        }
        return (n < 0 && scaled != 0 ? "-" : "") + text
    }

    private static func group(_ digits: String) -> String {
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return result
    }

    static func ordinal(_ n: Int, language: String) -> String {
        if language == "es" { return "\(n).º" }
        let tens = abs(n) % 100
        let suffix = (11...13).contains(tens) ? "th" : ["th", "st", "nd", "rd", "th", "th", "th", "th", "th", "th"][abs(n) % 10]
        return "\(n)\(suffix)"
    }
}
