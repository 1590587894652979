#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A change notification from the schema's triggers on the channel
/// `persona_registry`: `{"table" : "persona", "op" : "insert", "id" : 7}`.
public struct RegistryNotification: Sendable, Equatable, Decodable {
    public static let channel = "persona_registry"

    public enum Table: String, Sendable, Decodable {
        case persona, role
    }

    public enum Operation: String, Sendable, Decodable {
        case insert, update, delete
    }

    public var table: Table
    public var op: Operation
    public var id: Int

    public init(table: Table, op: Operation, id: Int) {
        self.table = table
        self.op = op
        self.id = id
    }

    /// Parses a payload; `nil` for anything that is not one of ours (the
    /// daemon logs it and sweeps rather than guessing).
    public init?(payload: String) {
        guard let value = try? JSONDecoder().decode(RegistryNotification.self, from: Data(payload.utf8)) else {
            return nil
        }
        self = value
    }
}
