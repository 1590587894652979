/// A plain-text table with a header row, columns padded to their widest cell.
public struct TextTable: Sendable {
    public var header: [String]
    public var rows: [[String]]

    public init(header: [String], rows: [[String]]) {
        self.header = header
        self.rows = rows
    }

    /// Each cell escaped to one line, then laid out by `TextColumns` (the one column layout).
    public func render() -> String {
        TextColumns(rows: ([header] + rows).map { $0.map(Self.singleLine) }).render(trimmed: false).joined(separator: "\n")
    }

    /// Line breaks, tabs and terminal controls shown escaped, so a record stays one line.
    static func singleLine(_ text: String) -> String {
        Escaping.escaped(text)
    }
}
