/// A change notification from the schema's triggers on the channel
/// `persona_registry`: `{"table" : "persona", "op" : "insert", "id" : 7}`.
/// Made only from a payload (`init(payload:)`), so it has no public memberwise initializer.
public struct RegistryNotification: Sendable, Equatable {
    public static let channel = "persona_registry"

    public enum Table: String, Sendable {
        case persona, role
    }

    public enum Operation: String, Sendable {
        case insert, update, delete
    }

    public var table: Table
    public var op: Operation
    public var id: Int
}

extension RegistryNotification {
    /// Parses a payload; `nil` for anything that is not one of ours (the
    /// daemon logs it and sweeps rather than guessing). Both layouts' ids are `integer`
    /// columns: an id outside their range no trigger sent, and asked for it would fail the
    /// batch's query (`$1::integer[]`) with the real ids beside it.
    public init?(payload: String) {
        if let notification = Self.triggersForm(payload) {
            self = notification
            return
        }
        self.init(anyForm: payload)
    }

    /// Any JSON object with the three members (the general reader: `FlatJSONObject`).
    init?(anyForm payload: String) {
        guard let members = FlatJSONObject.parse(payload),
              case .string(let table)? = members["table"], let table = Table(rawValue: table),
              case .string(let op)? = members["op"], let op = Operation(rawValue: op),
              case .integer(let id)? = members["id"], Int32(exactly: id) != nil else { return nil }
        self.init(table: table, op: op, id: id)
    }
}
