import CSystemExtras
import Glibc

/// One event read from an inotify descriptor.
package struct InotifyEvent: Sendable, Equatable {
    package var watch: Int32
    package var mask: UInt32
    package var cookie: UInt32
    /// The entry's name within the watched directory; empty for events on the directory itself.
    package var name: String

    package func has(_ flag: Int32) -> Bool { mask & UInt32(bitPattern: flag) != 0 }

    package var isOverflow: Bool { has(IN_Q_OVERFLOW) }
    /// The kernel removed the watch (directory gone, or removed by us).
    package var isIgnored: Bool { has(IN_IGNORED) }
    package var isDirectory: Bool { has(IN_ISDIR) }
    /// The watched directory itself was moved or deleted.
    package var isSelfGone: Bool { has(IN_DELETE_SELF) || has(IN_MOVE_SELF) || has(IN_UNMOUNT) }

    /// Parses a buffer of raw `struct inotify_event`s as read(2) returned them.
    package static func parse(_ buffer: UnsafeRawBufferPointer) -> [InotifyEvent] {
        var events: [InotifyEvent] = []
        let header = MemoryLayout<inotify_event>.size
        var offset = 0
        while offset + header <= buffer.count {
            let watch = buffer.loadUnaligned(fromByteOffset: offset, as: Int32.self)
            let mask = buffer.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
            let cookie = buffer.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self)
            let length = Int(buffer.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
            let nameStart = offset + header
            let nameEnd = min(nameStart + length, buffer.count)
            // The name is padded with NULs to the event's length: decoded up to the first,
            // straight from the buffer (no array of its bytes made first).
            let padded = UnsafeRawBufferPointer(rebasing: buffer[nameStart..<nameEnd])
            let name = padded.withMemoryRebound(to: UInt8.self) { bytes in
                String(decoding: UnsafeBufferPointer(rebasing: bytes[..<(bytes.firstIndex(of: 0) ?? bytes.endIndex)]), as: UTF8.self)
            }
            events.append(InotifyEvent(watch: watch, mask: mask, cookie: cookie, name: name))
            offset = nameStart + length
        }
        return events
    }
}
