import Testing
@testable import RegistryCore

/// The watched names in one buffer (`PackedStringSet`): a set of strings with stable slots,
/// agreeing with `Set<String>` through inserts, removals (which shift probes back) and growth.
@Suite struct PackedStringSetTests {
    @Test func aSetWithSlots() {
        var set = PackedStringSet()
        #expect(set.slot(of: "a-b-1") == nil && set.remove("a-b-1") == nil)
        let root = set.insert("")
        let first = set.insert("a-b-1")
        #expect(root.inserted && first.inserted)
        #expect(set.insert("a-b-1") == (first.slot, false))
        #expect(set.slot(of: "") == root.slot && set[first.slot] == "a-b-1" && set.count == 2)
        #expect(set.remove("a-b-1") == first.slot && set.slot(of: "a-b-1") == nil && set.count == 1)
        #expect(set.slot(of: "") == root.slot)
    }

    @Test func agreesWithASetThroughManyChanges() {
        var set = PackedStringSet()
        var model: [String: UInt32] = [:]
        var generator = SystemRandomNumberGenerator()
        for step in 0..<30_000 {
            let text = "developer-p-\(Int.random(in: 0..<4_000, using: &generator))"
            if Bool.random(using: &generator) || step < 2_000 {
                let (slot, inserted) = set.insert(text)
                #expect(inserted == (model[text] == nil))
                if let known = model[text] { #expect(known == slot) }
                model[text] = slot
            } else {
                #expect(set.remove(text) == model.removeValue(forKey: text))
            }
        }
        #expect(set.count == model.count)
        for step in 0..<4_000 {
            let text = "developer-p-\(step)"
            #expect(set.slot(of: text) == model[text])
            if let slot = model[text] { #expect(set[slot] == text) }
        }
    }
}
