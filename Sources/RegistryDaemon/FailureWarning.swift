/// A write that may keep failing (a full disk, a directory the service may not write): one
/// warning when it starts failing, none while it goes on, one again only after it has worked.
struct FailureWarning {
    private var failing = false

    mutating func run(_ body: () throws -> Void, warn: (Error) -> Void) {
        do {
            try body()
            failing = false
        } catch {
            if !failing { warn(error) }
            failing = true
        }
    }
}
