/// A persona directory's identity file, read and parsed.
public enum IdentityState: Sendable, Equatable {
    case missing
    case valid(IdentityFields)
    case invalid(InvalidIdentityReason)

    /// Parses what reading the file found.
    public init(_ read: IdentityRead) {
        switch read {
        case .missing: self = .missing
        case .notRegularFile(let type): self = .invalid(.notRegularFile(type))
        case .tooLarge(let size): self = .invalid(.tooLarge(size: size))
        case .unreadable(let error): self = .invalid(.unreadable(error))
        case .contents(let bytes):
            do {
                self = .valid(try IdentityDecoder.decode(bytes))
            } catch {
                self = .invalid(error)
            }
        }
    }
}
