import Testing
@testable import RegistryCore

/// The known personas' slugs in one buffer (`PackedStrings`): what is put in at a slot is
/// what is read back there, through removals, reused slots and compactions.
@Suite struct PackedStringsTests {
    @Test func readsBackWhatWasInserted() {
        var strings = PackedStrings()
        let a = strings.insert("developer-con-1")
        let b = strings.insert("")
        let c = strings.insert("caf\u{E9}-\u{1F600}-3")
        #expect(strings[a] == "developer-con-1" && strings[b] == "" && strings[c] == "caf\u{E9}-\u{1F600}-3")
        #expect(strings.holds("developer-con-1", at: a) && !strings.holds("developer-con-2", at: a) && !strings.holds("developer-con-1", at: b))
        #expect(strings.count == 3)
        strings.remove(a)
        #expect(strings.count == 2 && !strings.holds("developer-con-1", at: a))
        #expect(strings.insert("pm-x-4") == a)  // the free slot is reused
        #expect(strings[a] == "pm-x-4" && strings[c] == "caf\u{E9}-\u{1F600}-3")
    }

    @Test func manyInsertsAndRemovalsAgreeWithAModel() {
        var strings = PackedStrings()
        var model: [UInt32: String] = [:]
        var generator = SystemRandomNumberGenerator()
        for step in 0..<40_000 {
            if model.isEmpty || Int.random(in: 0..<3, using: &generator) > 0 && model.count < 5_000 {
                let text = "role-" + String(repeating: "n", count: step % 40) + "-\(step)"
                let slot = strings.insert(text)
                #expect(model[slot] == nil)
                model[slot] = text
            } else {
                let slot = model.keys.randomElement(using: &generator)!
                strings.remove(slot)
                model[slot] = nil
            }
        }
        #expect(strings.count == model.count)
        #expect(model.allSatisfy { strings[$0.key] == $0.value && strings.holds($0.value, at: $0.key) })
        for slot in Array(model.keys) { strings.remove(slot) }
        #expect(strings.count == 0)
        let last = strings.insert("last-1")
        #expect(strings[last] == "last-1")
    }
}
