import Testing
import RegistryCore
@testable import RegistryDatabase

/// Every check of migrations 0001 and 0002 on a name or a description, for
/// both tables, told to the operator as the `TableError` it means.
@Suite("the tables' name and description checks, explained")
struct NameChecksTests {
    func explained(_ code: PostgresError.Code, _ constraint: String?, _ table: TableError.Table) -> TableError? {
        let error = PostgresError(code: code, message: "refused", constraint: constraint)
        return NameChecks.explain(error, table: table, name: "ab\u{301}c", nameLimit: 2)
    }

    @Test("each constraint of either table", arguments: [TableError.Table.role, .persona])
    func constraints(table: TableError.Table) {
        let name = table.rawValue + "_"
        #expect(explained(.checkViolation, name + "name_not_blank", table) == .blankName(table))
        #expect(explained(.checkViolation, name + "name_visible", table) == .blankName(table))
        #expect(explained(.notNullViolation, nil, table) == .blankName(table))
        #expect(explained(.checkViolation, name + "name_no_control", table) == .controlCharacters(table))
        #expect(explained(.checkViolation, name + "name_no_c1_control", table) == .controlCharacters(table))
        #expect(explained(.checkViolation, name + "name_no_bidi_control", table) == .bidirectionalControls(table))
        #expect(explained(.checkViolation, name + "name_length", table) == .nameTooLong(table, limit: 2, length: 4))
        #expect(explained(.checkViolation, name + "description_length", table) == .descriptionTooLong(table, limit: 8000))
    }

    @Test("another table's constraint, another check or another error is not one of these")
    func others() {
        #expect(explained(.checkViolation, "role_name_not_blank", .persona) == nil)
        #expect(explained(.checkViolation, "persona_slug_format", .persona) == nil)
        #expect(explained(.uniqueViolation, "role_name_key", .role) == nil)
        #expect(explained(.checkViolation, nil, .role) == nil)
    }
}
