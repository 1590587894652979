/// An optional property that `Encodable` writes as `null` when it is absent,
/// where the synthesized encoder would leave its key out: the JSON of
/// `role list` and `persona list` has every field of a row, always
/// (`"description": null`), so a reader need not tell a missing key from a null.
@propertyWrapper
public struct NullWhenAbsent<Value: Encodable & Sendable & Equatable>: Encodable, Sendable, Equatable {
    public var wrappedValue: Value?

    public init(wrappedValue: Value?) {
        self.wrappedValue = wrappedValue
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }
}
