/// An error that can say what went wrong without the file it went wrong with:
/// `ENOSPC` is "No space left on device" whatever the file, so the entries one
/// cause stops are one kind of failure, logged once and retried together.
public protocol KindedError: Error {
    var kind: String { get }
}

public enum FailureKind {
    /// The kind of `error`: its own (`KindedError`), or else its whole message.
    public static func of(_ error: any Error) -> String {
        (error as? KindedError)?.kind ?? "\(error)"
    }
}
