import Foundation
import Testing
@testable import RegistryCore

@Suite struct FlatJSONObjectTests {
    private struct Decoded: Decodable, Equatable {
        var table: String
        var op: String
        var id: Int
    }

    @Test(arguments: [
        #"{"table" : "persona", "op" : "insert", "id" : 7}"#,
        #"{"table":"role","op":"update","id":0}"#,
        #"{"id":3,"op":"delete","table":"persona"}"#,
        " {\n\t\"table\" :\"persona\" ,\r\n \"op\": \"insert\", \"id\" : 12 } ",
        #"{"table":"persona","op":"insert","id":-5,"extra":"x","flag":true,"none":null}"#,
        #"{"table":"pers\/ona","op":"insert","id":1}"#,
        #"{"table":"persona","op":"insert","id":9223372036854775807}"#,
    ])
    func agreesWithJSONDecoderOnWhatItAccepts(_ payload: String) throws {
        let members = try #require(FlatJSONObject.parse(payload))
        let decoded = try JSONDecoder().decode(Decoded.self, from: Data(payload.utf8))
        #expect(members["table"] == .string(decoded.table))
        #expect(members["op"] == .string(decoded.op))
        #expect(members["id"] == .integer(decoded.id))
    }

    @Test(arguments: [
        "", "{", "}", "[]", "null", #"{"a":1}x"#, #"{"a":1}{"b":2}"#, #"{"a":1,}"#, #"{,"a":1}"#, #"{"a" 1}"#,
        #"{"a":[1]}"#, #"{"a":{"b":1}}"#, #"{"a":7.0}"#, #"{"a":1e3}"#, #"{"a":07}"#, #"{"a":-}"#,
        #"{"a":99999999999999999999}"#, #"{"a":"x}"#, "{\"a\":\"line\nbreak\"}", #"{"a":"\q"}"#,
        #"{"a":"\u0041"}"#, #"{a:1}"#, #"{"a":tru}"#, #"{"a":'x'}"#,
    ])
    func refusesAnythingElse(_ payload: String) {
        #expect(FlatJSONObject.parse(payload) == nil)
    }

    @Test func readsEveryKindOfValueAndEscape() {
        #expect(FlatJSONObject.parse(#"{"s":"a\"b\\c\/d\n","t":true,"f":false,"n":null,"i":-42,"s":"last"}"#)
                == ["s": .string("last"), "t": .boolean(true), "f": .boolean(false), "n": .null, "i": .integer(-42)])
        #expect(FlatJSONObject.parse(#"{"s":"a\"b\\c\/d\n\t\r\b\f"}"#) == ["s": .string("a\"b\\c/d\n\t\r\u{8}\u{C}")])
        #expect(FlatJSONObject.parse(#"{"é":"✓"}"#) == ["é": .string("✓")])
        #expect(FlatJSONObject.parse("{}") == [:])
    }
}
