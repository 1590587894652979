extension StringProtocol {
    /// The string without leading and trailing whitespace (including newlines).
    public func trimmedWhitespace() -> String {
        var view = Substring(self)
        while let first = view.first, first.isWhitespace { view.removeFirst() }
        while let last = view.last, last.isWhitespace { view.removeLast() }
        return String(view)
    }
}
