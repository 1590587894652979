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
}
