/// An error whose message is several lines (one per row it names, say): each is
/// escaped on its own when printed, so the line breaks stay line breaks.
public protocol MultilineError: Error {
    var lines: [String] { get }
}
