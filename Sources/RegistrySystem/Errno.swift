import Glibc

/// An `errno` value, as swift-system's `Errno`: an open struct whose constants callers
/// match (`error.errno == .fileExists`) without importing Glibc.
public struct Errno: RawRepresentable, Hashable, Sendable {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// `strerror`, e.g. "No such file or directory".
    public var message: String { String(cString: strerror(rawValue)) }

    /// The calling thread's `errno` now.
    package static var current: Errno { Errno(rawValue: Glibc.errno) }

    public static let notPermitted = Errno(rawValue: EPERM)
    public static let noSuchFileOrDirectory = Errno(rawValue: ENOENT)
    public static let noSuchProcess = Errno(rawValue: ESRCH)
    public static let interrupted = Errno(rawValue: EINTR)
    public static let ioError = Errno(rawValue: EIO)
    public static let permissionDenied = Errno(rawValue: EACCES)
    public static let fileExists = Errno(rawValue: EEXIST)
    public static let improperLink = Errno(rawValue: EXDEV)
    public static let notDirectory = Errno(rawValue: ENOTDIR)
    public static let invalidArgument = Errno(rawValue: EINVAL)
    public static let tooManyOpenFiles = Errno(rawValue: EMFILE)
    public static let fileTooLarge = Errno(rawValue: EFBIG)
    public static let noSpace = Errno(rawValue: ENOSPC)
    public static let readOnlyFileSystem = Errno(rawValue: EROFS)
    public static let tooManyLinks = Errno(rawValue: EMLINK)
    public static let wouldBlock = Errno(rawValue: EWOULDBLOCK)
    public static let noFunction = Errno(rawValue: ENOSYS)
    public static let tooManySymbolicLinkLevels = Errno(rawValue: ELOOP)
    public static let notSupported = Errno(rawValue: EOPNOTSUPP)
    public static let illegalByteSequence = Errno(rawValue: EILSEQ)
}
