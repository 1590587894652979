extension StringProtocol {
    /// The string without leading and trailing whitespace (including newlines).
    public func trimmedWhitespace() -> String {
        var view = Substring(self)
        while let first = view.first, first.isWhitespace { view.removeFirst() }
        while let last = view.last, last.isWhitespace { view.removeLast() }
        return String(view)
    }

    /// The lines of a multi-line message (a server's, with libpq's detail)
    /// joined with single spaces, for a one-line error.
    public func joinedLines() -> String {
        split(whereSeparator: \.isNewline).map { $0.trimmedWhitespace() }.filter { !$0.isEmpty }.joined(separator: " ")
    }
}
