/// Left-aligned columns separated by two spaces; the last column is not padded. Cells are
/// laid out as given: escaping them is the caller's (`TextTable`, the drift and reconcile
/// reports).
struct TextColumns {
    var rows: [[String]] = []

    /// `trimmed`: no line ends in spaces (the reports); a table keeps the padding before an
    /// empty last cell, so every row of `role list` has the same shape.
    func render(indent: String = "", trimmed: Bool = true) -> [String] {
        guard let width = rows.map(\.count).max() else { return [] }
        var widths = [Int](repeating: 0, count: width)
        for row in rows {
            for (index, cell) in row.enumerated() where index < width - 1 {
                widths[index] = max(widths[index], cell.count)
            }
        }
        return rows.map { row in
            var line = indent
            for (index, cell) in row.enumerated() {
                if index == row.count - 1 {
                    line += cell
                } else {
                    line += cell + String(repeating: " ", count: widths[index] - cell.count + 2)
                }
            }
            while trimmed, line.hasSuffix(" ") { line.removeLast() }
            return line
        }
    }
}
