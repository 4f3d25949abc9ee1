public import AdvocateCore
internal import AdvocateXML

/// Draws a workflow's tracks, states and transitions as Graphviz DOT, Mermaid, GraphML or an indented outline.
public enum WorkflowDiagram {
    public enum Format: String, Sendable, CaseIterable {
        case text, dot, mermaid, graphml
    }

    struct Edge {
        var from: String
        var to: String
        var label: String
    }

    static func edges(_ track: TrackDefinition) -> [Edge] {
        var edges: [Edge] = []
        for state in track.states {
            for (event, transitions) in state.transitions.sorted(by: { $0.key < $1.key }) {
                for transition in transitions {
                    guard let target = transition.target else { continue }
                    edges.append(Edge(from: state.name, to: target, label: label(event, transition)))
                }
            }
            for timer in state.timers {
                guard let target = timer.target else { continue }
                edges.append(Edge(from: state.name, to: target, label: "at \(timer.at.source)"))
            }
        }
        return edges
    }

    /// An event with its guard: `petition_filed [petition.ex_parte_requested]`.
    static func label(_ event: String, _ transition: TransitionDefinition) -> String {
        event + (transition.guardExpression.map { " [\($0.source)]" } ?? "")
    }

    public static func render(_ definition: WorkflowDefinition, as format: Format) -> String {
        switch format {
        case .text: return text(definition)
        case .dot: return dot(definition)
        case .mermaid: return mermaid(definition)
        case .graphml: return graphml(definition)
        }
    }

    static func text(_ definition: WorkflowDefinition) -> String {
        var lines = ["\(definition.title) (\(definition.id) v\(definition.version))", ""]
        for track in definition.tracks {
            lines.append("Track \(track.name): \(track.title)")
            let edges = edges(track)
            for state in track.states {
                let marks = (state.name == track.start ? " (start)" : "") + (state.terminal ? " (end)" : "")
                lines.append("  \(state.name)\(marks): \(state.title)")
                for edge in edges where edge.from == state.name { lines.append("    \(edge.label) -> \(edge.to)") }
                // Events that change the case without moving the track still belong to the state.
                for (event, transitions) in state.transitions.sorted(by: { $0.key < $1.key }) {
                    for transition in transitions where transition.target == nil {
                        lines.append("    \(label(event, transition)) (stays)")
                    }
                }
                for timer in state.timers where timer.target == nil { lines.append("    at \(timer.at.source) (stays)") }
            }
            lines.append("")
        }
        let anytime = definition.events.values.filter(\.anytime).map(\.name).sorted()
        if !anytime.isEmpty {
            lines.append("Any time the case is open: \(anytime.joined(separator: ", "))")
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    static func dot(_ definition: WorkflowDefinition) -> String {
        var lines = ["digraph \"\(escape(definition.id))\" {", "  rankdir=LR;", "  node [shape=box, style=rounded];"]
        for track in definition.tracks {
            lines.append("  subgraph \"cluster_\(escape(track.name))\" {")
            lines.append("    label=\"\(escape(track.title))\";")
            for state in track.states {
                let shape = state.terminal ? ", peripheries=2" : ""
                lines.append("    \"\(escape(track.name)).\(escape(state.name))\" [label=\"\(escape(state.title))\"\(shape)];")
            }
            lines.append("    \"\(escape(track.name)).__start\" [shape=point];")
            lines.append("    \"\(escape(track.name)).__start\" -> \"\(escape(track.name)).\(escape(track.start))\";")
            for edge in edges(track) {
                lines.append("    \"\(escape(track.name)).\(escape(edge.from))\" -> \"\(escape(track.name)).\(escape(edge.to))\" [label=\"\(escape(edge.label))\"];")
            }
            lines.append("  }")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    static func mermaid(_ definition: WorkflowDefinition) -> String {
        var lines = ["stateDiagram-v2"]
        for track in definition.tracks {
            lines.append("  state \"\(track.title)\" as \(track.name) {")
            for state in track.states { lines.append("    \(track.name)_\(state.name) : \(state.title.replacingColons)") }
            lines.append("    [*] --> \(track.name)_\(track.start)")
            for edge in edges(track) { lines.append("    \(track.name)_\(edge.from) --> \(track.name)_\(edge.to) : \(edge.label.replacingColons)") }
            for state in track.states where state.terminal { lines.append("    \(track.name)_\(state.name) --> [*]") }
            lines.append("  }")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// GraphML for graph editors (yEd, Gephi), written through libxml2 so every label is escaped.
    static func graphml(_ definition: WorkflowDefinition) -> String {
        let xml = XMLWriter()
        xml.start("graphml", [("xmlns", "http://graphml.graphdrawing.org/xmlns")])
        xml.start("key", [("id", "label"), ("for", "all"), ("attr.name", "label"), ("attr.type", "string")])
        xml.end()
        xml.start("key", [("id", "terminal"), ("for", "node"), ("attr.name", "terminal"), ("attr.type", "boolean")])
        xml.end()
        xml.start("graph", [("id", definition.id), ("edgedefault", "directed")])
        for track in definition.tracks {
            for state in track.states {
                xml.start("node", [("id", "\(track.name).\(state.name)")])
                xml.element("data", [("key", "label")], text: "\(track.title): \(state.title)")
                xml.element("data", [("key", "terminal")], text: state.terminal ? "true" : "false")
                xml.end()
            }
            for (index, edge) in edges(track).enumerated() {
                xml.start("edge", [("id", "\(track.name).e\(index)"), ("source", "\(track.name).\(edge.from)"), ("target", "\(track.name).\(edge.to)")])
                xml.element("data", [("key", "label")], text: edge.label)
                xml.end()
            }
        }
        return xml.finish()
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            if c == "\"" || c == "\\" { out.append("\\") }
            out.append(c == "\n" ? " " : c)
        }
        return out
    }
}

extension String {
    fileprivate var replacingColons: String { String(map { $0 == ":" ? "-" : $0 }) }
}
