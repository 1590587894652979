/// Strings kept as bytes in one buffer, each at a stable slot: what the daemon holds per
/// persona for as long as it runs (the known personas' slugs). A `String` per entry costs a
/// heap object of its own (a slug is longer than the 15 bytes kept inline) and a dictionary
/// entry of 16 bytes; here a slug is its bytes and 8 bytes of span (about 100 bytes less a
/// persona, 10 MB at 100,000).
public struct PackedStrings: Sendable {
    /// Where a slot's bytes are; `length == .max`: a free slot.
    private struct Span: Sendable {
        var offset: UInt32
        var length: UInt32
    }

    private var bytes: [UInt8] = []
    private var spans: [Span] = []
    private var freeSlots: [UInt32] = []
    /// Bytes of removed strings still in `bytes`: compacted away once they are half of it.
    private var garbage = 0

    public init() {}

    /// How many strings are held.
    public var count: Int { spans.count - freeSlots.count }

    /// Keeps `text`; returns its slot (a free one reused first).
    public mutating func insert(_ text: String) -> UInt32 {
        let offset = UInt32(bytes.count)
        bytes += text.utf8
        let span = Span(offset: offset, length: UInt32(bytes.count) - offset)
        if let slot = freeSlots.popLast() {
            spans[Int(slot)] = span
            return slot
        }
        spans.append(span)
        return UInt32(spans.count - 1)
    }

    /// The string at `slot` (which must hold one).
    public subscript(slot: UInt32) -> String {
        let span = spans[Int(slot)]
        precondition(span.length != .max, "PackedStrings: slot \(slot) is free")
        return bytes.withUnsafeBufferPointer { buffer in
            String(decoding: UnsafeBufferPointer(rebasing: buffer[Int(span.offset)..<Int(span.offset + span.length)]), as: UTF8.self)
        }
    }

    /// The bytes of the string at `slot` (which must hold one).
    public func withBytes<Result>(at slot: UInt32, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        let span = spans[Int(slot)]
        precondition(span.length != .max, "PackedStrings: slot \(slot) is free")
        return bytes.withUnsafeBufferPointer { buffer in
            body(UnsafeBufferPointer(rebasing: buffer[Int(span.offset)..<Int(span.offset + span.length)]))
        }
    }

    /// Whether the string at `slot` is `text`, compared as bytes without making a `String`.
    public func holds(_ text: String, at slot: UInt32) -> Bool {
        let span = spans[Int(slot)]
        guard span.length != .max else { return false }
        var text = text
        return text.withUTF8 { utf8 in
            utf8.count == Int(span.length) && bytes.withUnsafeBufferPointer { buffer in
                UnsafeBufferPointer(rebasing: buffer[Int(span.offset)..<Int(span.offset + span.length)]).elementsEqual(utf8)
            }
        }
    }

    /// Forgets the string at `slot`; the slot may be handed out again.
    public mutating func remove(_ slot: UInt32) {
        let span = spans[Int(slot)]
        precondition(span.length != .max, "PackedStrings: slot \(slot) is free")
        spans[Int(slot)] = Span(offset: 0, length: .max)
        freeSlots.append(slot)
        garbage += Int(span.length)
        if garbage > 4_096, garbage * 2 > bytes.count { compact() }
    }

    /// The buffer without the removed strings' bytes (the slots stay as they are).
    private mutating func compact() {
        var packed: [UInt8] = []
        packed.reserveCapacity(bytes.count - garbage)
        for slot in spans.indices where spans[slot].length != .max {
            let span = spans[slot]
            spans[slot].offset = UInt32(packed.count)
            packed += bytes[Int(span.offset)..<Int(span.offset + span.length)]
        }
        bytes = packed
        garbage = 0
        if freeSlots.count == spans.count {
            spans.removeAll()
            freeSlots.removeAll()
        }
    }
}
