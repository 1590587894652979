import Testing
@testable import RegistryCore

@Suite struct RegistryNotificationTests {
    @Test func parsesTheTriggersPayload() {
        #expect(RegistryNotification(payload: #"{"table" : "persona", "op" : "insert", "id" : 7}"#)
            == RegistryNotification(table: .persona, op: .insert, id: 7))
        #expect(RegistryNotification(payload: #"{"id":3,"op":"update","table":"role"}"#)
            == RegistryNotification(table: .role, op: .update, id: 3))
        #expect(RegistryNotification(payload: #"{"table" : "persona", "op" : "delete", "id" : 2147483647}"#)?.op == .delete)
    }

    @Test(arguments: ["", "null", "{}", "[1]", #"{"table":"agent","op":"insert","id":1}"#,
                      #"{"table":"persona","op":"truncate","id":1}"#, #"{"table":"persona","op":"insert","id":"x"}"#,
                      #"{"table":"persona","op":"insert"}"#, "not json",
                      #"{"table":"persona","op":"update","id":2147483648}"#, #"{"table":"role","op":"update","id":-2147483649}"#])
    func rejectsWhatIsNotOurs(_ payload: String) {
        #expect(RegistryNotification(payload: payload) == nil)
    }

    /// The triggers' own text, as `json_build_object(...)::text` writes it.
    static let triggersPayloads = [
        #"{"table" : "persona", "op" : "insert", "id" : 7}"#, #"{"table" : "persona", "op" : "update", "id" : 0}"#,
        #"{"table" : "persona", "op" : "delete", "id" : 2147483647}"#, #"{"table" : "role", "op" : "update", "id" : 12}"#,
        #"{"table" : "role", "op" : "insert", "id" : 1}"#, #"{"table" : "role", "op" : "delete", "id" : 99}"#,
    ]

    @Test("the triggers' own payloads are read by the direct reader, to the same notification as the general one")
    func triggersFormIsRead() throws {
        for payload in Self.triggersPayloads {
            let direct = try #require(RegistryNotification.triggersForm(payload), "\(payload)")
            #expect(direct == RegistryNotification(anyForm: payload))
        }
    }

    @Test("anything else the direct reader leaves to the general one, which decides as it always did",
          arguments: [#"{"table" : "persona", "op" : "insert", "id" : 2147483648}"#, #"{"table" : "persona", "op" : "insert", "id" : 01}"#,
                      #"{"table" : "persona", "op" : "insert", "id" : -1}"#, #"{"table" : "persona", "op" : "insert", "id" : 12345678901}"#,
                      #"{"table" : "persona", "op" : "insert", "id" : 7} "#, #"{"table" : "persona", "op" : "insert", "id" : 7, "x" : 1}"#,
                      #"{"table" : "Persona", "op" : "insert", "id" : 7}"#, #"{"table" : "pers\u006fna", "op" : "insert", "id" : 7}"#,
                      #"{"table" : "agent", "op" : "insert", "id" : 7}"#, #"{"table" : "persona", "op" : "", "id" : 7}"#,
                      #"{"table" : "persona", "op" : "insert", "id" : }"#, #"{"table" : "persona", "op" : "insert", "id" : 7"#,
                      #"{"table":"persona","op":"insert","id":7}"#, #"{"op" : "insert", "table" : "persona", "id" : 7}"#, ""])
    func otherFormsAreLeftToTheGeneralReader(_ payload: String) {
        #expect(RegistryNotification.triggersForm(payload) == nil)
        #expect(RegistryNotification(payload: payload) == RegistryNotification(anyForm: payload))
    }
}
