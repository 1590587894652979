import Glibc

/// A file descriptor this process opened and closes exactly once, when the
/// owner goes away.
public final class OwnedDescriptor {
    public let rawValue: Int32

    public init(_ rawValue: Int32) {
        self.rawValue = rawValue
    }

    deinit {
        close(rawValue)
    }
}
